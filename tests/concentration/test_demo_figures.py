"""Cross-check: the demo data's figures match an independent computation from the seed files.

The seed CSVs are read with the csv module and the HHI worked out by hand here, with none of
the app's concentration code, then compared with what the service reports.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pytest

from app.concentration import services

SEED = Path(__file__).resolve().parents[2] / "seed"


def read(name: str) -> list[dict[str, str]]:
    with open(SEED / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def start_of(row: dict[str, str]) -> date | None:
    if row["since"]:
        return date.fromisoformat(row["since"])
    m = re.fullmatch(r"(?:c\.)?(\d{4})(?:-(\d{2}))?", row["status_as_of"].strip())
    return date(int(m.group(1)), int(m.group(2) or 1), 1) if m else None


def by_hand(category: str, types: set[str], on: date) -> dict:
    """HHI per organisation (a trust with k systems gives each 1/k), by hand."""
    in_scope = {o["ods_code"] for o in read("organisations.csv") if o["org_type"] in types}
    category_of = {s["slug"]: s["category"] for s in read("systems.csv")}
    held: dict[str, set[str]] = {}
    for d in read("deployments.csv"):
        if category_of[d["system_slug"]] != category or d["ods_code"] not in in_scope:
            continue
        if d["status"] not in ("live", "retiring") or "historical" in d["confidence"]:
            continue
        start = start_of(d)
        if start is not None and start > on:
            continue
        if d["until"] and date.fromisoformat(d["until"]) <= on:
            continue
        held.setdefault(d["ods_code"], set()).add(d["system_slug"])
    weight: dict[str, float] = {}
    for systems in held.values():
        for s in systems:
            weight[s] = weight.get(s, 0) + 1 / len(systems)
    total = sum(weight.values())
    hhi = sum((100 * w / total) ** 2 for w in weight.values()) if total else 0.0
    return {"hhi": hhi, "orgs": len(held), "scope": len(in_scope), "systems": len(weight)}


@pytest.mark.parametrize("on", [date(2016, 6, 30), date(2019, 12, 31), date(2023, 3, 31), services.today()])
def test_the_acute_epr_figures_match_a_computation_by_hand(db_session, on):
    expected = by_hand("acute_epr", {"acute", "specialist"}, on)
    f = services.engine().figures("acute_epr", on)
    assert f.hhi == pytest.approx(expected["hhi"])
    assert f.orgs_with_system == expected["orgs"]
    assert f.orgs_in_scope == expected["scope"]
    assert f.n_systems == expected["systems"]


def test_the_demo_market_is_the_partial_one_the_caveat_describes(db_session):
    f = services.engine().figures("acute_epr", services.today())
    assert 0 < f.orgs_with_system <= 50
    assert f.coverage < 50


def test_a_demo_fast_follower_what_if_matches_a_computation_by_hand(db_session):
    """Countess of Chester (RJR, no live system) adopting Wirral's (RBL) Millennium."""
    from app.registry.models import Organisation
    from sqlalchemy import select

    on = services.today()
    base = by_hand("acute_epr", {"acute", "specialist"}, on)
    orgs = {o.ods_code: o for o in db_session.execute(
        select(Organisation).where(Organisation.ods_code.in_(["RJR", "RBL"]))).unique().scalars()}
    w = services.what_if_award(orgs["RJR"], orgs["RBL"], as_of=on)
    assert w.system_name == "Oracle Health Millennium"
    assert w.hhi_before == pytest.approx(base["hhi"])
    assert w.computed_over == base["orgs"] + 1
