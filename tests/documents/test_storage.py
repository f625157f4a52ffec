"""The storage interface, on both backends: local disk, and an S3-compatible store — moto's server
mode on a local port, spoken to over HTTP by boto3 as a real bucket would be. Then a document
uploaded through the app into that bucket and downloaded back."""
from __future__ import annotations

import hashlib
import io
import os

import pytest

from app.storage import make_storage
from app.storage.local import LocalStorage
from app.storage.s3 import S3Storage

BUCKET = "exemplar-documents-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    """moto's S3 in server mode on 127.0.0.1 (a free port), with throwaway credentials."""
    from moto.server import ThreadedMotoServer

    saved = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="eu-west-2")
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    import boto3

    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-2")
    try:
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass  # moto keeps its buckets per process: a second server in this process finds it
    yield endpoint
    server.stop()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(params=["local", "s3"])
def store(request, tmp_path):
    if request.param == "local":
        return LocalStorage(tmp_path / "documents")
    endpoint = request.getfixturevalue("s3_endpoint")
    return S3Storage(bucket=BUCKET, endpoint_url=endpoint, region="eu-west-2", prefix=f"t-{tmp_path.name}/")


def key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_backend_keeps_gives_back_lists_and_forgets_by_content_key(store):
    a, b = b"first document", b"second document"
    assert store.keys() == [] and not store.exists(key(a))
    store.put(key(a), a)
    store.put(key(a), a)  # again: harmless
    store.put(key(b), b)
    assert store.get(key(a)) == a and store.exists(key(b))
    assert store.keys() == sorted([key(a), key(b)])
    store.delete(key(a))
    assert not store.exists(key(a)) and store.keys() == [key(b)]
    with pytest.raises(KeyError):
        store.get(key(a))


@pytest.mark.parametrize("bad", ["../etc/passwd", "A" * 64, "abc", key(b"x")[:-1] + "/"])
def test_a_key_that_is_not_a_sha256_is_refused(store, bad):
    with pytest.raises(ValueError):
        store.put(bad, b"x")
    with pytest.raises(ValueError):
        store.get(bad)


def test_the_local_backend_leaves_no_partial_file_and_spreads_keys_over_folders(tmp_path):
    store = LocalStorage(tmp_path)
    data = b"x" * 100_000
    store.put(key(data), data)
    path = tmp_path / key(data)[:2] / key(data)[2:4] / key(data)
    assert path.read_bytes() == data
    assert [p.name for p in path.parent.iterdir()] == [key(data)]  # no .incoming- leftovers


def test_the_configuration_chooses_the_backend(tmp_path, s3_endpoint):
    assert isinstance(make_storage({"DOCUMENT_STORAGE": "local", "DOCUMENT_STORAGE_PATH": tmp_path}), LocalStorage)
    s3 = make_storage({"DOCUMENT_STORAGE": "s3", "DOCUMENT_S3_BUCKET": BUCKET, "DOCUMENT_S3_ENDPOINT_URL": s3_endpoint,
                       "DOCUMENT_S3_REGION": "eu-west-2", "DOCUMENT_S3_PREFIX": "cfg/"})
    assert isinstance(s3, S3Storage) and s3.keys() == []
    with pytest.raises(RuntimeError):
        make_storage({"DOCUMENT_STORAGE": "ftp"})


def test_a_document_goes_through_the_app_into_the_bucket_and_back(app, client, db_session, make, login, s3_endpoint):
    """Several app servers share a bucket: an upload through one is a download through any."""
    from app.accounts.roles import EXEMPLAR_MANAGER
    from app.offers.documents.models import OfferDocument
    from sqlalchemy import select

    from tests.documents import samples

    bucket = S3Storage(bucket=BUCKET, endpoint_url=s3_endpoint, region="eu-west-2", prefix="app/")
    saved = app.extensions["storage"]
    app.extensions["storage"] = bucket
    try:
        from tests.competitions.offer_helpers import make_offer

        org = make.org()
        fw = make.framework(status="live", lots=1)
        make.membership(fw.lots[0], org)
        user = make.user(EXEMPLAR_MANAGER, org=org)
        offer = make_offer(make, org, fw.lots[0])
        login(user)
        data = samples.pdf("Service definition")
        r = client.post(f"/offers/{offer.id}/documents", content_type="multipart/form-data",
                        data={"kind": "service_definition", "file": (io.BytesIO(data), "Service definition.pdf")})
        assert r.status_code == 302, r.text
        assert bucket.keys() == [key(data)]
        link = db_session.scalar(select(OfferDocument).where(OfferDocument.offer_id == offer.id))
        got = client.get(f"/offers/{offer.id}/documents/{link.id}")
        assert got.status_code == 200 and got.data == data
    finally:
        app.extensions["storage"] = saved
