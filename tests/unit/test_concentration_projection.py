"""The contracted pipeline, the projection it makes, the region × supplier table and the figures in
words, on hand-built records (no Flask, no DB)."""
from __future__ import annotations

from datetime import date

import pytest

from app.concentration import graph as gr
from app.concentration import wording
from app.concentration.analysis import category_figures
from app.concentration.projection import pipeline_rows, projection
from app.concentration.records import (
    DeploymentRecord,
    NoSystemRecord,
    OrgRecord,
    PartnershipRecord,
    Snapshot,
    SupplierRecord,
    SystemRecord,
)
from app.concentration.regions import region_table

TODAY = date(2026, 12, 2)
EPIC, MILL, LOR = 1, 2, 3


def graph(deployments, no_system=(), partnerships=()):
    orgs = (
        OrgRecord(100, "Y1", "NORTH REGION", kind="region"), OrgRecord(200, "Y2", "SOUTH REGION", kind="region"),
        OrgRecord(1, "A1", "ONE HOSPITALS NHS TRUST", trust_type="acute", region_id=100),
        OrgRecord(2, "A2", "TWO HOSPITALS NHS TRUST", trust_type="acute", region_id=100),
        OrgRecord(3, "A3", "THREE HOSPITALS NHS TRUST", trust_type="acute", region_id=200),
        OrgRecord(4, "A4", "FOUR HOSPITALS NHS TRUST", trust_type="acute", region_id=200),
        OrgRecord(5, "A5", "FIVE HOSPITALS NHS TRUST", trust_type="specialist", region_id=200),
    )
    return gr.build_graph(Snapshot(
        organisations=orgs,
        suppliers=(SupplierRecord(10, "Epic Systems"), SupplierRecord(20, "Oracle Health"), SupplierRecord(30, "Dedalus")),
        systems=(SystemRecord(EPIC, "Epic", "acute_epr", 10), SystemRecord(MILL, "Millennium", "acute_epr", 20),
                 SystemRecord(LOR, "Lorenzo", "acute_epr", 30)),
        deployments=tuple(deployments), no_system=tuple(no_system), partnerships=tuple(partnerships)))


def live(i, org, system, since=date(2020, 1, 1)):
    return DeploymentRecord(i, org, system, "live", since=since)


def planned(i, org, system, expected_on=None):
    return DeploymentRecord(i, org, system, "planned", expected_on=expected_on, status_as_of="2025-11",
                            confidence="high")


# Now: Millennium at 1 and 2, Lorenzo at 3; 4 is known to have no EPR; 5 is not known.
NOW = [live(1, 1, MILL), live(2, 2, MILL), live(3, 3, LOR)]
NONE4 = [NoSystemRecord(1, 4, "acute_epr", known_from=date(2024, 1, 1))]


def test_the_pipeline_names_every_row_it_rests_on_by_planned_date():
    g = graph(NOW + [planned(10, 3, MILL, date(2027, 4, 1)), planned(11, 4, EPIC, date(2026, 4, 1)),
                     planned(12, 5, EPIC), planned(13, 1, MILL, date(2027, 1, 1))], NONE4)
    rows = pipeline_rows(g, "acute_epr", TODAY)
    # Org 1 already runs Millennium: its planned row changes nothing and is left out.
    assert [(r.ods_code, r.system, r.runs_now) for r in rows] == [
        ("A4", "Epic", "No EPR (known)"), ("A3", "Millennium", "Lorenzo"), ("A5", "Epic", "Not known")]
    assert [r.overdue for r in rows] == [True, False, False]
    assert rows[0].organisation == "Four Hospitals NHS Trust"


def test_the_projection_takes_the_pipeline_live_quarter_by_quarter_then_the_whole_of_it():
    g = graph(NOW + [planned(10, 3, MILL, date(2027, 4, 1)), planned(11, 4, EPIC, date(2026, 4, 1)),
                     planned(12, 5, EPIC)], NONE4)
    p = projection(g, "acute_epr", TODAY)
    # Now: Oracle 2, Dedalus 1 of 3 → 4,444 + 1,111.
    assert p.now.suppliers.hhi == pytest.approx((200 / 3) ** 2 + (100 / 3) ** 2)
    # 2027 Q1: the overdue Epic at org 4 → Oracle 2, Dedalus 1, Epic 1 of 4.
    # 2027 Q2: Lorenzo → Millennium at org 3 too → Oracle 3, Epic 1 of 4; the series stops at the last date.
    assert [(q.label, q.projected) for q in p.series] == [("2027 Q1", True), ("2027 Q2", True)]
    assert p.series[0].figures.suppliers.hhi == pytest.approx(50 ** 2 + 25 ** 2 + 25 ** 2)
    assert p.series[1].figures.suppliers.hhi == pytest.approx(75 ** 2 + 25 ** 2)
    assert p.series[0].figures.orgs_without_system == 0
    # The whole pipeline, the undated org 5 included: Oracle 3, Epic 2 of 5; every trust known.
    assert p.with_pipeline.suppliers.hhi == pytest.approx(60 ** 2 + 40 ** 2)
    assert p.with_pipeline.unknown == 0
    assert p.with_pipeline.sources.rows == 0  # a projection rests on no row as it stands


def test_followers_adopt_their_exemplars_system_after_the_pipeline_unless_they_have_their_own_row():
    parts = [PartnershipRecord(1, 3, 1), PartnershipRecord(2, 5, 1)]
    g = graph(NOW + [planned(12, 5, EPIC)], NONE4, parts)
    p = projection(g, "acute_epr", TODAY)
    # Org 5 has a contracted Epic: it keeps it. Org 3 (Lorenzo) follows org 1 onto Millennium.
    assert p.followers_moving == 1
    assert {s.label: s.organisations for s in p.projected.suppliers.shares} == {"Oracle Health": 3, "Epic Systems": 1}


def test_the_region_table_counts_trusts_per_supplier_with_each_regions_coverage():
    g = graph(NOW + [live(4, 5, EPIC)], NONE4)
    t = region_table(g, "acute_epr", TODAY)
    assert [c.name for c in t.columns] == ["North Region", "South Region"]
    assert {r.supplier: r.counts for r in t.rows} == {"Oracle Health": (2, 0), "Dedalus": (0, 1),
                                                      "Epic Systems": (0, 1)}
    north, south = t.columns
    assert (north.in_scope, north.with_system, north.without_system, north.coverage) == (2, 2, 0, 100)
    assert (south.in_scope, south.with_system, south.without_system, south.unknown) == (3, 2, 1, 0)
    assert (t.england.in_scope, t.england.coverage) == (5, 100)
    assert t.rows[0].supplier == "Oracle Health" and t.rows[0].total == 2


def test_the_figures_in_words_say_the_range_coverage_and_sources():
    f = category_figures(graph(NOW, NONE4), "acute_epr", TODAY)
    # Oracle 2, Dedalus 1, one unknown (org 5): high 3 + 1 of 4 → 6,250; low 2 + 2 → 5,000.
    assert wording.hhi_sentence(f.suppliers) == (
        "HHI 5,556 by supplier, between 5,000 and 6,250 whatever the 1 trust not known runs (low: spread evenly "
        "over the suppliers known; high: all on the largest).")
    assert wording.coverage_sentence(f).startswith(
        "4 of 5 acute and specialist trusts known: 3 with a system, 1 known to have none, 1 not known (80% coverage).")
    assert wording.leader_sentence(f) == ("The largest supplier, Oracle Health, runs the system of 2 of the 3 trusts "
                                          "with a known system (66.7%).")
    assert wording.sources_sentence(f).startswith("Resting on 4 source rows")
    assert "could move the HHI by up to" in wording.sensitivity_sentence(f.suppliers)
