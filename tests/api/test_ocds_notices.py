"""Procurement Act notices in the OCDS publication: the demo's awarded call-off carries its
contract award, contract details and contract performance notices (UK extension `noticeType`),
and its record validates against the standard schema with the UK extension and its dependencies."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.competitions.models import Competition

from . import ocds_schema

AWARDED = "(demo) EPR optimisation partner"


@pytest.fixture()
def awarded(db_session):
    c = db_session.execute(select(Competition).where(Competition.title == AWARDED)).unique().scalar_one_or_none()
    if c is None:
        pytest.skip("the demo competitions are not in the seed")
    return c


def _record(client, app, c):
    r = client.get(f"/ocds/records/{app.config['OCDS_PREFIX']}-co-{c.id}")
    assert r.status_code == 200
    return r.get_json()


def test_the_awarded_call_off_carries_a_contract_details_notice_valid_with_the_uk_extension(client, app, awarded):
    package = _record(client, app, awarded)
    ocds_schema.assert_valid(package, "record")
    assert any("ocds_uk_extension" in e for e in package["extensions"])
    record = package["records"][0]
    uk7 = [r for r in record["releases"] if r["tag"] == ["contractUpdate"]]
    assert len(uk7) == 1
    contract = uk7[0]["contracts"][0]
    (doc,) = contract["documents"]
    assert (doc["noticeType"], doc["documentType"]) == ("UK7", "contractNotice")
    assert "competitive selection" in doc["description"] and "Conflicts assessment confirmed" in doc["description"]
    assert [m["title"] for m in contract["agreedMetrics"]][:1] == ["Order sets live on every adult ward (demo)"]
    assert doc["url"].endswith(f"/competitions/{awarded.id}/notices#{doc['id']}")
    compiled = record["compiledRelease"]
    notice_types = {d["noticeType"] for c in compiled["contracts"] for d in c.get("documents", [])}
    assert "UK7" in notice_types


def test_the_award_notice_gives_the_standstill_and_the_performance_notice_the_ratings(client, app, awarded):
    record = _record(client, app, awarded)["records"][0]
    (uk6,) = [r for r in record["releases"] if r["tag"] == ["awardUpdate"] and "standstillPeriod" in r["awards"][0]]
    period = uk6["awards"][0]["standstillPeriod"]
    assert period["startDate"] < period["endDate"] and uk6["awards"][0]["documents"][0]["noticeType"] == "UK6"
    (uk9,) = [r for r in record["releases"] if r["tag"] == ["implementationUpdate"]]
    metrics = uk9["contracts"][0]["agreedMetrics"]
    assert {m["observations"][0]["measureClassification"]["id"] for m in metrics} == {"met", "slightlyBelow"}
    assert uk9["contracts"][0]["implementation"]["documents"][0]["noticeType"] == "UK9"


def test_a_call_off_with_no_suitable_bid_publishes_its_reason(client, app, db_session):
    c = db_session.execute(select(Competition).where(Competition.status == "no_award")).unique().scalars().first()
    if c is None:
        pytest.skip("the demo competitions are not in the seed")
    package = _record(client, app, c)
    ocds_schema.assert_valid(package, "record")
    tender = package["records"][0]["compiledRelease"]["tender"]
    assert tender["status"] == "unsuccessful" and "quality threshold" in tender["documents"][0]["description"]


def test_a_draft_notice_is_not_published(client, app, db_session):
    c = db_session.execute(select(Competition).where(Competition.title == "(demo) Maternity system optimisation")
                           ).unique().scalar_one_or_none()
    if c is None:
        pytest.skip("the demo competitions are not in the seed")
    releases = _record(client, app, c)["records"][0]["releases"]
    assert not any(d.get("noticeType") == "UK7" for r in releases for x in r.get("contracts", [])
                   for d in x.get("documents", []))
    assert "Contract details notice" not in client.get(f"/competitions/{c.id}/notices").text
