"""What the unknown could change: the range an HHI could take whatever the trusts not known run, and
how far one trust switching supplier could move it. Pure: weights in, figures out (exact fractions).

*Weights* are what the market is made of, one entry per supplier (or system): the number of trusts
running it, a trust running two counting a half to each. Every trust not known adds one whole unit.

- Upper bound: every unknown trust on the largest supplier, the most concentrated way they could fall.
- Lower bound: the unknown trusts spread as evenly as possible over the suppliers already known,
  one at a time onto the smallest (for whole trusts this is the least concentrated way among the
  known suppliers; a brand-new supplier for each unknown trust could go lower, and is not assumed).
- Sensitivity: the largest change in HHI one known trust could make by moving to another supplier,
  known or new: up (from the smallest supplier to the largest) or down (from the largest to a new one).

On the 0–10,000 scale: with total weight T, moving one trust from a supplier of weight a to one of
weight b changes the HHI by 10,000 · 2(b − a + 1) / T².
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass
from fractions import Fraction
from typing import Hashable, Mapping

Weights = Mapping[Hashable, Fraction | int]


def _hhi(values: list[Fraction]) -> Fraction:
    total = sum(values, Fraction(0))
    if total == 0:
        return Fraction(0)
    return sum((v * v for v in values), Fraction(0)) * 10_000 / (total * total)


@dataclass(frozen=True)
class Bounds:
    """The HHI of the known trusts and the range it could take; None when nothing is known."""

    hhi: float | None
    low: float | None
    high: float | None
    unknown: int

    @property
    def exact(self) -> bool:
        """Nothing unknown: the range is the figure itself."""
        return self.unknown == 0 and self.hhi is not None


def hhi_bounds(weights: Weights, unknown: int) -> Bounds:
    """The HHI of `weights` and its range once `unknown` more trusts are placed (see the module)."""
    if unknown < 0:
        raise ValueError("unknown must be 0 or more")
    values = [Fraction(v) for v in weights.values() if v]
    if not values:
        return Bounds(None, None, None, unknown)
    known = float(_hhi(values))
    if unknown == 0:
        return Bounds(known, known, known, 0)
    top = max(range(len(values)), key=lambda i: values[i])
    high = list(values)
    high[top] += unknown
    heap = [(v, i) for i, v in enumerate(values)]
    heapq.heapify(heap)
    for _ in range(unknown):
        v, i = heapq.heappop(heap)
        heapq.heappush(heap, (v + 1, i))
    low = [v for v, _ in heap]
    return Bounds(known, float(_hhi(low)), float(_hhi(high)), unknown)


@dataclass(frozen=True)
class Sensitivity:
    """The largest rise and the largest fall in HHI one trust switching supplier could cause."""

    rise: float
    fall: float

    @property
    def largest(self) -> float:
        return max(self.rise, self.fall)


def sensitivity(weights: Weights) -> Sensitivity:
    """How far one trust moving its whole weight (1) could move the HHI of `weights`."""
    values = sorted((Fraction(v) for v in weights.values() if v), reverse=True)
    total = sum(values, Fraction(0))
    movable = [i for i, v in enumerate(values) if v >= 1]
    if not movable:
        return Sensitivity(0.0, 0.0)
    scale = Fraction(10_000) / (total * total)
    rise = Fraction(0)
    if len(values) > 1:
        # From the smallest supplier a trust can leave, to the largest other one.
        source = movable[-1]
        target = 0 if source != 0 else 1
        rise = max(rise, 2 * (values[target] - values[source] + 1) * scale)
    # From the largest supplier to one with no trust yet.
    fall = max(Fraction(0), 2 * (values[movable[0]] - 1) * scale)
    return Sensitivity(float(rise), float(fall))
