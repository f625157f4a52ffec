"""Reading and planning imports of organisations and deployments (pure: no Flask, no database)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.registry import importing
from app.registry.importing import DeploymentRow, OrgRow, decode, parse_deployments, parse_etr

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


def etr_line(code="RXX", name="TEST HOSPITALS NHS TRUST", region="Y62", icb="QE1", town="WIGAN",
             postcode="WN1 2NN", opened="20200401", closed="") -> str:
    cells = [code, name, region, icb, "1 HOSPITAL ROAD", "", "", town, "", postcode, opened, closed]
    cells += [""] * (27 - len(cells))
    return ",".join(cells)


def test_a_headerless_etr_extract_gives_typed_rows():
    parsed = parse_etr(etr_line() + "\n" + etr_line(code="RYY", name="OTHER NHS TRUST"))
    assert parsed.errors == []
    assert [r.ods_code for r in parsed.rows] == ["RXX", "RYY"]
    row = parsed.rows[0]
    assert row == OrgRow(line=1, ods_code="RXX", name="TEST HOSPITALS NHS TRUST", region_code="Y62", icb_code="QE1",
                         town="WIGAN", postcode="WN1 2NN", opened_on=date(2020, 4, 1), closed_on=None)


def test_an_etr_extract_with_a_header_row_is_read_the_same():
    header = ",".join(importing.ETR_COLUMNS)
    parsed = parse_etr(header + "\n" + etr_line())
    assert parsed.errors == [] and len(parsed.rows) == 1 and parsed.rows[0].line == 2


def test_every_bad_etr_row_is_reported_with_its_line_and_reason():
    text = "\n".join([
        etr_line(),
        etr_line(code="R?X"),
        etr_line(code="RZZ", opened="2020-13-45"),
        "RAA,TOO SHORT",
        etr_line(code="RBB", opened="20200101", closed="20190101"),
        etr_line(),  # RXX again
    ])
    parsed = parse_etr(text)
    assert [e.line for e in parsed.errors] == [2, 3, 4, 5, 6]
    messages = [e.message for e in parsed.errors]
    assert "not an ODS code" in messages[0]
    assert "open date" in messages[1].lower()
    assert "Expected 27 columns" in messages[2]
    assert "close date is before the open date" in messages[3]
    assert "also on line 1" in messages[4]


def test_welsh_trusts_are_skipped_not_errors():
    parsed = parse_etr(etr_line(code="RQF", region="", icb="Q99"))
    assert parsed.errors == [] and parsed.rows == []
    assert parsed.skipped[0].ods_code == "RQF" and "not an English trust" in parsed.skipped[0].reason


def test_a_file_with_a_bom_windows_line_endings_and_latin_1_is_read():
    text = etr_line(name="ST HELENS & KNOWSLEY TEACHING HOSPITALS NHS TRUST", town="WHISTON PRÉS")
    data = text.replace("\n", "\r\n").encode("latin-1") + b"\r\n"
    parsed = parse_etr(decode(data))
    assert parsed.errors == [] and parsed.rows[0].town == "WHISTON PRÉS"
    parsed = parse_etr(decode(b"\xef\xbb\xbf" + (text + "\r\n").encode("utf-8")))
    assert parsed.rows[0].ods_code == "RXX"


def test_the_real_2026_extract_reads_without_errors():
    path = SHARED / "etr_nhs_trusts_2026.csv"
    if not path.exists():
        pytest.skip(f"shared data not found at {path}")
    parsed = parse_etr(decode(path.read_bytes()))
    assert parsed.errors == []
    assert len(parsed.rows) + len(parsed.skipped) == 274


def org_values(**kw):
    base = {"kind": "trust", "name": "TEST HOSPITALS NHS TRUST", "region": "Y62", "icb": "QE1", "town": "WIGAN",
            "postcode": "WN1 2NN", "opened_on": date(2020, 4, 1), "closed_on": None}
    return {**base, **kw}


def test_planning_organisations_creates_updates_and_leaves_alone():
    rows = parse_etr("\n".join([etr_line(), etr_line(code="RYY", name="NEW NHS TRUST"),
                                etr_line(code="RZZ", postcode="WN9 9ZZ")])).rows
    existing = {"RXX": org_values(), "RZZ": org_values()}
    plan = importing.plan_organisations(rows, existing, {"Y62"}, {"QE1": "Y62"})
    assert plan.ok
    assert [(c.key, c.action) for c in plan.changes] == [("RXX", "unchanged"), ("RYY", "create"), ("RZZ", "update")]
    assert plan.changes[2].changes == (("postcode", "WN1 2NN", "WN9 9ZZ"),)


def test_an_unknown_icb_or_a_mismatched_region_is_an_error():
    rows = parse_etr("\n".join([etr_line(icb="QXX"), etr_line(code="RYY", region="Y56")])).rows
    plan = importing.plan_organisations(rows, {}, {"Y62", "Y56"}, {"QE1": "Y62"})
    assert [e.line for e in plan.errors] == [1, 2]
    assert "ICB QXX is not in the register" in plan.errors[0].message
    assert "belongs to region Y62, not Y56" in plan.errors[1].message


def test_a_closed_trust_not_in_the_register_is_skipped_and_one_in_it_gets_its_close_date():
    rows = parse_etr("\n".join([etr_line(closed="20250331"), etr_line(code="RYY", closed="20250331")])).rows
    plan = importing.plan_organisations(rows, {"RXX": org_values()}, {"Y62"}, {"QE1": "Y62"})
    assert [(c.key, c.action) for c in plan.changes] == [("RXX", "update"), ("RYY", "skip")]
    assert plan.changes[0].changes == (("closed_on", None, date(2025, 3, 31)),)


DEP_HEADER = "ods_code,system,status,since,until,source,confidence"


def test_a_deployments_file_gives_typed_rows():
    parsed = parse_deployments(DEP_HEADER + "\nrxx,Epic,live,2022-09,,https://example.org/a,high\n"
                                            "RYY,epic-ehr,ended,2015,2022-08-31,Trust annual report 2022,")
    assert parsed.errors == []
    assert parsed.rows[0] == DeploymentRow(line=2, ods_code="RXX", system="Epic", status="live",
                                           since=date(2022, 9, 1), until=None, source_url="https://example.org/a",
                                           source_text=None, confidence="high")
    assert parsed.rows[1].source_text == "Trust annual report 2022" and parsed.rows[1].confidence == "unrated"


def test_every_bad_deployment_row_is_reported():
    text = "\n".join([DEP_HEADER, "RXX,Epic,maybe,,,src,high", "RXX,Epic,live,2022-01-01,2023-01-01,src,high",
                      "RXX,,planned,,,src,high", "RXX,Epic,planned,soon,,src,high", "RXX,Epic,planned,,,,high",
                      "RXX,Epic,planned,,,src,certain", "RXX,Epic,planned,,,src"])
    parsed = parse_deployments(text)
    assert [e.line for e in parsed.errors] == [2, 3, 4, 5, 6, 7, 8]
    messages = [e.message.lower() for e in parsed.errors]
    assert "status ‘maybe’" in messages[0]
    assert "live deployment has no until date" in messages[1]
    assert "system is empty" in messages[2]
    assert "since ‘soon’" in messages[3]
    assert "source is empty" in messages[4]
    assert "confidence ‘certain’" in messages[5]
    assert "Expected 7 columns" in parsed.errors[6].message


def test_a_wrong_deployments_header_is_one_clear_error():
    parsed = parse_deployments("ods_code,product,status\nRXX,Epic,live")
    assert len(parsed.errors) == 1 and "missing column(s): system" in parsed.errors[0].message


def test_planning_deployments_matches_existing_rows_so_a_second_run_changes_nothing():
    rows = parse_deployments(DEP_HEADER + "\nRXX,Epic,live,2022-09-01,,https://a,high\n"
                                          "RXX,Cerner,planned,,,https://b,low\nR99,Epic,live,,,https://c,low\n"
                                          "X24,Epic,live,,,https://c,low\nRXX,Nothing,live,,,https://c,low").rows
    orgs = {"RXX": "trust", "X24": "national"}
    systems = {"epic": "epic-ehr", "epic-ehr": "epic-ehr", "cerner": "millennium"}
    existing = {("RXX", "epic-ehr"): [{"id": 7, "since": date(2022, 9, 1), "status": "live", "until": None,
                                       "confidence": "high", "source_url": "https://a", "source_text": None}]}
    plan = importing.plan_deployments(rows, orgs, systems, existing)
    assert [(c.line, c.action) for c in plan.changes] == [(2, "unchanged"), (3, "create")]
    assert [e.line for e in plan.errors] == [4, 5, 6]
    assert "No organisation has ODS code R99" in plan.errors[0].message
    assert "X24 is a national" in plan.errors[1].message
    assert "No system is called ‘Nothing’" in plan.errors[2].message


def test_an_ended_deployment_cannot_be_reopened_by_an_import():
    rows = parse_deployments(DEP_HEADER + "\nRXX,Epic,live,2019-01-01,,https://a,high").rows
    existing = {("RXX", "epic-ehr"): [{"id": 7, "since": date(2019, 1, 1), "status": "ended",
                                       "until": date(2021, 1, 1), "confidence": "high", "source_url": None,
                                       "source_text": "x"}]}
    plan = importing.plan_deployments(rows, {"RXX": "trust"}, {"epic": "epic-ehr"}, existing)
    assert not plan.ok and "has ended in the register" in plan.errors[0].message


@settings(deadline=None, max_examples=50)
@given(st.binary(max_size=2000))
def test_reading_any_bytes_never_raises(data):
    text = decode(data)
    for parsed in (parse_etr(text), parse_deployments(text)):
        assert all(e.line >= 1 for e in parsed.errors)


@settings(deadline=None, max_examples=50)
@given(st.lists(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
                         min_size=0, max_size=30), max_size=10))
def test_hostile_cells_never_raise(rows):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    parse_etr(buf.getvalue())
    parse_deployments(buf.getvalue())
