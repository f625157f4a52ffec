"""The rules the seed build applies to the EPR map and the thresholds file: dates read from free
text, what each status code becomes, and what the committed seed files therefore say (no Flask)."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from seed.build import dates
from seed.build.common import default_shared
from seed.build.epr import FOI_URL_MARK, foi_only
from seed.build.thresholds import primary_read, source_kind

SEED_DIR = Path(__file__).resolve().parents[2] / "seed"
SHARED = default_shared()
needs_shared = pytest.mark.skipif(not (SHARED / "epr_supplier_by_trust_2026.csv").is_file(),
                                  reason=f"public data folder {SHARED} is absent")


def seed(name: str) -> list[dict[str, str]]:
    with (SEED_DIR / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def shared(name: str) -> list[dict[str, str]]:
    with (SHARED / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# ---------------------------------------------------------------- dates from free text
@pytest.mark.parametrize("text, expected", [
    ("live since 2014-10-26; primary EPR per NHSE FOI 2024", "2014-10-26"),
    ("live since 23 May 2016; primary EPR per NHSE FOI 2024", "2016-05-23"),
    ("live Sept 2022; primary EPR per NHSE FOI 2024", "2022-09-01"),
    ("live (went live 8 Nov 2025)", "2025-11-08"),
    ("live (go-live 20 May 2015); primary EPR per NHSE FOI 2024", "2015-05-20"),
    ("live (went live with Lorenzo May 2017); primary EPR per NHSE FOI 2024", "2017-05-01"),
    ("live (Cerner since 2013); primary EPR per NHSE FOI 2024", "2013-01-01"),
    ("live per NHSE FOI 2024 (Lorenzo live June 2015); joint procurement", "2015-06-01"),  # the earliest
    # Dates of contracts, extensions and other systems are not go-lives.
    ("live; Dedalus contract extended 8 Jul 2025 - 7 Jul 2028 (+2y option)", None),
    ("live (incumbent); GBP65m award withdrawn Nov 2024", None),
    ("recorded as primary EPR supplier per NHSE FOI 2024; EHR went live 2-3 Nov 2024", None),
    ("replaced by Oracle Health Millennium (go-live 8 Nov 2025); was primary EPR per NHSE FOI 2024", None),
])
def test_a_go_live_is_read_only_where_the_text_ties_a_date_to_it(text, expected):
    found = dates.go_live(text)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize("text, expected", [
    ("contract signed; go-live planned spring 2026 (not confirmed live in sources found)", "2026-04-01"),
    ("implementing; go-live postponed from Sep/Nov 2024; new go-live date 19 Oct 2026 (board paper Jan 2026)",
     "2026-10-19"),
    ("contract signed (GBP65m, shared with EPUT); launch expected 2026/27 (not yet live)", "2026-04-01"),
    ("selected Aug 2023; 10-yr contracts to 2034; go-live delayed from Mar 2025, launch planned 2026", "2026-01-01"),
    ("contract awarded (shared EHR, FHI: GBP222m, 4 trusts); not yet live", None),
    ("selected; plans to implement announced Aug 2024 (go-live not found)", None),
    ("contract awarded GBP16.7m from 2024-10-30 (10y + 5y option); go-live not found", None),
])
def test_a_planned_go_live_comes_from_the_clause_that_plans_it(text, expected):
    found = dates.planned(text)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize("text, expected", [
    ("replaced by Epic (go-live 10 Oct 2020); Medway selected 2010", "2020-10-10"),
    ("replaced by Epic (GSTT/King's Epic launched late 2023; Epic recorded in NHSE FOI 2024)", "2023-10-01"),
    ("PAS contract 2012 (historical, superseded)", None),
])
def test_a_replacement_date_is_read_from_replaced_by(text, expected):
    found = dates.replaced_on(text)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize("text, expected", [
    ("2024-01", "2024-01-01"), ("2025", "2025-01-01"), ("c.2025-10", "2025-10-01"), ("c.2022", "2022-01-01"),
    ("undated", None), ("", None),
])
def test_a_source_date_is_the_first_day_it_names(text, expected):
    assert dates.as_of(text) == expected


def test_a_row_rests_on_the_foi_list_alone_only_if_every_source_is_that_list():
    foi = f"https://github.com/regulate-tech/nhstech/blob/x/{FOI_URL_MARK}"
    assert foi_only(foi) and foi_only(f"{foi} {foi}")
    assert not foi_only(f"{foi} https://www.digitalhealth.net/x") and not foi_only("")


@pytest.mark.parametrize("urls, text, kind, read", [
    (["https://www.justice.gov/atr/hhi"], "primary, not read (seen quoted in a forum)", "primary", False),
    (["https://www.justice.gov/atr/hhi"], "primary (regulator; read in full)", "primary", True),
    (["https://www.mondaq.com/x"], "secondary (law firm summary)", "secondary", False),
    (["https://blog.example/x"], "secondary (blog)", "other", False),
    (["https://docslib.org/x"], "unverified (from memory; primary not read)", "other", False),
])
def test_the_kind_of_a_source_and_whether_it_was_read(urls, text, kind, read):
    assert source_kind(urls, text) == kind and primary_read(kind, text) == read


# ---------------------------------------------------------------- what the seed files say
def test_each_status_code_becomes_its_status_and_none_becomes_a_finding():
    allowed = {"live": {"live", "ended"}, "contracted": {"planned"}, "replaced": {"ended"}}
    for d in seed("deployments.csv"):
        assert d["status"] in allowed[d["source_status_code"]], d
        if d["status"] == "planned":
            assert d["since"] == "" and d["until"] == ""
        if d["status"] == "live":
            assert d["until"] == "" and d["historical"] == "false" and d["expected_on"] == ""
        if d["status"] == "ended" and d["source_status_code"] == "live":
            assert d["historical"] == "true" and "predecessor" in d["notes"]  # a closed trust's system
        if d["since"] and d["until"]:
            assert d["since"] <= d["until"]
    assert {f["source_supplier_text"] for f in seed("no_system.csv")} == {"none (no EPR)"}


@needs_shared
def test_every_row_of_the_map_is_a_deployment_a_finding_or_reported_as_left_out():
    rows = shared("epr_supplier_by_trust_2026.csv")
    successors = {r["predecessor_ods_code"]: r["successor_ods_code"] for r in seed("successors.csv")}
    orgs = {o["ods_code"] for o in seed("organisations.csv")}
    kept = Counter((d["source_supplier_text"], d["source_product_text"], d["status_as_of"], d["ods_code"])
                   for d in seed("deployments.csv"))
    found = Counter((f["ods_code"], f["status_as_of"]) for f in seed("no_system.csv"))
    for r in rows:
        ods = successors.get(r["ods_code"], r["ods_code"])
        if r["status_code"] == "none":
            assert found[(ods, r["status_as_of"])], r
        elif ods in orgs and not r["supplier"].startswith(("none", "unknown")):
            assert kept[(r["supplier"], r["product"], r["status_as_of"], ods)], r
        else:
            assert not kept[(r["supplier"], r["product"], r["status_as_of"], ods)], r


def test_the_map_moves_as_its_dates_say():
    by_key = {(d["ods_code"], d["system_slug"], d["status"]): d for d in seed("deployments.csv")}
    # Barking, Havering and Redbridge (RF4): System C until Oracle Health went live on 8 Nov 2025.
    assert by_key[("RF4", "system-c-acute-epr-not-stated", "ended")]["until"] == "2025-11-08"
    assert by_key[("RF4", "oracle-health-millennium", "live")]["since"] == "2025-11-08"
    assert by_key[("RHQ", "dedalus-lorenzo", "ended")]["until"] == "2025-07-14"
    assert by_key[("RGT", "epic-ehr", "live")]["since"] == "2014-10-26"
    # The pipeline with its planned date; a selection abandoned never counts as live.
    assert by_key[("RCF", "oracle-health-millennium", "planned")]["expected_on"] == "2026-10-19"
    assert by_key[("RGM", "epic-ehr", "ended")]["since"] == ""
    # A supplier without a product is that supplier's EPR, "product not stated", source wording kept.
    foi = by_key[("R1F", "cgi-acute-epr-not-stated", "live")]
    assert foi["source_product_text"] == "not stated (FOI lists supplier only)" and foi["foi_2024_only"] == "true"


def test_no_default_rule_is_verified_or_cites_a_forum_and_the_uk_cma_says_no_threshold():
    rules = seed("concentration_alert_rules.csv")
    assert rules and all(r["verified"] == "false" for r in rules)
    assert not any("ycombinator" in r["source_urls"] for r in rules)
    moderate = next(r for r in rules if r["slug"] == "us-2023-moderately-concentrated")
    assert moderate["source_urls"] == "https://www.justice.gov/atr/herfindahl-hirschman-index"
    assert moderate["source_kind"] == "primary"
    assert {r["source_kind"] for r in rules} <= {"primary", "secondary", "other"}
    cma = [g for g in seed("hhi_regimes.csv") if g["regime"].startswith("UK CMA")]
    assert len(cma) == 1 and cma[0]["published_threshold"].startswith("NONE")
