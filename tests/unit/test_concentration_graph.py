"""The concentration graph and the questions asked of it, on hand-built records (no Flask, no DB)."""
from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.concentration import analysis
from app.concentration import graph as gr
from app.concentration.projection import projection
from app.concentration.records import (
    DeploymentRecord,
    FrameworkRecord,
    LotRecord,
    MembershipRecord,
    NoSystemRecord,
    OrgRecord,
    PartnershipRecord,
    Snapshot,
    SupplierRecord,
    SystemRecord,
)

TODAY = date(2026, 11, 24)
EPIC, MILL, NERVE, LOR, RIO = 1, 2, 3, 4, 5


def snapshot(deployments=(), partnerships=(), memberships=(), framework_status="live", extra_orgs=()):
    orgs = (
        OrgRecord(1, "A1", "ACUTE ONE", trust_type="acute"),
        OrgRecord(2, "A2", "ACUTE TWO", trust_type="acute"),
        OrgRecord(3, "A3", "ACUTE THREE", trust_type="acute"),
        OrgRecord(4, "S4", "SPECIALIST FOUR", trust_type="specialist"),
        OrgRecord(5, "M5", "MENTAL HEALTH FIVE", trust_type="mental_health"),
        OrgRecord(6, "C6", "CLOSED SIX", trust_type="acute", closed_on=date(2024, 1, 1)),
        OrgRecord(7, "X7", "A REGION", kind="region"),
    ) + tuple(extra_orgs)
    return Snapshot(
        organisations=orgs,
        suppliers=(SupplierRecord(10, "Epic Systems"), SupplierRecord(20, "Oracle"), SupplierRecord(30, "Nervecentre"),
                   SupplierRecord(40, "Dedalus"), SupplierRecord(50, "Servelec")),
        systems=(SystemRecord(EPIC, "Epic", "acute_epr", 10), SystemRecord(MILL, "Millennium", "acute_epr", 20),
                 SystemRecord(NERVE, "Nervecentre", "acute_epr", 30), SystemRecord(LOR, "Lorenzo", "acute_epr", 40),
                 SystemRecord(RIO, "RiO", "mental_health_epr", 50)),
        deployments=tuple(deployments),
        partnerships=tuple(partnerships),
        frameworks=(FrameworkRecord(100, "GDE", framework_status),),
        lots=(LotRecord(200, 100, "Acute"),),
        memberships=tuple(memberships),
    )


def d(i, org, system, status="live", since=date(2020, 1, 1), **kw):
    return DeploymentRecord(i, org, system, status, since=since, **kw)


BASIC = [
    d(1, 1, EPIC), d(2, 2, MILL), d(3, 3, MILL), d(4, 3, NERVE),
    d(5, 4, LOR, status="planned", since=None),
    d(6, 5, RIO),
    d(7, 6, LOR),  # a closed trust: out of scope
    d(8, 4, LOR, historical=True),  # a historical row: shown apart, never counted
]


def test_the_graph_holds_every_kind_of_node_and_edge():
    g = gr.build_graph(snapshot(BASIC, [PartnershipRecord(1, 2, 1)], [MembershipRecord(1, 1, 200, "admitted")]))
    kinds = {data["kind"] for _, data in g.nodes(data=True)}
    assert kinds == {"organisation", "supplier", "system", "framework", "lot"}
    edge_kinds = {data["kind"] for _, _, data in g.edges(data=True)}
    assert edge_kinds == {"deployment", "supplied_by", "partnership", "membership", "part_of"}
    assert g.has_edge(("org", 3), ("system", NERVE))
    assert g.has_edge(("system", MILL), ("supplier", 20))
    assert g.has_edge(("org", 2), ("org", 1))
    assert g.has_edge(("org", 1), ("lot", 200))
    assert g.has_edge(("lot", 200), ("framework", 100))


def test_scope_is_open_trusts_of_the_matching_types():
    g = gr.build_graph(snapshot(BASIC))
    assert gr.scope(g, "acute_epr", TODAY) == {1, 2, 3, 4}
    assert gr.scope(g, "acute_epr", date(2023, 1, 1)) == {1, 2, 3, 4, 6}
    assert gr.scope(g, "mental_health_epr", TODAY) == {5}


def test_the_market_counts_live_deployments_in_scope_only():
    g = gr.build_graph(snapshot(BASIC))
    assert gr.market(g, "acute_epr", TODAY) == {1: frozenset({EPIC}), 2: frozenset({MILL}),
                                                3: frozenset({MILL, NERVE})}
    assert [x.id for x in gr.historical(g, "acute_epr")] == [8]


def test_category_figures_by_hand():
    g = gr.build_graph(snapshot(BASIC))
    f = analysis.category_figures(g, "acute_epr", TODAY)
    # Epic 1, Millennium 1.5, Nervecentre 0.5 of 3 → 33.3%, 50%, 16.7% (each system its own supplier).
    assert f.suppliers.hhi == pytest.approx((100 / 3) ** 2 + 50 ** 2 + (50 / 3) ** 2) == f.systems.hhi
    assert f.orgs_with_system == 3 and f.orgs_in_scope == 4 and f.coverage == 75
    assert f.systems.shares[0].label == "Millennium" and f.suppliers.shares[0].label == "Oracle"
    # The bounds: org 4 (planned only) is not known. High: onto Millennium → 1, 2.5, .5 of 4; low: onto
    # Nervecentre → 1, 1.5, 1.5 of 4.
    assert f.suppliers.bounds.high == pytest.approx((1 + 6.25 + 0.25) / 16 * 10_000)
    assert f.suppliers.bounds.low == pytest.approx((1 + 2.25 + 2.25) / 16 * 10_000)
    # It rests on the four rows in use (historical and closed-trust rows left out).
    assert f.sources.rows == 4


def test_the_time_series_follows_the_deployment_history():
    deps = [d(1, 1, EPIC, since=date(2023, 5, 1)), d(2, 2, MILL, since=date(2021, 1, 1), until=date(2024, 2, 1)),
            d(3, 2, EPIC, since=date(2024, 2, 1))]
    g = gr.build_graph(snapshot(deps))
    series = {p.label: p.figures for p in analysis.time_series(g, "acute_epr", TODAY)}
    assert len(series) == 20
    assert series["2023 Q1"].suppliers.hhi == 10_000 and series["2023 Q1"].systems.shares[0].label == "Millennium"
    assert series["2023 Q2"].suppliers.hhi == 5_000
    assert series["2024 Q1"].suppliers.hhi == 10_000 and series["2024 Q1"].systems.shares[0].label == "Epic"
    assert series["2022 Q1"].orgs_with_system == 1


def test_a_replaced_system_counts_from_its_go_live_until_its_replacement():
    """The quarterly series from real dates: org 2 ran Millennium (ended) until Epic went live."""
    deps = [d(1, 1, EPIC, since=date(2020, 1, 1)),
            d(2, 2, MILL, status="ended", since=date(2024, 1, 1), until=date(2025, 7, 14)),
            d(3, 2, EPIC, since=date(2025, 7, 14)),
            d(4, 3, LOR, status="ended", since=None, until=date(2023, 1, 1))]  # never known live: never counted
    g = gr.build_graph(snapshot(deps))
    series = {p.label: p.figures for p in analysis.time_series(g, "acute_epr", TODAY)}
    assert series["2023 Q4"].orgs_with_system == 1
    assert {s.label for s in series["2025 Q2"].suppliers.shares} == {"Epic Systems", "Oracle"}
    assert series["2025 Q2"].suppliers.hhi == 5_000
    assert {s.label for s in series["2025 Q3"].suppliers.shares} == {"Epic Systems"}
    assert series["2025 Q3"].suppliers.hhi == 10_000


def test_a_trust_known_to_have_no_system_counts_for_coverage_not_for_shares():
    findings = (NoSystemRecord(1, 3, "acute_epr", known_from=date(2024, 1, 1)),
                NoSystemRecord(2, 4, "acute_epr", known_from=date(2024, 1, 1), until=date(2025, 6, 1)),
                NoSystemRecord(3, 2, "acute_epr", known_from=date(2024, 1, 1), historical=True))
    snap = snapshot([d(1, 1, EPIC), d(2, 2, MILL), d(3, 4, LOR, since=date(2025, 6, 1))])
    g = gr.build_graph(Snapshot(**{**snap.__dict__, "no_system": findings}))
    now = analysis.category_figures(g, "acute_epr", TODAY)
    assert (now.orgs_with_system, now.orgs_without_system, now.unknown) == (3, 1, 0)
    assert now.coverage == 100 and now.suppliers.bounds.exact
    assert {s.label for s in now.suppliers.shares} == {"Epic Systems", "Oracle", "Dedalus"}
    before = analysis.category_figures(g, "acute_epr", date(2025, 3, 31))
    assert (before.orgs_with_system, before.orgs_without_system) == (2, 2)
    early = analysis.category_figures(g, "acute_epr", date(2023, 12, 31))
    assert early.orgs_without_system == 0  # before the finding's date nothing is known


def test_an_exemplar_offers_its_live_system_not_a_retiring_or_historical_one():
    deps = [d(1, 1, EPIC), d(2, 2, MILL, status="retiring"), d(3, 3, LOR, historical=True), d(4, 4, MILL),
            d(5, 4, NERVE)]
    g = gr.build_graph(snapshot(deps))
    assert gr.exemplar_offer(g, 1, TODAY) == ("acute_epr", frozenset({EPIC}))
    assert gr.exemplar_offer(g, 2, TODAY) is None
    assert gr.exemplar_offer(g, 3, TODAY) is None
    assert gr.exemplar_offer(g, 4, TODAY) == ("acute_epr", frozenset({MILL, NERVE}))


def test_what_if_a_follower_adopts_its_exemplars_system():
    # Epic 1, Millennium 1 (org 2) → org 2 adopts Epic: 50/50 → 100.
    g = gr.build_graph(snapshot([d(1, 1, EPIC), d(2, 2, MILL)]))
    w = analysis.what_if(g, 2, 1, TODAY)
    # Coverage after: 2 of the 4 acute and specialist trusts known.
    assert w == analysis.WhatIf("acute_epr", "Epic", "Epic Systems", 5000.0, 10_000.0, 5000.0, 2, 50.0)


def test_what_if_is_measured_by_supplier():
    # System 3 made a second Oracle system: org 2 (Millennium) adopting org 3's "Millennium PAS" stays with
    # the same supplier, so the HHI by supplier does not move.
    snap = snapshot([d(1, 1, EPIC), d(2, 2, MILL), d(3, 3, NERVE)])
    same_supplier = Snapshot(**{**snap.__dict__, "systems": snap.systems[:2] + (
        SystemRecord(NERVE, "Millennium PAS", "acute_epr", 20),) + snap.systems[3:]})
    g = gr.build_graph(same_supplier)
    assert analysis.what_if(g, 2, 3, TODAY).delta == 0
    assert analysis.what_if(g, 2, 3, TODAY).supplier_name == "Oracle"


def test_what_if_a_follower_with_no_known_system_joins_the_market():
    g = gr.build_graph(snapshot([d(1, 1, EPIC), d(2, 2, MILL)]))
    w = analysis.what_if(g, 3, 1, TODAY)
    # Epic 2, Millennium 1: 4444.4 + 1111.1.
    assert w.hhi_after == pytest.approx((200 / 3) ** 2 + (100 / 3) ** 2)
    assert w.delta == pytest.approx(w.hhi_after - 5000)
    assert w.computed_over == 3


def test_what_if_is_none_when_the_exemplar_has_no_live_system():
    g = gr.build_graph(snapshot([d(1, 1, EPIC, status="planned")]))
    assert analysis.what_if(g, 2, 1, TODAY) is None


def test_a_set_of_awards_is_computed_together():
    g = gr.build_graph(snapshot([d(1, 1, EPIC), d(2, 2, MILL), d(3, 3, LOR)]))
    [w] = analysis.what_if_awards(g, [(2, 1), (3, 1)], TODAY)
    assert w.hhi_before == pytest.approx(10_000 / 3) and w.hhi_after == 10_000
    assert analysis.what_if_awards(g, [], TODAY) == []


def test_the_projection_moves_every_follower_to_its_exemplars_system():
    deps = [d(1, 1, EPIC), d(2, 2, MILL), d(3, 3, LOR)]
    parts = [PartnershipRecord(1, 2, 1), PartnershipRecord(2, 3, 1), PartnershipRecord(3, 4, 1, status="ended")]
    p = projection(gr.build_graph(snapshot(deps, parts)), "acute_epr", TODAY)
    assert p.now.suppliers.n == 3 and p.projected.suppliers.n == 1
    assert p.projected.suppliers.hhi == 10_000 and p.followers_moving == 2
    assert p.distance_now.over_target == 0
    assert p.pipeline == () and p.series == ()


def test_shut_out_systems_have_no_admitted_exemplar_on_a_live_framework():
    deps = [d(1, 1, EPIC), d(2, 2, MILL), d(3, 3, LOR)]
    members = [MembershipRecord(1, 1, 200, "admitted"), MembershipRecord(2, 2, 200, "suspended")]
    g = gr.build_graph(snapshot(deps, memberships=members))
    assert [s.name for s in gr.shut_out(g, "acute_epr", TODAY)] == ["Lorenzo", "Millennium"]
    g_draft = gr.build_graph(snapshot(deps, memberships=members, framework_status="draft"))
    assert [s.name for s in gr.shut_out(g_draft, "acute_epr", TODAY)] == ["Epic", "Lorenzo", "Millennium"]


def test_suppliers_are_ranked_by_the_organisations_they_reach():
    g = gr.build_graph(snapshot(BASIC))
    reach = gr.supplier_reach(g, TODAY)
    assert [(r.name, r.organisations) for r in reach][:2] == [("Oracle", 2), ("Dedalus", 1)]
    assert all(r.organisations >= 2 for r in gr.supplier_reach(g, TODAY, minimum=2))


def test_exemplar_load_counts_active_partnerships_against_capacity():
    parts = [PartnershipRecord(1, 2, 1), PartnershipRecord(2, 3, 1), PartnershipRecord(3, 4, 5, status="ended")]
    snap = snapshot(partnerships=parts)
    g = gr.build_graph(Snapshot(**{**snap.__dict__, "capacities": {1: 1, 4: 3}}))
    load = {r.exemplar_id: r for r in gr.exemplar_load(g)}
    assert load[1].partnerships == 2 and load[1].over_capacity
    assert load[4].partnerships == 0 and not load[4].over_capacity
    assert 5 not in load


def test_followers_and_exemplars_form_connected_components():
    parts = [PartnershipRecord(1, 2, 1), PartnershipRecord(2, 3, 1), PartnershipRecord(3, 5, 4)]
    assert gr.follower_components(gr.build_graph(snapshot(partnerships=parts))) == [[1, 2, 3], [4, 5]]


@settings(deadline=None, max_examples=40)
@given(st.lists(st.tuples(st.integers(1, 5), st.sampled_from([EPIC, MILL, NERVE, LOR])), min_size=1, max_size=12),
       st.randoms())
def test_figures_do_not_depend_on_the_order_of_the_deployments(pairs, rnd):
    deps = [d(i, o, s) for i, (o, s) in enumerate(pairs)]
    shuffled = list(deps)
    rnd.shuffle(shuffled)
    a = analysis.category_figures(gr.build_graph(snapshot(deps)), "acute_epr", TODAY)
    b = analysis.category_figures(gr.build_graph(snapshot(shuffled)), "acute_epr", TODAY)
    assert a == b


@settings(deadline=None, max_examples=40)
@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from([EPIC, MILL, NERVE, LOR])), min_size=1, max_size=12))
def test_awarding_a_follower_the_system_it_already_runs_changes_nothing(pairs):
    deps = [d(i, o, s) for i, (o, s) in enumerate(pairs)]
    g = gr.build_graph(snapshot(deps))
    follower = pairs[0][0]
    running = gr.live_systems(g, follower, TODAY)["acute_epr"]
    # An exemplar (org 9) running exactly what the follower runs.
    twin = [d(100 + i, 9, s) for i, s in enumerate(sorted(running))]
    g2 = gr.build_graph(snapshot(deps + twin, extra_orgs=(OrgRecord(9, "T9", "TWIN", kind="trust", trust_type="community"),)))
    assert analysis.what_if(g2, follower, 9, TODAY).delta == 0
