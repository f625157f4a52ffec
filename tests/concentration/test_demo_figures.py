"""Cross-checks: the demo's figures equal independent computations, with none of the app's
concentration code.

1. The national acute EPR picture from the public 2026 EPR map itself (../shared/data), by the
   counting rule stated in docs/concentration.md: live rows, one current primary EPR per open trust,
   acute and specialist trusts, shares by count of trusts per supplier as the map names it.
2. The quarterly series from the seed files (go-live and end dates, "no EPR" findings), by hand.
"""
from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from app.concentration import services
from seed.build.common import default_shared

SEED = Path(__file__).resolve().parents[2] / "seed"
SHARED = default_shared()
needs_shared = pytest.mark.skipif(not (SHARED / "epr_supplier_by_trust_2026.csv").is_file(),
                                  reason=f"the public data folder {SHARED} is not here")


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with open(folder / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


# --- 1. from the public map --------------------------------------------------------------------

def from_the_map() -> dict:
    """HHI, CR1, CR3 and the effective number for acute EPR, straight from the 2026 map."""
    english_open = {r["ods_code"] for r in read(SHARED, "nhs_trusts_open_2026_region_icb.csv") if r["region_ods_code"]}
    rows = [r for r in read(SHARED, "epr_supplier_by_trust_2026.csv")
            if r["care_setting"] in ("acute", "specialist") and not r["etr_close_date"] and r["ods_code"] in english_open]
    live = [r for r in rows if r["status_code"] == "live"]
    per_trust = Counter(r["ods_code"] for r in live)
    assert max(per_trust.values()) == 1, "the rule assumes one current primary EPR per trust"
    counts = sorted(Counter(r["supplier"] for r in live).values(), reverse=True)
    n = sum(counts)
    hhi = sum((100 * c / n) ** 2 for c in counts)
    known = set(per_trust) | {r["ods_code"] for r in rows if r["status_code"] == "none"}
    return {"hhi": hhi, "cr1": 100 * counts[0] / n, "cr3": 100 * sum(counts[:3]) / n, "effective": 10_000 / hhi,
            "suppliers": len(counts), "with_system": n, "known": len(known)}


@needs_shared
def test_the_acute_epr_headline_equals_an_independent_calculation_from_the_2026_map(db_session):
    expected = from_the_map()
    f = services.engine().figures("acute_epr", services.today())
    c = f.suppliers
    assert c.hhi == pytest.approx(expected["hhi"], abs=0.5)
    assert c.cr1 == pytest.approx(expected["cr1"], abs=0.05)
    assert c.cr3 == pytest.approx(expected["cr3"], abs=0.05)
    assert c.effective == pytest.approx(expected["effective"], abs=0.005)
    assert c.n == expected["suppliers"]
    assert f.orgs_with_system == expected["with_system"]
    assert f.known == expected["known"]


def test_the_acute_epr_coverage_is_at_least_100_known_trusts(db_session):
    f = services.engine().figures("acute_epr", services.today())
    assert f.known >= 100 and f.coverage >= 60
    assert f.orgs_without_system > 0  # trusts known to have no EPR count as known …
    assert sum(s.organisations for s in f.suppliers.shares) == f.orgs_with_system  # … but never in a share
    assert f.sources.foi_2024_only > 0 and f.sources.weaker > 0  # and it says what it rests on


# --- 2. the series, from the seed files --------------------------------------------------------

def start_of(row: dict[str, str]) -> date | None:
    if row["since"]:
        return date.fromisoformat(row["since"])
    m = re.fullmatch(r"(?:c\.)?(\d{4})(?:-(\d{2}))?", row["status_as_of"].strip())
    return date(int(m.group(1)), int(m.group(2) or 1), 1) if m else None


def by_hand(category: str, types: set[str], on: date) -> dict:
    """HHI by supplier per organisation (a trust with k systems gives each 1/k), by hand."""
    in_scope = {o["ods_code"] for o in read(SEED, "organisations.csv") if o["org_type"] in types}
    systems = {s["slug"]: s for s in read(SEED, "systems.csv")}
    held: dict[str, set[str]] = {}
    for d in read(SEED, "deployments.csv"):
        if systems[d["system_slug"]]["category"] != category or d["ods_code"] not in in_scope:
            continue
        if d["historical"] == "true":
            continue
        if d["status"] == "live":
            start = start_of(d)
            if start is not None and start > on:
                continue
        elif d["status"] == "ended":
            if not (d["since"] and d["until"] and date.fromisoformat(d["since"]) <= on < date.fromisoformat(d["until"])):
                continue
        else:
            continue
        held.setdefault(d["ods_code"], set()).add(d["system_slug"])
    none = {f["ods_code"] for f in read(SEED, "no_system.csv")
            if f["category"] == category and f["ods_code"] in in_scope and f["ods_code"] not in held
            and date.fromisoformat(f["known_from"]) <= on and (not f["until"] or date.fromisoformat(f["until"]) > on)}
    weight: dict[str, float] = {}
    for slugs in held.values():
        for s in slugs:
            sup = systems[s]["supplier_slug"]
            weight[sup] = weight.get(sup, 0) + 1 / len(slugs)
    total = sum(weight.values())
    hhi = sum((100 * w / total) ** 2 for w in weight.values()) if total else 0.0
    return {"hhi": hhi, "orgs": len(held), "none": len(none), "scope": len(in_scope), "suppliers": len(weight)}


@pytest.mark.parametrize("on", [date(2022, 3, 31), date(2023, 12, 31), date(2024, 3, 31), date(2025, 9, 30),
                                services.today()])
def test_the_acute_epr_series_matches_a_computation_by_hand(db_session, on):
    expected = by_hand("acute_epr", {"acute", "specialist"}, on)
    f = services.engine().figures("acute_epr", on)
    assert f.suppliers.hhi == pytest.approx(expected["hhi"])
    assert (f.orgs_with_system, f.orgs_without_system) == (expected["orgs"], expected["none"])
    assert f.orgs_in_scope == expected["scope"]
    assert f.suppliers.n == expected["suppliers"]


def test_the_series_sees_the_acute_market_move(db_session):
    """Sheffield's (RHQ) Oracle Health go-live of July 2025 moves a trust from Dedalus to Oracle Health."""
    series = {p.label: p.figures for p in services.engine().series("acute_epr", services.today())}
    before, after = series["2025 Q2"], series["2025 Q3"]
    oracle = {s.label: s.organisations for s in before.suppliers.shares}["Oracle Health"]
    assert {s.label: s.organisations for s in after.suppliers.shares}["Oracle Health"] == oracle + 1
    assert before.orgs_with_system == after.orgs_with_system


def test_a_demo_fast_follower_what_if_matches_a_computation_by_hand(db_session):
    """Countess of Chester (RJR) already runs Wirral's (RBL) supplier, so adopting it changes nothing."""
    from sqlalchemy import select

    from app.registry.models import Organisation

    on = services.today()
    base = by_hand("acute_epr", {"acute", "specialist"}, on)
    orgs = {o.ods_code: o for o in db_session.execute(
        select(Organisation).where(Organisation.ods_code.in_(["RJR", "RBL"]))).unique().scalars()}
    w = services.what_if_award(orgs["RJR"], orgs["RBL"], as_of=on)
    assert (w.system_name, w.supplier_name) == ("Oracle Health Millennium", "Oracle Health")
    assert w.hhi_before == pytest.approx(base["hhi"]) and w.delta == 0
    assert w.computed_over == base["orgs"]
