"""Bounds and sensitivity on hand-made markets (no Flask, no DB): every expected value is worked out
in the comment beside it, on the 0–10,000 scale."""
from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.concentration.bounds import hhi_bounds, sensitivity


@pytest.mark.parametrize("name, weights, unknown, hhi, low, high", [
    # All known: the range is the figure itself. 3 + 1 of 4 → 5,625 + 625.
    ("all known", {"a": 3, "b": 1}, 0, 6250, 6250, 6250),
    # One unknown. Known 3 + 1 (6,250). High: a gets it, 4 + 1 of 5 → 6,400 + 400 = 6,800.
    # Low: b gets it, 3 + 2 of 5 → 3,600 + 1,600 = 5,200.
    ("one unknown", {"a": 3, "b": 1}, 1, 6250, 5200, 6800),
    # All unknown: nothing is known, so neither the figure nor its range.
    ("all unknown", {}, 5, None, None, None),
    # Ties for the largest: either way the high bound is the same. 2 + 2 + 1 of 5 → 1,600 + 1,600 + 400 = 3,600.
    # High: 4 + 2 + 1 of 7 → (16 + 4 + 1) / 49 = 4,285.7…; low: c first, then a tie → 3 + 2 + 2 → 17 / 49 = 3,469.4…
    ("ties", {"a": 2, "b": 2, "c": 1}, 2, 3600, 17 / 49 * 10_000, 21 / 49 * 10_000),
    # Even spreading fills the smallest first, one trust at a time: 5 + 1 + 1, 3 unknown → low 5 + 3 + 2 of 10
    # → 2,500 + 900 + 400 = 3,800; high 8 + 1 + 1 → 6,400 + 100 + 100 = 6,600.
    ("spread evenly", {"a": 5, "b": 1, "c": 1}, 3, (25 + 1 + 1) / 49 * 10_000, 3800, 6600),
    # Half weights (a trust running two systems): 1½ + ½ of 2 → 6,250. 1 unknown: low onto b → 1½ + 1½ of 3
    # = 5,000; high onto a → 2½ + ½ of 3 = (6.25 + 0.25) / 9.
    ("half weights", {"a": Fraction(3, 2), "b": Fraction(1, 2)}, 1, 6250, 5000, (6.25 + 0.25) / 9 * 10_000),
])
def test_the_range_the_hhi_could_take(name, weights, unknown, hhi, low, high):
    b = hhi_bounds(weights, unknown)
    assert b.unknown == unknown
    for got, want in ((b.hhi, hhi), (b.low, low), (b.high, high)):
        assert got == (None if want is None else pytest.approx(want))
    assert b.exact == (unknown == 0 and hhi is not None)


def test_a_negative_count_of_unknown_trusts_is_refused():
    with pytest.raises(ValueError):
        hhi_bounds({"a": 1}, -1)


@pytest.mark.parametrize("name, weights, rise, fall", [
    # 3 + 1 of 4. Rise: b's trust to a → 4 of 4, +3,750. Fall: one of a's to a new supplier → 2 + 1 + 1,
    # 3,750, −2,500. Formula 10,000 · 2(b − a + 1) / 16: rise 2(3 − 1 + 1) = 6 → 3,750; fall 2(3 − 1) = 4 → 2,500.
    ("two suppliers", {"a": 3, "b": 1}, 3750, 2500),
    # One supplier: no other to move to; leaving for a new one: 2(4 − 1)/16 → 3,750.
    ("one supplier", {"a": 4}, 0, 3750),
    # Nothing known: nothing can move.
    ("empty", {}, 0, 0),
    # Ties: 2 + 2 of 4. Rise: 2(2 − 2 + 1)/16 → 1,250. Fall: 2(2 − 1)/16 → 1,250.
    ("ties", {"a": 2, "b": 2}, 1250, 1250),
    # Everyone alone: 1 + 1 + 1 + 1. Rise 2(1 − 1 + 1)/16 → 1,250; fall 2(1 − 1) → 0.
    ("all apart", {"a": 1, "b": 1, "c": 1, "d": 1}, 1250, 0),
])
def test_the_largest_change_one_trust_switching_could_make(name, weights, rise, fall):
    s = sensitivity(weights)
    assert s.rise == pytest.approx(rise) and s.fall == pytest.approx(fall)
    assert s.largest == pytest.approx(max(rise, fall))


def _hhi(counts):
    total = sum(counts)
    return sum((100 * c / total) ** 2 for c in counts)


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(1, 20), min_size=1, max_size=8), st.integers(0, 6))
def test_every_way_of_placing_the_unknown_trusts_on_known_suppliers_lies_within_the_bounds(counts, unknown):
    b = hhi_bounds(dict(enumerate(counts)), unknown)
    # Brute force over every way of giving the unknown trusts to known suppliers.
    def placements(k, n):
        if k == 1:
            yield (n,)
            return
        for i in range(n + 1):
            for rest in placements(k - 1, n - i):
                yield (i,) + rest

    values = [_hhi([c + p for c, p in zip(counts, extra)]) for extra in placements(len(counts), unknown)]
    assert b.low == pytest.approx(min(values))
    assert b.high == pytest.approx(max(values))


@settings(deadline=None, max_examples=60)
@given(st.lists(st.integers(1, 15), min_size=1, max_size=6))
def test_no_single_switch_moves_the_hhi_further_than_the_sensitivity(counts):
    s = sensitivity(dict(enumerate(counts)))
    base = _hhi(counts)
    moves = []
    for i, c in enumerate(counts):
        for j in list(range(len(counts))) + [None]:  # None: a supplier with no trust yet
            if j == i:
                continue
            after = list(counts) + ([0] if j is None else [])
            after[i] -= 1
            after[len(counts) if j is None else j] += 1
            moves.append(_hhi([a for a in after if a]) - base)
    assert max([0.0] + moves) == pytest.approx(s.rise, abs=1e-6)
    assert -min([0.0] + moves) == pytest.approx(s.fall, abs=1e-6)
