"""The OCDS publication: /ocds/releases.json and /ocds/records/<ocid>, valid against the official
schemas (release and record package 1.1.5 with the bids and techniques extensions)."""
from __future__ import annotations

from app.web.formatting import title_case_org

from . import ocds_schema


def all_release_pages(client, query="per_page=100"):
    url, pages = f"/ocds/releases.json?{query}", []
    while url:
        r = client.get(url)
        assert r.status_code == 200, r.get_json()
        pages.append(r.get_json())
        url = pages[-1].get("links", {}).get("next")
    return pages


def test_every_page_of_releases_is_a_valid_release_package(client):
    pages = all_release_pages(client, "per_page=3")
    assert len(pages) >= 2
    for package in pages:
        ocds_schema.assert_valid(package, "release")
    releases = [r for p in pages for r in p["releases"]]
    assert len({r["id"] for r in releases}) == len(releases)
    assert [r["date"] for r in releases] == sorted(r["date"] for r in releases)


def test_the_framework_is_published_with_its_tender_and_awards(client, app):
    prefix = app.config["OCDS_PREFIX"]
    releases = [r for p in all_release_pages(client) for r in p["releases"] if r["ocid"] == f"{prefix}-fw-gde"]
    assert releases[0]["tag"] == ["tender"]
    assert releases[0]["tender"]["techniques"]["hasFrameworkAgreement"] is True
    assert releases[1]["tag"] == ["award"] and all(r["tag"] == ["awardUpdate"] for r in releases[2:])
    parties = {p["id"]: p for r in releases for p in r.get("parties", [])}
    rbl = parties["GB-NHS-RBL"]
    assert rbl["identifier"] == {"scheme": "GB-NHS", "id": "RBL", "legalName": rbl["identifier"]["legalName"]}
    assert rbl["identifier"]["legalName"].isupper() and rbl["name"] == title_case_org(rbl["identifier"]["legalName"])


def test_the_framework_record_is_a_valid_record_package(client, app):
    ocid = f"{app.config['OCDS_PREFIX']}-fw-gde"
    r = client.get(f"/ocds/records/{ocid}")
    assert r.status_code == 200
    package = r.get_json()
    ocds_schema.assert_valid(package, "record")
    compiled = package["records"][0]["compiledRelease"]
    suppliers = {a["suppliers"][0]["id"] for a in compiled["awards"] if a["status"] == "active"}
    assert "GB-NHS-RBL" in suppliers and len(suppliers) >= 26
    assert compiled["tag"] == ["compiled"] and compiled["buyer"]["id"] == "GB-NHS-X24"


def test_releases_filter_by_date(client):
    everything = [r for p in all_release_pages(client) for r in p["releases"]]
    later = [r for p in all_release_pages(client, "since=2017-01-01&per_page=100") for r in p["releases"]]
    assert later and all(r["date"] >= "2017-01-01" for r in later) and len(later) < len(everything)
    assert client.get("/ocds/releases.json?since=3000-01-01").status_code == 404
    assert client.get("/ocds/releases.json?since=yesterday").status_code == 400


def test_a_removed_exemplar_shows_as_a_cancelled_award(client, app, db_session):
    from sqlalchemy import select

    from app.registry import services
    from app.registry.models import Membership, Organisation

    rbl = db_session.execute(select(Organisation).where(Organisation.ods_code == "RBL")).unique().scalar_one()
    membership = db_session.execute(select(Membership).where(Membership.organisation_id == rbl.id)).unique() \
        .scalars().first()
    services.remove_exemplar(membership, reason="Did not prove its worth (test)")
    db_session.commit()
    package = client.get(f"/ocds/records/{app.config['OCDS_PREFIX']}-fw-gde").get_json()
    ocds_schema.assert_valid(package, "record")
    awards = {a["id"]: a for a in package["records"][0]["compiledRelease"]["awards"]}
    assert awards[f"lot-{membership.lot.number}-RBL"]["status"] == "cancelled"


def test_unknown_and_draft_processes_are_not_published(client, make, app):
    make.framework(status="draft", slug="hush")
    assert client.get(f"/ocds/records/{app.config['OCDS_PREFIX']}-fw-hush").status_code == 404
    r = client.get("/ocds/records/ocds-nope-1")
    assert r.status_code == 404 and r.get_json()["error"]["status"] == 404


def test_ocds_reads_have_etags(client):
    r = client.get("/ocds/releases.json")
    assert client.get("/ocds/releases.json", headers={"If-None-Match": r.headers["ETag"]}).status_code == 304


def test_the_ocid_prefix_is_configuration(client, app):
    old = app.config["OCDS_PREFIX"]
    app.config["OCDS_PREFIX"] = "ocds-zz9zz9"
    try:
        body = client.get("/ocds/releases.json").get_json()
        assert all(r["ocid"].startswith("ocds-zz9zz9-") for r in body["releases"])
        assert client.get("/api/v1/frameworks/gde").get_json()["ocid"] == "ocds-zz9zz9-fw-gde"
    finally:
        app.config["OCDS_PREFIX"] = old
