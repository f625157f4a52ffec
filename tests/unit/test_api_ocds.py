"""OCDS releases, records and the merge routine, as pure functions (no Flask, no database)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.api.ocds import releases as ocds
from app.api.ocds.compile import compile_releases
from tests.api import ocds_schema

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=timezone.utc)


def framework(**kw) -> dict:
    fw = {
        "ocid": "ocds-test01-fw-gde", "slug": "gde", "name": "Global Digital Exemplar framework",
        "description": "Exemplars and fast followers", "status": "live", "starts_on": date(2016, 9, 1),
        "ends_on": None, "created_at": NOW, "source_url": "https://example.org/gde", "min_invitees": 3,
        "quality_weight_min": 40, "quality_weight_max": 80, "standstill_days": 8, "max_calloff_months": 24,
        "buyer": {"ods_code": "X24", "name": "NHS England"},
        "lots": [{"number": 1, "name": "Acute"}, {"number": 2, "name": "Mental health"}],
        "memberships": [
            {"lot": 1, "ods_code": "RBL", "name": "Wirral University Teaching Hospital", "admitted_on": date(2016, 9, 1),
             "steps": [(datetime(2016, 9, 1, tzinfo=timezone.utc), "admitted")]},
            {"lot": 1, "ods_code": "RRK", "name": "University Hospitals Birmingham", "admitted_on": date(2017, 3, 1),
             "steps": [(datetime(2017, 3, 1, tzinfo=timezone.utc), "admitted"),
                       (datetime(2025, 1, 6, 9, 30, tzinfo=timezone.utc), "removed")]},
        ],
    }
    fw.update(kw)
    return fw


def test_a_framework_gets_a_tender_release_then_an_award_release_per_change():
    releases = ocds.framework_releases(framework())
    assert [r["tag"] for r in releases] == [["tender"], ["award"], ["awardUpdate"], ["awardUpdate"]]
    assert [r["date"] for r in releases] == ["2016-09-01T00:00:00Z", "2016-09-01T00:00:00Z",
                                             "2017-03-01T00:00:00Z", "2025-01-06T09:30:00Z"]
    tender = releases[0]["tender"]
    assert tender["techniques"]["hasFrameworkAgreement"] is True
    assert tender["status"] == "active"
    assert len({r["id"] for r in releases}) == 4


def test_the_framework_award_lists_the_admitted_exemplars_as_suppliers():
    releases = ocds.framework_releases(framework())
    awards = releases[2]["awards"]
    assert [(a["id"], a["status"], a["suppliers"][0]["id"]) for a in awards] == [
        ("lot-1-RBL", "active", "GB-NHS-RBL"), ("lot-1-RRK", "active", "GB-NHS-RRK")]
    parties = {p["id"]: p for p in releases[2]["parties"]}
    assert parties["GB-NHS-RRK"]["identifier"] == {"scheme": "GB-NHS", "id": "RRK",
                                                   "legalName": "University Hospitals Birmingham"}
    assert "supplier" in parties["GB-NHS-RRK"]["roles"]


def test_a_removed_exemplar_is_a_cancelled_award_in_the_compiled_record():
    rec = ocds.record(ocds.framework_releases(framework()))
    compiled = rec["compiledRelease"]
    assert compiled["tag"] == ["compiled"] and compiled["date"] == "2025-01-06T09:30:00Z"
    assert {a["id"]: a["status"] for a in compiled["awards"]} == {"lot-1-RBL": "active", "lot-1-RRK": "cancelled"}
    assert compiled["tender"]["title"] == "Global Digital Exemplar framework"


def test_an_expired_framework_ends_with_a_tender_update_marking_it_complete():
    releases = ocds.framework_releases(framework(status="expired", ends_on=date(2026, 3, 31)))
    assert releases[-1]["tag"] == ["tenderUpdate"] and releases[-1]["tender"]["status"] == "complete"
    assert ocds.record(releases)["compiledRelease"]["tender"]["status"] == "complete"


def test_framework_packages_are_valid_ocds():
    releases = ocds.framework_releases(framework(status="expired", ends_on=date(2026, 3, 31)))
    publisher = ocds.publisher("NHS England", "X24")
    ocds_schema.assert_valid(ocds.release_package(releases, uri="https://example.org/ocds/releases.json",
                                                  published=NOW, publisher_=publisher))
    ocds_schema.assert_valid(ocds.record_package([ocds.record(releases)], uri="https://example.org/ocds/records/x",
                                                 published=NOW, publisher_=publisher), "record")


def test_the_schema_check_really_catches_a_bad_release():
    releases = ocds.framework_releases(framework())
    releases[0]["tag"] = ["bidding"]
    releases[0]["date"] = "yesterday"
    problems = ocds_schema.errors(ocds.release_package(releases, uri="https://example.org/p", published=NOW,
                                                       publisher_={"name": "x"}))
    assert any("tag" in p for p in problems) and any("date" in p for p in problems)


# --- the merge routine -------------------------------------------------------------------

def rel(date_, **body):
    return {"ocid": "ocds-x-1", "id": f"r-{date_}", "date": date_, "tag": ["tender"], **body}


def test_merge_combines_objects_and_merges_identified_arrays_by_id():
    compiled = compile_releases([
        rel("2020-01-02T00:00:00Z", awards=[{"id": "a", "status": "active", "value": {"amount": 5}}]),
        rel("2020-01-01T00:00:00Z", tender={"id": "t", "title": "T"}, awards=[{"id": "b", "status": "pending"}]),
    ])
    assert compiled["tender"] == {"id": "t", "title": "T"}
    assert [a["id"] for a in compiled["awards"]] == ["b", "a"]
    assert compiled["id"] == "ocds-x-1-2020-01-02T00:00:00Z" and compiled["tag"] == ["compiled"]


def test_merge_removes_a_field_set_to_null_replaces_plain_arrays_and_keeps_objects_without_ids():
    compiled = compile_releases([
        rel("2020-01-01T00:00:00Z", tender={"id": "t", "description": "old", "items": [{"description": "x"}]},
            parties=[{"id": "p", "roles": ["buyer", "payer"]}]),
        rel("2020-01-02T00:00:00Z", tender={"id": "t", "description": None, "items": [{"description": "y"}]},
            parties=[{"id": "p", "roles": ["buyer"]}]),
    ])
    assert "description" not in compiled["tender"]
    # Objects without an id cannot be matched: the OCDS merge routine keeps each one.
    assert compiled["tender"]["items"] == [{"description": "x"}, {"description": "y"}]
    assert compiled["parties"] == [{"id": "p", "roles": ["buyer"]}]


def test_merging_releases_of_two_processes_is_refused():
    with pytest.raises(ValueError):
        compile_releases([rel("2020-01-01T00:00:00Z"), dict(rel("2020-01-02T00:00:00Z"), ocid="other")])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=3), children, max_size=3),
    max_leaves=10,
)


def _has_content(value) -> bool:
    """Whether a value survives merging: not null, not empty, and not an object or a list of
    objects holding nothing but such values."""
    if value is None or value == [] or value == {}:
        return False
    if isinstance(value, dict):
        return any(_has_content(v) for v in value.values())
    if isinstance(value, list) and all(isinstance(v, dict) for v in value):
        return any(_has_content(v) for v in value)
    return True


@settings(deadline=None, max_examples=50)
@given(st.dictionaries(st.text(min_size=1, max_size=3).filter(lambda k: k not in ("ocid", "id", "date", "tag")),
                       json_values, max_size=4))
def test_compiling_one_release_keeps_its_non_null_content(body):
    compiled = compile_releases([rel("2020-01-01T00:00:00Z", **body)])
    for key, value in body.items():
        if _has_content(value):
            assert key in compiled, (key, value, compiled)


# --- call-off competitions -----------------------------------------------------------------

from app.api.ocds.calloff import calloff_releases  # noqa: E402


def t(day, hour=12):
    return datetime(2026, 5, day, hour, tzinfo=timezone.utc)


def calloff(**kw) -> dict:
    co = {
        "ocid": "ocds-test01-co-7", "id": 7, "reference": "CO-00007", "title": "EPR optimisation partner",
        "description": "Help after go-live", "status": "open", "buyer": {"ods_code": "RJR", "name": "Countess of Chester"},
        "framework": {"ocid": "ocds-test01-fw-gde", "name": "Global Digital Exemplar framework"},
        "lot": {"number": 1, "name": "Acute"}, "budget_pence": 15_000_000, "published_at": t(1),
        "clarification_deadline": t(5), "response_deadline": t(12), "bids": None, "awards": [],
        "ended_at": None, "end_status": None,
    }
    co.update(kw)
    return co


BIDS = [{"id": 1, "ods_code": "RBL", "name": "Wirral", "status": "submitted", "price_pence": 12_000_000,
         "submitted_at": t(10)},
        {"id": 2, "ods_code": "RRK", "name": "Birmingham", "status": "withdrawn", "price_pence": 9_000_000,
         "submitted_at": t(11)}]


def test_a_published_call_off_links_to_its_framework_and_shows_no_bids_while_sealed():
    releases = calloff_releases(calloff())
    assert [r["tag"] for r in releases] == [["tender"]]
    assert releases[0]["relatedProcesses"][0]["identifier"] == "ocds-test01-fw-gde"
    assert "bids" not in releases[0] and releases[0]["tender"]["tenderPeriod"]["endDate"] == "2026-05-12T12:00:00Z"


def test_after_the_deadline_the_bids_and_tenderers_are_published():
    releases = calloff_releases(calloff(status="closed", bids=BIDS))
    update = releases[1]
    assert update["tag"] == ["tenderUpdate"] and update["date"] == "2026-05-12T12:00:00Z"
    assert [d["status"] for d in update["bids"]["details"]] == ["pending", "withdrawn"]
    assert update["bids"]["statistics"] == [{"id": "bids", "measure": "bids", "value": 1}]
    assert [x["id"] for x in update["tender"]["tenderers"]] == ["GB-NHS-RBL", "GB-NHS-RRK"]


def test_a_withdrawn_intention_then_an_award_and_a_contract():
    awards = [
        {"id": 1, "bid_id": 2, "ods_code": "RRK", "name": "Birmingham", "status": "withdrawn", "intended_at": t(20),
         "withdrawn_at": t(21), "awarded_at": None, "value_pence": None, "bid_price_pence": 9_000_000,
         "starts_on": None, "ends_on": None},
        {"id": 2, "bid_id": 1, "ods_code": "RBL", "name": "Wirral", "status": "awarded", "intended_at": t(22),
         "withdrawn_at": None, "awarded_at": t(30), "value_pence": 12_000_000, "bid_price_pence": 12_000_000,
         "starts_on": date(2026, 6, 1), "ends_on": date(2027, 5, 31)},
    ]
    releases = calloff_releases(calloff(status="awarded", bids=BIDS, awards=awards))
    assert [r["tag"][0] for r in releases] == ["tender", "tenderUpdate", "award", "awardUpdate", "awardUpdate",
                                               "awardUpdate", "contract"]
    compiled = ocds.record(releases)["compiledRelease"]
    assert {a["id"]: a["status"] for a in compiled["awards"]} == {"award-1": "cancelled", "award-2": "active"}
    assert compiled["contracts"][0]["awardID"] == "award-2" and compiled["tender"]["status"] == "complete"
    ocds_schema.assert_valid(ocds.record_package([ocds.record(releases)], uri="https://example.org/r",
                                                 published=NOW, publisher_={"name": "NHS England"}), "record")


@pytest.mark.parametrize("end_status, tag, tender_status", [
    ("cancelled", "tenderCancellation", "cancelled"), ("no_award", "tenderUpdate", "unsuccessful")])
def test_a_call_off_ended_without_award(end_status, tag, tender_status):
    releases = calloff_releases(calloff(status=end_status, end_status=end_status, ended_at=t(15)))
    assert releases[-1]["tag"] == [tag] and releases[-1]["tender"]["status"] == tender_status
    ocds_schema.assert_valid(ocds.release_package(releases, uri="https://example.org/p", published=NOW,
                                                  publisher_={"name": "NHS England"}))
