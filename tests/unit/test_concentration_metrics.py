"""Concentration metrics on plain values, checked against hand-computed examples (no Flask, no DB)."""
from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.concentration import metrics as m
from app.concentration.records import DeploymentRecord, SupplierRecord, SystemRecord, parse_status_as_of

SYSTEMS = {
    1: SystemRecord(1, "Epic", "acute_epr", supplier_id=10),
    2: SystemRecord(2, "Millennium", "acute_epr", supplier_id=20),
    3: SystemRecord(3, "Nervecentre", "acute_epr", supplier_id=30),
    4: SystemRecord(4, "Lorenzo", "acute_epr", supplier_id=40),
    5: SystemRecord(5, "Cerner PAS", "acute_epr", supplier_id=20),
}
SUPPLIERS = {k: SupplierRecord(k, f"Supplier {k}") for k in (10, 20, 30, 40)}
DAY = date(2026, 11, 1)


def fig(market, scope=10, weighting="organisation", without=0, evidence=()):
    return m.figures(market, systems=SYSTEMS, suppliers=SUPPLIERS, orgs_in_scope=scope, category="acute_epr",
                     as_of=DAY, weighting=weighting, without_system=without, evidence=evidence)


def test_one_supplier_gives_the_maximum_hhi_of_10000():
    f = fig({1: frozenset({1}), 2: frozenset({1})})
    assert f.suppliers.hhi == 10_000 and f.systems.hhi == 10_000
    assert f.suppliers.effective == 1
    assert f.suppliers.cr1 == 100 and f.suppliers.cr3 == 100


def test_hhi_of_a_hand_computed_market():
    # Shares 50%, 25%, 25% → 2500 + 625 + 625 = 3750 (each system its own supplier).
    f = fig({1: frozenset({1}), 2: frozenset({1}), 3: frozenset({2}), 4: frozenset({3})})
    assert f.suppliers.hhi == pytest.approx(3750) == f.systems.hhi
    assert f.suppliers.cr1 == pytest.approx(50)
    assert f.suppliers.cr3 == pytest.approx(100)
    assert f.suppliers.effective == pytest.approx(10_000 / 3750)
    assert f.suppliers.n == 3 and f.systems.n == 3


def test_a_trust_running_two_systems_splits_its_weight():
    # Org 1 runs Epic; org 2 runs Millennium + Nervecentre (½ each): shares 50, 25, 25.
    f = fig({1: frozenset({1}), 2: frozenset({2, 3})})
    shares = {s.label: s.percent for s in f.systems.shares}
    assert shares == {"Epic": pytest.approx(50), "Millennium": pytest.approx(25), "Nervecentre": pytest.approx(25)}
    assert f.systems.hhi == pytest.approx(3750)
    assert f.orgs_with_system == 2


def test_per_deployment_weighting_counts_each_pair_once():
    f = fig({1: frozenset({1}), 2: frozenset({2, 3})}, weighting="deployment")
    assert {s.label: s.percent for s in f.systems.shares} == {
        "Epic": pytest.approx(100 / 3), "Millennium": pytest.approx(100 / 3), "Nervecentre": pytest.approx(100 / 3)}


def test_the_headline_counts_suppliers_adding_up_their_systems():
    # Millennium and Cerner PAS share supplier 20: by supplier 75/25, by system 50/25/25.
    f = fig({1: frozenset({1}), 2: frozenset({2}), 3: frozenset({5}), 4: frozenset({2})})
    sup = {s.id: s for s in f.suppliers.shares}
    assert sup[20].percent == pytest.approx(75) and sup[20].organisations == 3
    assert f.suppliers.hhi == pytest.approx(75 ** 2 + 25 ** 2)
    assert f.suppliers.cr1 == pytest.approx(75) and f.suppliers.largest.id == 20
    assert f.systems.hhi == pytest.approx(50 ** 2 + 25 ** 2 + 25 ** 2)


def test_coverage_counts_the_trusts_known_to_have_no_system_but_shares_do_not():
    with_none = fig({1: frozenset({1}), 2: frozenset({2})}, scope=8, without=2)
    alone = fig({1: frozenset({1}), 2: frozenset({2})}, scope=8)
    assert with_none.coverage == 50 and alone.coverage == 25
    assert with_none.known == 4 and with_none.unknown == 4
    assert with_none.suppliers.shares == alone.suppliers.shares
    assert with_none.computed_over == ("4 of 8 acute and specialist trusts known (2 with a known system, 2 known to "
                                       "have none; 50% coverage)")


def test_the_bounds_are_over_the_trusts_not_known():
    # Two known suppliers of 1 trust each, 2 unknown: high 3 + 1 → 6,250; low 2 + 2 → 5,000.
    f = fig({1: frozenset({1}), 2: frozenset({2})}, scope=5, without=1)
    b = f.suppliers.bounds
    assert (b.hhi, b.low, b.high, b.unknown) == (5000, 5000, 6250, 2)


def test_the_sources_say_how_many_rows_and_which_are_weaker_or_2024_only():
    rows = [dep(status_as_of="2024-01", confidence="medium", foi=True), dep(status_as_of="2025-11", confidence="high"),
            dep(status_as_of="c.2022", confidence="low"), dep(status_as_of="undated", confidence="unrated")]
    s = m.sources_of(rows)
    assert (s.rows, s.high, s.medium, s.low, s.unrated, s.weaker, s.foi_2024_only) == (4, 1, 1, 1, 1, 3, 1)
    assert s.dated == "c.2022 to 2025-11"
    f = fig({1: frozenset({1})}, scope=1, evidence=rows)
    assert f.computed_over.endswith("; sources dated c.2022 to 2025-11")


def test_an_empty_market_has_no_effective_number():
    f = fig({}, scope=0)
    assert f.suppliers.hhi == 0 and f.suppliers.effective is None and f.coverage is None and f.suppliers.n == 0
    assert f.suppliers.bounds.hhi is None


def test_an_unknown_weighting_is_refused():
    with pytest.raises(ValueError):
        m.system_weights({1: frozenset({1})}, "beds")


def test_distance_to_the_six_system_target_counts_suppliers():
    market = {i: frozenset({i % 5 + 1}) for i in range(10)}  # systems 1–5 of suppliers 10–40 (2 and 5 share 20)
    d = m.distance_to_target(fig(market).suppliers)
    assert d.target == 6 and d.n == 4 and d.over_target == 0
    eight = {i: frozenset({i}) for i in range(1, 9)}
    systems = {i: SystemRecord(i, f"S{i}", "acute_epr", 100 + i) for i in range(1, 9)}
    suppliers = {100 + i: SupplierRecord(100 + i, f"Supplier {i}") for i in range(1, 9)}
    f8 = m.figures(eight, systems=systems, suppliers=suppliers, orgs_in_scope=8, category="acute_epr", as_of=DAY)
    d8 = m.distance_to_target(f8.suppliers)
    assert d8.over_target == 2 and d8.effective_over_target == pytest.approx(2)


def test_adopting_replaces_what_the_follower_runs():
    market = {1: frozenset({1}), 2: frozenset({2, 3})}
    after = m.adopt(market, 2, [1])
    assert after == {1: frozenset({1}), 2: frozenset({1})}
    supplier_of = {k: v.supplier_id for k, v in SYSTEMS.items()}
    assert m.delta_hhi(market, after, supplier_of) == Fraction(10_000) - Fraction(3750)
    assert market[2] == frozenset({2, 3})  # the original is untouched


def test_projection_moves_every_follower():
    market = {1: frozenset({1}), 2: frozenset({2}), 3: frozenset({3})}
    assert m.project(market, {2: frozenset({1}), 4: frozenset({1})}) == {
        1: frozenset({1}), 2: frozenset({1}), 3: frozenset({3}), 4: frozenset({1})}


def test_the_quarters_ahead_end_on_their_last_days():
    assert m.next_quarter_points(date(2026, 12, 2), 3) == [
        ("2027 Q1", date(2027, 3, 31)), ("2027 Q2", date(2027, 6, 30)), ("2027 Q3", date(2027, 9, 30))]


def test_quarter_points_cover_twenty_quarters_ending_on_the_date():
    points = m.quarter_points(date(2026, 11, 24))
    assert len(points) == 20
    assert points[-1] == ("2026 Q4", date(2026, 11, 24))
    assert points[-2] == ("2026 Q3", date(2026, 9, 30))
    assert points[0] == ("2022 Q1", date(2022, 3, 31))
    assert m.quarter_points(date(2026, 12, 31), 1) == [("2026 Q4", date(2026, 12, 31))]


def test_scope_labels_name_the_trust_types():
    assert m.scope_label("acute_epr") == "acute and specialist trusts"
    assert m.scope_label("mental_health_epr") == "mental health trusts"
    assert m.scope_label("unknown") == "trusts"


@pytest.mark.parametrize("text, expected", [
    ("2019-07", date(2019, 7, 1)), ("2016", date(2016, 1, 1)), ("c.2022", date(2022, 1, 1)),
    ("2025-11-30", date(2025, 11, 30)), ("undated case study", None), ("", None), (None, None), ("2019-13", None),
])
def test_status_as_of_is_read_when_it_holds_a_date(text, expected):
    assert parse_status_as_of(text) == expected


def dep(status="live", since=None, until=None, known_from=None, historical=False, status_as_of="",
        confidence="unrated", foi=False):
    return DeploymentRecord(1, 1, 1, status, since=since, until=until, known_from=known_from, historical=historical,
                            status_as_of=status_as_of, confidence=confidence, foi_2024_only=foi)


def test_what_counts_as_in_use_on_a_date():
    d = date(2024, 6, 30)
    assert dep("live", since=date(2024, 6, 30)).in_use_on(d)
    assert not dep("live", since=date(2024, 7, 1)).in_use_on(d)
    assert dep("retiring", since=date(2020, 1, 1)).in_use_on(d)
    assert not dep("planned", since=date(2020, 1, 1)).in_use_on(d)
    # Ended: in use between a known go-live and the end, never without both.
    assert not dep("ended", since=date(2020, 1, 1)).in_use_on(d)
    assert dep("ended", since=date(2020, 1, 1), until=date(2024, 7, 1)).in_use_on(d)
    assert not dep("ended", since=date(2020, 1, 1), until=date(2024, 6, 30)).in_use_on(d)
    assert not dep("ended", known_from=date(2020, 1, 1), until=date(2025, 1, 1)).in_use_on(d)
    assert not dep("live", since=date(2020, 1, 1), until=date(2024, 6, 30)).in_use_on(d)
    assert dep("live", since=date(2020, 1, 1), until=date(2024, 7, 1)).in_use_on(d)
    # Since unknown: the source's status date stands in ("live by then").
    assert dep("live", known_from=date(2024, 1, 1)).in_use_on(d)
    assert not dep("live", known_from=date(2025, 1, 1)).in_use_on(d)
    # Nothing known about the start: a live deployment is counted.
    assert dep("live").in_use_on(d)


# --- properties -------------------------------------------------------------------------------

markets = st.dictionaries(
    st.integers(min_value=1, max_value=60),
    st.frozensets(st.integers(min_value=1, max_value=8), min_size=1, max_size=3),
    min_size=1, max_size=40,
)


@settings(deadline=None, max_examples=50)
@given(markets, st.sampled_from(sorted(m.WEIGHTINGS)))
def test_hhi_lies_between_10000_over_n_and_10000(market, weighting):
    weights = m.system_weights(market, weighting)
    n = len(weights)
    h = m.hhi(weights)
    assert Fraction(10_000, n) <= h <= 10_000


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(1, 6)), min_size=1, max_size=40), st.randoms())
def test_hhi_does_not_depend_on_the_order_of_the_records(pairs, rnd):
    def build(rows):
        market: dict[int, set[int]] = {}
        for o, s in rows:
            market.setdefault(o, set()).add(s)
        return {o: frozenset(s) for o, s in market.items()}

    shuffled = list(pairs)
    rnd.shuffle(shuffled)
    assert m.hhi(m.system_weights(build(pairs))) == m.hhi(m.system_weights(build(shuffled)))


@settings(deadline=None, max_examples=50)
@given(markets, st.data())
def test_a_no_op_award_changes_nothing(market, data):
    follower = data.draw(st.sampled_from(sorted(market)))
    supplier_of = {s: s % 3 for held in market.values() for s in held}
    assert m.delta_hhi(market, m.adopt(market, follower, market[follower]), supplier_of) == 0


@settings(deadline=None, max_examples=50)
@given(st.integers(min_value=1, max_value=50))
def test_one_system_always_has_hhi_10000(n):
    assert m.hhi(m.system_weights({i: frozenset({7}) for i in range(n)})) == 10_000


@settings(deadline=None, max_examples=50)
@given(st.dictionaries(st.integers(1, 60), st.frozensets(st.integers(1, 5), min_size=1, max_size=3), min_size=1,
                       max_size=40))
def test_shares_add_up_to_100_percent(market):
    f = fig(market, scope=60)
    assert sum(s.percent for s in f.systems.shares) == pytest.approx(100)
    assert sum(s.percent for s in f.suppliers.shares) == pytest.approx(100)
