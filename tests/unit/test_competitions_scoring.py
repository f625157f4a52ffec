"""Scoring by the published method: weights, the price formula, threshold, abnormally low prices, ties."""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from app.competitions import scoring
from app.competitions.scoring import (
    BidFacts,
    Method,
    Question,
    abnormally_low,
    evaluator_average,
    price_fraction,
    score_bids,
    two_places,
    weight_problems,
)

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
METHOD = Method(questions=(Question(1, 40), Question(2, 20)), price_weight=40, scale_max=4,
                threshold_percent=50, abnormally_low_percent=25)


def bid(i, price, m1, m2, minutes=0):
    return BidFacts(bid_id=i, price_pence=price, submitted_at=T0 + timedelta(minutes=minutes), marks={1: m1, 2: m2})


def test_quality_and_price_scores_follow_the_published_formula():
    a, b = score_bids(METHOD, [bid(1, 100_000, 4, 2), bid(2, 80_000, 3, 3)])
    # bid 2: quality 3/4*40 + 3/4*20 = 45; price 80/80*40 = 40; total 85
    # bid 1: quality 40 + 10 = 50; price 80/100*40 = 32; total 82
    assert (a.bid_id, a.quality_score, a.price_score, a.total, a.rank) == (2, Decimal("45.00"), Decimal("40.00"), Decimal("85.00"), 1)
    assert (b.bid_id, b.quality_score, b.price_score, b.total, b.rank) == (1, Decimal("50.00"), Decimal("32.00"), Decimal("82.00"), 2)
    assert b.question_scores == {1: Decimal("40.00"), 2: Decimal("10.00")}
    assert b.quality_percent == Decimal("83.33")


@pytest.mark.parametrize("bids, expected_order, why", [
    # same total 90: bid 1 has quality 55 + price 35 (70k/80k*40); bid 2 quality 50 + price 40
    ([bid(1, 80_000, 4, 3), bid(2, 70_000, 4, 2)], [1, 2], "higher quality wins a tie"),
    ([bid(1, 80_000, 4, 2), bid(2, 80_000, 4, 2, minutes=-5)], [2, 1], "same quality and price: earlier submission"),
    ([bid(5, 80_000, 4, 2), bid(3, 80_000, 4, 2)], [3, 5], "identical in every way: lower bid number"),
])
def test_ties_are_broken_by_the_published_rule(bids, expected_order, why):
    results = score_bids(METHOD, bids)
    assert [r.bid_id for r in results] == expected_order, why
    assert results[0].total == results[1].total
    assert [r.rank for r in results] == [1, 2]


def test_ties_are_judged_on_the_two_decimal_totals_people_see():
    method = Method(questions=(Question(1, 70),), price_weight=30, scale_max=100)
    # price scores 30 and 29.9999… show as 30.00 and 30.00 to two places: a tie, decided by quality then price.
    results = score_bids(method, [bid_one(1, 300_000_000, 50), bid_one(2, 300_000_001, 50)])
    assert results[0].total == results[1].total
    assert [r.bid_id for r in results] == [1, 2]


def bid_one(i, price, mark, minutes=0):
    return BidFacts(bid_id=i, price_pence=price, submitted_at=T0 + timedelta(minutes=minutes), marks={1: mark})


@pytest.mark.parametrize("marks, passes", [
    ((2, 2), True),    # 30 of 60 = 50%: at the threshold passes
    ((2, 1), False),   # 25 of 60
    ((0, 4), False),   # 20 of 60
    ((4, 0), True),    # 40 of 60
])
def test_bids_below_the_quality_threshold_are_excluded_and_unranked(marks, passes):
    results = score_bids(METHOD, [bid(1, 50_000, *marks), bid(2, 90_000, 4, 4)])
    r = next(x for x in results if x.bid_id == 1)
    assert r.passed_threshold is passes
    assert (r.rank is None) is (not passes)
    assert (r.price_score is None) is (not passes)


def test_an_excluded_bid_does_not_set_the_lowest_price():
    results = score_bids(METHOD, [bid(1, 10_000, 0, 0), bid(2, 90_000, 4, 4)])
    winner = results[0]
    assert winner.bid_id == 2 and winner.price_score == Decimal("40.00") and winner.rank == 1
    assert results[1].excluded and results[1].rank is None


def test_a_zero_price_takes_the_full_price_weight_and_others_score_nothing_on_price():
    assert price_fraction(0, 0, 40) == 40
    assert price_fraction(0, 5000, 40) == 0
    results = score_bids(METHOD, [bid(1, 0, 2, 2), bid(2, 5000, 2, 2)])
    assert results[0].bid_id == 1 and results[0].price_score == Decimal("40.00")
    assert results[1].price_score == Decimal("0.00")


@pytest.mark.parametrize("prices, index, percent, flagged", [
    ([70_000, 100_000, 100_000], 0, 25, True),    # 30% below the mean of the others
    ([76_000, 100_000, 100_000], 0, 25, False),   # 24% below
    ([75_000, 100_000, 100_000], 0, 25, False),   # exactly 25% below is not "more than"
    ([74_999, 100_000, 100_000], 0, 25, True),
    ([79_000, 100_000], 0, 20, True),
    ([50_000], 0, 25, False),                     # nothing to compare with
])
def test_abnormally_low_prices_are_flagged_against_the_mean_of_the_others(prices, index, percent, flagged):
    assert abnormally_low(prices, index, percent) is flagged


def test_the_abnormally_low_flag_is_carried_in_the_results_but_does_not_exclude():
    results = score_bids(METHOD, [bid(1, 30_000, 3, 3), bid(2, 100_000, 3, 3), bid(3, 100_000, 3, 3)])
    low = next(r for r in results if r.bid_id == 1)
    assert low.abnormally_low and low.rank == 1


@pytest.mark.parametrize("weights, price, lo, hi, ok", [
    ([40, 20], 40, 40, 80, True),
    ([40, 20], 30, 40, 80, False),   # sums to 90
    ([10, 10], 80, 40, 80, False),   # quality 20 below the framework's 40
    ([50, 40], 10, 40, 80, False),   # quality 90 above 80
    ([], 100, 0, 100, False),
    ([0, 60], 40, 40, 80, False),
])
def test_weights_must_sum_to_100_within_the_framework_range(weights, price, lo, hi, ok):
    assert (weight_problems(weights, price, lo, hi) == []) is ok


def test_marks_outside_the_scale_or_missing_are_refused():
    with pytest.raises(ValueError):
        score_bids(METHOD, [bid(1, 100, 5, 1)])
    with pytest.raises(ValueError):
        score_bids(METHOD, [BidFacts(1, 100, T0, {1: 3})])


def test_evaluator_average_and_rounding():
    assert evaluator_average([3, 4, 4]) == Decimal("3.67")
    assert evaluator_average([]) is None
    assert two_places(1) == Decimal("1.00")


def test_an_empty_competition_scores_nothing():
    assert score_bids(METHOD, []) == []


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(st.integers(0, 10_000_000), st.integers(0, 4), st.integers(0, 4)), min_size=1, max_size=8))
def test_ranking_is_total_ordered_and_totals_stay_within_100(rows):
    bids = [bid(i + 1, p, a, b, minutes=i) for i, (p, a, b) in enumerate(rows)]
    results = score_bids(METHOD, bids)
    assert sorted(r.bid_id for r in results) == sorted(b.bid_id for b in bids)
    ranked = [r for r in results if r.rank is not None]
    assert [r.rank for r in ranked] == list(range(1, len(ranked) + 1))
    for r in ranked:
        assert Decimal(0) <= r.total <= Decimal(100)
    for x, y in zip(ranked, ranked[1:]):
        assert x.total >= y.total
    # Scoring is deterministic whatever the input order.
    again = score_bids(METHOD, list(reversed(bids)))
    assert [(r.bid_id, r.rank) for r in again] == [(r.bid_id, r.rank) for r in results]


def test_the_agreed_mark_is_the_one_every_evaluator_gave():
    assert scoring.agreed_mark([3, 3, 3]) == 3
    assert scoring.agreed_mark([3, 2]) is None
    assert scoring.agreed_mark([]) is None


def test_a_rationale_is_needed_where_evaluators_differ_or_the_consensus_departs_from_their_mark():
    assert scoring.rationale_needed([2, 2], 2) is False
    assert scoring.rationale_needed([2, 2], 3) is True
    assert scoring.rationale_needed([1, 3], 2) is True
    assert scoring.rationale_needed([], 2) is True
