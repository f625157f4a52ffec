"""Concentration services on the database: the graph built from the register, what-if for other
domains, and the figures cache keyed by data version."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import event

from app import signals
from app.concentration import analysis, services
from app.concentration import graph as gr
from app.extensions import db
from app.registry.models import Partnership

from .conftest import CATEGORY, TRUST_TYPE

TODAY = date(2026, 11, 24)


def test_the_figures_of_a_hand_computed_market(market):
    f = services.engine().figures(CATEGORY, TODAY)
    assert f.suppliers.hhi == pytest.approx(6250) and f.systems.hhi == pytest.approx(4687.5)
    assert f.systems.n == 3 and f.suppliers.n == 2
    assert f.orgs_with_system == 4
    assert f.orgs_in_scope == market.in_scope_before + 4
    assert f.systems.cr1 == pytest.approx(62.5) and f.systems.cr3 == pytest.approx(100)
    assert {s.label: s.percent for s in f.suppliers.shares} == {"Alpha Ltd": pytest.approx(75),
                                                                "Beta Ltd": pytest.approx(25)}
    # Every other trust in scope is unknown (u of them): all on Alpha → 3 + u against 1; spread evenly over
    # the two known suppliers → as near half each as whole trusts allow.
    u, n = market.in_scope_before, market.in_scope_before + 4
    assert f.suppliers.bounds.unknown == u
    assert f.suppliers.bounds.high == pytest.approx(((3 + u) ** 2 + 1) / n ** 2 * 10_000)
    assert f.suppliers.bounds.low == pytest.approx(((n - n // 2) ** 2 + (n // 2) ** 2) / n ** 2 * 10_000)


def test_the_graph_built_from_the_database_holds_the_register(market):
    g = services.engine().graph
    assert g.has_edge(("org", market.o4.id), ("system", market.c.id))
    assert g.has_edge(("system", market.a.id), ("supplier", market.a.supplier_id))
    assert gr.live_systems(g, market.o4.id, TODAY)[CATEGORY] == {market.a.id, market.c.id}


def test_what_if_award_gives_the_change_in_hhi(market):
    w = services.what_if_award(market.o1, market.o3, as_of=TODAY)
    # o1 moves from A (Alpha) to B (Beta): by supplier Alpha 2, Beta 2 of 4 → 2,500 + 2,500 = 5,000.
    assert w == services.WhatIf(CATEGORY, "Beta ePR", "Beta Ltd", 6250.0, 5000.0, -1250.0, 4,
                                pytest.approx(400 / (market.in_scope_before + 4)))


def test_what_if_award_accepts_ids_and_defaults_to_today(market):
    w = services.what_if_award(market.o1.id, market.o3.id)
    assert w is not None and w.delta == pytest.approx(-1250)


def test_what_if_award_is_none_when_the_exemplar_has_no_live_system(market, make):
    planned = make.org(trust_type=TRUST_TYPE)
    make.deployment(planned, market.b, status="planned", since=None)
    assert services.what_if_award(market.o1, planned) is None
    assert services.what_if_award(market.o1, make.org(trust_type=TRUST_TYPE)) is None


def test_awarding_a_follower_the_system_it_already_runs_changes_nothing(market):
    assert services.what_if_award(market.o1, market.o2).delta == 0


def test_what_if_for_shortlist_is_keyed_by_exemplar_id(market, make):
    nobody = make.org(trust_type=TRUST_TYPE)
    result = services.what_if_for_shortlist(market.o1, [market.o3, market.o2, nobody])
    assert set(result) == {market.o3.id, market.o2.id, nobody.id}
    assert result[market.o3.id].delta == pytest.approx(-1250)
    assert result[market.o2.id].delta == 0
    assert result[nobody.id] is None


def _count_queries(fn) -> int:
    seen = []

    def before(conn, cursor, statement, *args):
        seen.append(statement)

    engine = db.session.get_bind()
    event.listen(engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", before)
    return len(seen)


def test_what_if_for_shortlist_uses_a_fixed_number_of_queries(market, make):
    extra = [make.org(trust_type=TRUST_TYPE) for _ in range(5)]
    for o in extra:
        make.deployment(o, market.b)
    services.engine()  # warm the cache
    one = _count_queries(lambda: services.what_if_for_shortlist(market.o1, [market.o3]))
    six = _count_queries(lambda: services.what_if_for_shortlist(market.o1, [market.o3] + extra))
    assert one == six == 1  # the data version check only


def test_a_set_of_awards_is_computed_together(market):
    [w] = services.what_if_awards([(market.o1, market.o3), (market.o2, market.o3)], as_of=TODAY)
    # o1 and o2 move to Beta: Alpha 1 (o4's A + C), Beta 3 of 4 → 625 + 5,625; the one award alone gave 5,000.
    assert w.hhi_after == pytest.approx(6250) and w.delta == 0


def test_the_engine_is_reused_while_the_data_is_unchanged(market, fresh_cache):
    assert services.engine() is services.engine()


def test_a_new_deployment_changes_the_data_version_and_the_figures(market, make):
    first = services.engine()
    before = first.figures(CATEGORY, TODAY).suppliers.hhi
    make.deployment(make.org(trust_type=TRUST_TYPE), market.b)
    second = services.engine()
    assert second is not first
    assert second.figures(CATEGORY, TODAY).suppliers.hhi != before


def test_the_data_changed_signal_bumps_the_shared_version(market, db_session):
    before = services.data_version()
    signals.data_changed.send("deployment")
    assert services.data_version() != before


def test_an_edit_without_new_rows_is_seen_through_the_signal(market, db_session):
    first = services.engine()
    dep = market.o3.deployments[0]
    dep.status = "ended"  # a change that adds no row …
    db_session.flush()
    signals.data_changed.send("deployment")  # … announced as the registry services do
    assert services.engine() is not first
    assert services.what_if_award(market.o1, market.o3) is None


def test_a_new_partnership_moves_the_projection(market, make):
    assert services.engine().projection(CATEGORY, TODAY).followers_moving == 0
    db.session.add(Partnership(follower_id=market.o1.id, exemplar_id=market.o3.id, origin="call_off"))
    db.session.flush()
    p = services.engine().projection(CATEGORY, TODAY)
    assert p.followers_moving == 1
    assert p.projected.suppliers.hhi == pytest.approx(5000)  # as the what-if of the same award


def test_historical_and_undated_rows_are_read_from_the_register(market, make):
    old = make.org(trust_type=TRUST_TYPE)
    make.deployment(old, market.b, historical=True)
    undated = make.org(trust_type=TRUST_TYPE)
    make.deployment(undated, market.c, since=None, status_as_of="2025-03")
    g = services.engine().graph
    assert [d.organisation_id for d in gr.historical(g, CATEGORY)] == [old.id]
    rec = next(d for d in gr.deployments(g, CATEGORY) if d.organisation_id == undated.id)
    assert rec.known_from == date(2025, 3, 1)
    assert undated.id in gr.market(g, CATEGORY, TODAY)
    assert undated.id not in gr.market(g, CATEGORY, date(2025, 2, 28))
    f = analysis.category_figures(g, CATEGORY, TODAY)
    assert old.id not in gr.market(g, CATEGORY, TODAY)
    assert f.orgs_with_system == 5 and f.sources.rows == 6  # the market's four, plus the undated one (two rows)


def test_open_competitions_are_listed_for_the_what_if_page(db_session):
    assert isinstance(services.open_competitions(), list)


def test_declared_capacity_is_the_sum_of_published_offers(db_session):
    from sqlalchemy import select

    from app.offers.models import Offer

    expected: dict[int, int] = {}
    for offer in db_session.execute(select(Offer).where(Offer.status == "published")).unique().scalars():
        expected[offer.organisation_id] = expected.get(offer.organisation_id, 0) + offer.current_version.capacity_per_quarter
    assert services.capacities() == expected


def test_the_dashboard_shows_exemplar_load_against_capacity(db_session):
    from app.concentration.services import dashboard as dash

    d = dash.dashboard("acute_epr", TODAY)
    caps = services.capacities()
    for row in d.load:
        assert row.capacity_per_quarter == caps.get(row.exemplar_id)
        assert row.over_capacity == (row.capacity_per_quarter is not None and row.partnerships > row.capacity_per_quarter)
    assert any(row.partnerships for row in d.load)  # the demo fast followers


def test_a_framework_status_change_is_seen_without_a_signal(db_session):
    from sqlalchemy import select

    from app.registry.models import Framework

    first = services.engine()
    fw = db_session.execute(select(Framework).where(Framework.status == "live")).scalars().first()
    fw.status = "expired"
    db_session.flush()
    assert services.engine() is not first


def test_a_partnership_ending_is_seen_without_a_signal(db_session):
    from sqlalchemy import select

    first = services.engine()
    p = db_session.execute(select(Partnership).where(Partnership.status == "active")).unique().scalars().first()
    p.status = "ended"
    db_session.flush()
    assert services.engine() is not first


def test_a_bump_rolled_back_and_redone_never_reuses_the_figures_of_the_undone_change(market, make, db_session):
    nested = db_session.begin_nested()
    make.deployment(market.o1, market.b)
    db_session.flush()
    signals.data_changed.send("deployment")
    undone = services.engine()
    assert services.what_if_award(market.o2, market.o3).hhi_before != pytest.approx(6250)
    nested.rollback()
    signals.data_changed.send("deployment")  # the same counter value as the undone bump
    redone = services.engine()
    assert redone is not undone
    assert redone.figures(CATEGORY, TODAY).suppliers.hhi == pytest.approx(6250)


def test_the_graph_is_built_with_the_garbage_collector_paused_then_resumed(market, monkeypatch):
    import gc

    seen = []
    real = gr.build_graph
    monkeypatch.setattr(gr, "build_graph", lambda snap: (seen.append(gc.isenabled()), real(snap))[1])
    services.clear_cache()
    assert gc.isenabled()
    services.engine()
    assert seen == [False]  # paused while the graph was built
    assert gc.isenabled()  # and running again after
