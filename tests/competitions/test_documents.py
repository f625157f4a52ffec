"""Documents of a competition: the pack, versions and its zip; bid documents sealed exactly like
bids (pages, API, exports, zip and audit log, for every role, until the deadline); refusals that
store nothing; the request limit on upload routes only."""
from __future__ import annotations

import hashlib
import io
import zipfile

import pytest
from flask import current_app
from sqlalchemy import func, select

from app.api.services import create_token
from app.audit.models import AuditEvent, SealedEntry
from app.competitions.documents.models import BidDocument, CompetitionDocument
from app.documents.models import Document
from app.storage import storage

from tests.documents import samples

SECRET = "Confidential-method-statement-RBX.pdf"


def upload(client, url, data: bytes, name: str, **fields):
    return client.post(url, data={**fields, "file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def counts(db_session):
    return (db_session.scalar(select(func.count()).select_from(Document)),
            db_session.scalar(select(func.count()).select_from(BidDocument)),
            db_session.scalar(select(func.count()).select_from(AuditEvent)), len(storage().keys()))


def test_the_buyer_uploads_the_pack_with_versions_and_an_invitee_downloads_it(world, client, login, db_session):
    comp = world.published()
    login(world.buyer)
    base = f"/competitions/{comp.id}/documents"
    first, second = samples.pdf("Spec one"), samples.pdf("Spec two")
    assert upload(client, base, first, "spec.pdf", kind="specification").status_code == 302
    assert upload(client, base, second, "Specification v2.pdf", kind="specification").status_code == 302
    assert upload(client, base, samples.csv_text(), "prices.csv", kind="pricing_schedule").status_code == 302
    links = db_session.scalars(select(CompetitionDocument).where(CompetitionDocument.competition_id == comp.id)
                               .order_by(CompetitionDocument.id)).all()
    assert [(x.kind, x.version) for x in links] == [("specification", 1), ("specification", 2), ("pricing_schedule", 1)]
    entry = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "document.upload",
                                                        AuditEvent.object_type == "CompetitionDocument")
                               .order_by(AuditEvent.id.desc())).first()
    assert hashlib.sha256(samples.csv_text()).hexdigest() in entry.after

    _, manager = world.exemplars[0]
    login(manager)
    page = client.get(base).text
    assert "Specification v2.pdf" in page and "Earlier versions (1)" in page
    got = client.get(f"{base}/{links[1].id}")
    assert got.status_code == 200 and got.data == second
    assert got.headers["Content-Disposition"].startswith("attachment;") and got.mimetype == "application/pdf"
    downloads = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "document.download")).all()
    assert downloads and downloads[-1].actor_id == manager.id and hashlib.sha256(second).hexdigest() in downloads[-1].after

    pack = zipfile.ZipFile(io.BytesIO(client.get(f"/competitions/{comp.id}/pack.zip").data))
    assert sorted(pack.namelist()) == ["MANIFEST.csv", "Specification v2.pdf", "prices.csv"]  # the versions in force
    assert pack.read("Specification v2.pdf") == second
    assert hashlib.sha256(second).hexdigest() in pack.read("MANIFEST.csv").decode()
    # Outsiders do not see the competition, nor its documents.
    login(world.other_buyer)
    assert client.get(f"{base}/{links[1].id}").status_code == 404
    assert client.get(f"/competitions/{comp.id}/pack.zip").status_code == 404


REFUSALS = [
    ("a PDF renamed .exe", samples.pdf(), "tender.exe", "its name ends in .exe"),
    ("an .exe renamed .pdf", samples.exe(), "tender.pdf", "The selected file must be a PDF, DOCX, XLSX, ODT, ODS"),
    ("an empty file", b"", "empty.pdf", "The selected file is empty"),
    ("an oversize file", None, "big.pdf", "The selected file must be smaller than 20 MB"),
    ("a zip bomb", None, "answers.docx", "unpacks to more than 200 MB"),
]


@pytest.mark.parametrize("label, data, name, message", REFUSALS, ids=[r[0] for r in REFUSALS])
def test_a_refused_upload_is_shown_on_the_field_and_nothing_is_stored(world, client, login, db_session, app,
                                                                       label, data, name, message):
    if label == "an oversize file":
        data = samples.pdf() + b"\x00" * app.config["DOCUMENT_MAX_BYTES"]
    elif label == "a zip bomb":
        data = samples.zip_bomb(app.config["DOCUMENT_MAX_UNPACKED_BYTES"] + 1)
    comp = world.published()
    world.clock.advance(days=4)  # open for responses
    _, manager = world.exemplars[0]
    login(manager)
    before = counts(db_session)
    r = upload(client, f"/competitions/{comp.id}/bid/documents", data, name, question="")
    assert r.status_code == 200
    page = r.text
    assert "There is a problem" in page and message in page
    assert 'href="#file"' in page  # the error summary links to the field
    assert counts(db_session) == before  # no file, no row, no audit entry, nothing in the store


def test_a_request_over_the_document_limit_gets_the_413_page_and_other_routes_keep_theirs(world, client, login, app):
    comp = world.published()
    world.clock.advance(days=4)
    _, manager = world.exemplars[0]
    login(manager)
    limit = app.config["DOCUMENT_MAX_BYTES"]
    r = upload(client, f"/competitions/{comp.id}/bid/documents", b"x" * (limit + 2 * 1024 * 1024), "big.pdf")
    assert r.status_code == 413 and "up to 20 MB" in r.text and "nhsuk" in r.text
    # A 7 MB body is within an upload route's limit (refused on the field) but over every other route's.
    body = samples.pdf() + b"\x00" * (7 * 1024 * 1024)
    assert upload(client, f"/competitions/{comp.id}/bid/documents", body, "seven.pdf").status_code == 200
    r = client.post(f"/competitions/{comp.id}/clarifications", data={"question": "x" * (7 * 1024 * 1024)})
    assert r.status_code == 413 and "up to 5 MB" in r.text


@pytest.fixture()
def sealed(world, client, login, db_session):
    """A competition open for responses where the first exemplar has bid with a document (and the
    second exemplar too, without one)."""
    comp = world.published()
    world.clock.advance(days=4)
    world.bid(comp, 0)
    world.bid(comp, 1)
    _, manager = world.exemplars[0]
    login(manager)
    data = samples.pdf("our method")
    r = upload(client, f"/competitions/{comp.id}/bid/documents", data, SECRET,
               question=str(comp.criteria[0].id))
    assert r.status_code == 302
    client.get(r.headers["Location"])  # shows (and so clears) the bidder's own flashed message
    link = db_session.scalar(select(BidDocument).where(BidDocument.competition_id == comp.id))
    return comp, link, hashlib.sha256(data).hexdigest()


def _roles(world):
    return {"buyer": world.buyer, "evaluator": world.evaluators[0], "other invitee": world.exemplars[1][1],
            "commercial admin": world.admin, "auditor": world.auditor, "another buyer": world.other_buyer}


def _api(app, user, path):
    _, secret = create_token(user, name="sealing test", scope="read")
    return app.test_client().get(path, headers={"Authorization": f"Bearer {secret}"})


def test_a_bid_document_is_sealed_for_every_other_role_before_the_deadline(world, client, login, app, sealed):
    comp, link, digest = sealed
    secrets = (SECRET, digest, digest[:12])
    paths = [f"/competitions/{comp.id}", f"/competitions/{comp.id}/documents", f"/competitions/{comp.id}/evaluation",
             f"/competitions/{comp.id}/bid-documents/{link.id}", f"/competitions/{comp.id}/bids.zip",
             f"/competitions/{comp.id}/pack.zip", f"/competitions/{comp.id}/bid/documents", "/competitions/",
             "/competitions/?format=csv", "/audit/", "/audit/?format=csv", "/dashboard",
             "/competitions/inbox"]
    for role, user in _roles(world).items():
        login(user)
        for path in paths:
            r = client.get(path)
            body = r.get_data(as_text=True)
            assert not any(s in body for s in secrets), f"{role} sees the sealed document at {path}"
            if r.mimetype == "application/zip":
                assert not any(s.encode() in r.data for s in secrets)
        assert client.get(f"/competitions/{comp.id}/bid-documents/{link.id}").status_code == 404, role
        assert client.get(f"/competitions/{comp.id}/bids.zip").status_code in (403, 404), role
        for path in (f"/api/v1/competitions/{comp.id}", f"/api/v1/competitions/{comp.id}/bids",
                     f"/api/v1/competitions/{comp.id}/scores", "/api/v1/competitions"):
            body = _api(app, user, path).get_data(as_text=True)
            assert not any(s in body for s in secrets), f"{role} sees the sealed document in {path}"
    # The audit entries about it exist, in the competition's sealed journal until the deadline: the
    # main log has none (not even an id to count).
    entry = world.make.session.scalar(select(SealedEntry).where(SealedEntry.object_type == "BidDocument"))
    assert entry is not None and digest in entry.after
    assert world.make.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "BidDocument")) is None
    # The bidder itself sees and fetches it.
    login(world.exemplars[0][1])
    assert SECRET in client.get(f"/competitions/{comp.id}/bid/documents").text
    assert client.get(f"/competitions/{comp.id}/bid-documents/{link.id}").status_code == 200


def test_after_the_deadline_those_who_may_see_bids_get_the_documents_and_the_zip(world, client, login, app, sealed,
                                                                                 db_session):
    comp, link, digest = sealed
    world.after_deadline(comp)
    login(world.exemplars[0][1])
    r = upload(client, f"/competitions/{comp.id}/bid/documents", samples.pdf("late"), "late.pdf", question="")
    assert r.status_code == 200 and "The deadline for responses has passed" in r.text
    login(world.buyer)
    assert client.get(f"/competitions/{comp.id}/bid-documents/{link.id}").status_code == 200
    z = zipfile.ZipFile(io.BytesIO(client.get(f"/competitions/{comp.id}/bids.zip").data))
    org = world.exemplars[0][0].display_name
    name = next(n for n in z.namelist() if n.endswith(SECRET))
    assert name.startswith(org) and "Question 1" in name and digest in z.read("MANIFEST.csv").decode()
    body = _api(app, world.buyer, f"/api/v1/competitions/{comp.id}/bids").get_json()
    documents = [d for b in body["items"] for d in b["documents"]]
    assert [(d["file"], d["sha256"], d["question"]) for d in documents] == [(SECRET, digest, comp.criteria[0].id)]
    assert documents[0]["url"].startswith("http://localhost/competitions/")
    login(world.admin)
    assert SECRET in client.get("/audit/?format=csv").text  # its audit entries are unsealed with it
    # Another invitee still may not see a competitor's document.
    login(world.exemplars[1][1])
    assert client.get(f"/competitions/{comp.id}/bid-documents/{link.id}").status_code == 404


def test_the_bids_zip_of_bids_without_documents_says_so(world, client, login):
    comp = world.published()
    world.clock.advance(days=4)
    world.bid(comp, 0)
    world.after_deadline(comp)
    login(world.buyer)
    r = client.get(f"/competitions/{comp.id}/bids.zip", follow_redirects=True)
    assert r.status_code == 200 and "No bid has any documents" in r.text


def test_an_evaluator_sees_bid_documents_only_once_declared_and_the_evaluation_started(world, client, login, sealed):
    comp, link, _ = sealed
    world.after_deadline(comp)
    ev = world.evaluators[0]
    login(ev)
    assert client.get(f"/competitions/{comp.id}/bid-documents/{link.id}").status_code == 404
    world.start_evaluation(comp)  # everyone declares, the buyer confirms the assessment, the evaluation starts
    assert client.get(f"/competitions/{comp.id}/bid-documents/{link.id}").status_code == 200
    assert SECRET in client.get(f"/competitions/{comp.id}/evaluate").text


def test_a_bidder_replaces_and_removes_its_documents_before_the_deadline(world, client, login, db_session, sealed):
    comp, link, _ = sealed
    login(world.exemplars[0][1])
    base = f"/competitions/{comp.id}/bid/documents"
    assert upload(client, base, samples.pdf("v2"), SECRET, question=str(comp.criteria[0].id)).status_code == 302
    links = db_session.scalars(select(BidDocument).where(BidDocument.competition_id == comp.id)
                               .order_by(BidDocument.id)).all()
    assert [x.version for x in links] == [1, 2]
    assert client.post(f"/competitions/{comp.id}/bid-documents/{links[1].id}/remove").status_code == 302
    db_session.expire_all()
    assert all(x.removed_at is not None for x in links)
    assert "Your bid has no documents." in client.get(base).text


def test_contract_documents_are_for_the_buyer_the_winner_and_oversight(world, client, login, db_session):
    from app.competitions.award import services as award_svc
    from datetime import date, timedelta

    comp, bids, _ = world.in_standstill()
    world.clock.set(comp.standstill_ends_at + timedelta(seconds=1))
    award_svc.make_award(comp, actor=world.buyer, value_pence=5_000_000, starts_on=date(2027, 4, 1),
                         ends_on=date(2028, 3, 31))
    login(world.buyer)
    r = upload(client, f"/competitions/{comp.id}/documents", samples.pdf("contract"), "Call-off contract.pdf",
               kind="contract")
    assert r.status_code == 302
    link = db_session.scalar(select(CompetitionDocument).where(CompetitionDocument.kind == "contract"))
    winner = next(u for o, u in world.exemplars if o.id == bids[0].organisation_id)
    loser = next(u for o, u in world.exemplars if o.id == bids[1].organisation_id)
    for user, status in ((winner, 200), (world.auditor, 200), (loser, 404), (world.evaluators[0], 404)):
        login(user)
        assert client.get(f"/competitions/{comp.id}/documents/{link.id}").status_code == status
