"""Scoring a call-off competition by its published method (pure: no Flask, no database).

The method, published to every invitee with the competition:

* Quality: each question has a weight (its share of the total score, in %). Moderated (consensus)
  scores are marked on the published scale 0..scale_max, and a question earns
  score ÷ scale_max × weight. The quality score is the sum over the questions.
* Minimum quality threshold: a bid whose quality score is below `threshold_percent` % of the
  available quality marks is excluded: it gets no price score and no rank.
* Price (default formula): lowest price among the bids still in ÷ this bid's price × price weight.
  A bid of £0 scores the full price weight (and every other bid 0 on price).
* Abnormally low price: a bid more than `abnormally_low_percent` % below the mean of the other
  bids' prices is flagged for the buyer to investigate (it is not excluded automatically).
* Budget: a bid above the buyer's budget is flagged. Whether it may still win is the framework's
  rule (`over_budget_may_win`); when it may not, it is scored and shown but not ranked.
* Scores are calculated exactly and shown to two decimal places; ranking uses the two-decimal
  totals people see. Tie-break, in order: higher quality score, then lower price, then the earlier
  final submission, then (so the order is always total) the lower bid number.

Fractions are used for exactness, so two bids that should tie do tie.
"""
from __future__ import annotations

import re

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Mapping, Sequence

#: The scales a competition may publish for quality marks (0..N).
SCALES = (4, 5, 10, 100)

TIE_BREAK_TEXT = ("Bids with the same total score (to two decimal places) are ranked by the higher quality "
                  "score, then the lower price, then the earlier final submission.")

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Question:
    """A quality question (a refined framework criterion) and its weight in % of the total score."""

    key: int
    weight: int
    name: str = ""


@dataclass(frozen=True)
class Method:
    """The published scoring method of a competition."""

    questions: tuple[Question, ...]
    price_weight: int
    scale_max: int = 4
    threshold_percent: int = 0
    abnormally_low_percent: int = 25
    budget_pence: int | None = None
    over_budget_may_win: bool = True

    @property
    def quality_weight(self) -> int:
        return sum(q.weight for q in self.questions)


@dataclass(frozen=True)
class BidFacts:
    """What scoring needs to know of a bid: its price, the consensus mark per question, when it was
    last submitted."""

    bid_id: int
    price_pence: int
    submitted_at: datetime
    marks: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True)
class BidScore:
    bid_id: int
    price_pence: int
    quality_score: Decimal
    quality_percent: Decimal
    question_scores: Mapping[int, Decimal]
    passed_threshold: bool
    abnormally_low: bool
    price_score: Decimal | None = None
    total: Decimal | None = None
    rank: int | None = None
    over_budget: bool = False
    may_win: bool = True

    @property
    def excluded(self) -> bool:
        return not self.passed_threshold

    @property
    def ranked(self) -> bool:
        return self.passed_threshold and self.may_win


def two_places(value: Fraction | int) -> Decimal:
    """A fraction rounded half up to two decimal places, as shown to people."""
    value = Fraction(value)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def weight_problem(typed: str, question: str) -> str | None:
    """What is wrong with the weight typed for a question the buyer uses (None when it is a whole
    number from 1 to 100), said as a person would: "-12" is a whole number, but below 1."""
    text = (typed or "").strip()
    if not text:
        return f"Enter the weight of ‘{question}’"
    if not re.fullmatch(r"-?[0-9]{1,6}", text):
        return f"The weight of ‘{question}’ must be a whole number, like 20"
    weight = int(text)
    if weight < 1:
        return f"The weight of ‘{question}’ must be 1 or more (leave a question out to give it no weight)"
    if weight > 100:
        return f"The weight of ‘{question}’ must be 100 or less"
    return None


def weight_problems(question_weights: Sequence[int], price_weight: int, quality_min: int, quality_max: int) -> list[str]:
    """What is wrong with a competition's weights under its framework's rules (empty when fine).

    The question weights are shares of the total score; with the price weight they sum to 100,
    and the quality share lies within the framework's allowed range.
    """
    problems = []
    if not question_weights:
        problems.append("Choose at least one quality question.")
    if any(w <= 0 or w > 100 for w in question_weights):
        problems.append("Each question's weight must be a whole number from 1 to 100.")
    if price_weight < 0 or price_weight > 100:
        problems.append("The price weight must be from 0 to 100.")
    quality = sum(question_weights)
    if quality + price_weight != 100:
        problems.append(f"The weights must add up to 100: quality {quality} + price {price_weight} "
                        f"= {quality + price_weight}.")
    if not quality_min <= quality <= quality_max:
        problems.append(f"The framework allows a quality weighting from {quality_min} to {quality_max}; "
                        f"this competition's is {quality}.")
    return problems


def quality_fraction(method: Method, marks: Mapping[int, int]) -> tuple[Fraction, dict[int, Fraction]]:
    """The exact quality score of one bid's marks, and each question's part of it."""
    parts: dict[int, Fraction] = {}
    for q in method.questions:
        if q.key not in marks or marks[q.key] is None:
            raise ValueError(f"question {q.key} has no consensus mark")
        mark = marks[q.key]
        if not 0 <= mark <= method.scale_max:
            raise ValueError(f"mark {mark} for question {q.key} is outside the scale 0..{method.scale_max}")
        parts[q.key] = Fraction(mark, method.scale_max) * q.weight
    return sum(parts.values(), Fraction(0)), parts


def price_fraction(lowest: int, price: int, price_weight: int) -> Fraction:
    """The default price formula: lowest ÷ price × weight (a £0 bid takes the full weight)."""
    if price < 0 or lowest < 0:
        raise ValueError("prices cannot be negative")
    if price == 0:
        return Fraction(price_weight)
    return Fraction(lowest, price) * price_weight


def abnormally_low(prices: Sequence[int], index: int, percent: int) -> bool:
    """Whether prices[index] is more than `percent` % below the mean of the other prices.
    Needs at least one other price."""
    others = [p for i, p in enumerate(prices) if i != index]
    if not others:
        return False
    mean = Fraction(sum(others), len(others))
    return prices[index] < mean * Fraction(100 - percent, 100)


def abnormally_low_rule(percent: int) -> str:
    """The published rule, in words, shown with every flag."""
    return f"a price more than {percent}% below the mean of the other bids' prices is abnormally low"


def above_budget(price_pence: int, budget_pence: int | None) -> bool:
    return budget_pence is not None and price_pence > budget_pence


def score_bids(method: Method, bids: Sequence[BidFacts]) -> list[BidScore]:
    """Score and rank the valid bids by the published method.

    Returns the ranked bids first (rank 1 = the most advantageous), then the bids that cannot win:
    those under the quality threshold (no price score) and, where the framework says a bid above
    the budget may not win, those above it (scored, not ranked); each group in a stable order.
    """
    max_quality = method.quality_weight
    threshold = Fraction(method.threshold_percent, 100) * max_quality
    prices = [b.price_pence for b in bids]
    prepared = []
    for i, b in enumerate(bids):
        quality, parts = quality_fraction(method, b.marks)
        quality_shown = two_places(quality)
        percent = two_places(quality / max_quality * 100) if max_quality else Decimal("0.00")
        prepared.append((b, quality, parts, quality_shown >= two_places(threshold), quality_shown, percent,
                         abnormally_low(prices, i, method.abnormally_low_percent)))
    def may_win(b: BidFacts) -> bool:
        return method.over_budget_may_win or not above_budget(b.price_pence, method.budget_pence)

    passing = [p for p in prepared if p[3] and may_win(p[0])]
    lowest = min((p[0].price_pence for p in passing), default=0)
    results: list[BidScore] = []
    for b, quality, parts, passed, quality_shown, percent, low in prepared:
        price_score = total = None
        if passed:
            price = price_fraction(lowest, b.price_pence, method.price_weight)
            price_score = two_places(price)
            total = two_places(quality + price)
        results.append(BidScore(
            bid_id=b.bid_id, price_pence=b.price_pence, quality_score=quality_shown, quality_percent=percent,
            question_scores={k: two_places(v) for k, v in parts.items()}, passed_threshold=passed,
            abnormally_low=low, price_score=price_score, total=total,
            over_budget=above_budget(b.price_pence, method.budget_pence), may_win=may_win(b),
        ))
    by_id = {b.bid_id: b for b in bids}
    ranked = sorted((r for r in results if r.ranked),
                    key=lambda r: (-r.total, -r.quality_score, r.price_pence, by_id[r.bid_id].submitted_at, r.bid_id))
    excluded = sorted((r for r in results if not r.ranked), key=lambda r: (-r.quality_score, r.bid_id))
    return [replace(r, rank=n) for n, r in enumerate(ranked, start=1)] + excluded


def evaluator_average(marks: Sequence[int]) -> Decimal | None:
    """The mean of the evaluators' marks for one answer, to two places (a starting point for moderation)."""
    if not marks:
        return None
    return two_places(Fraction(sum(marks), len(marks)))


def agreed_mark(marks: Sequence[int]) -> int | None:
    """The mark every evaluator gave an answer, when they all gave the same one; None when they
    differ (or there is none). Moderation starts from it and asks for a rationale only where the
    evaluators differ or the consensus departs from what they agreed."""
    return marks[0] if marks and all(m == marks[0] for m in marks) else None


def rationale_needed(evaluator_marks: Sequence[int], consensus_mark: int | None) -> bool:
    """Whether a consensus mark needs a written rationale: yes unless every evaluator gave that mark."""
    agreed = agreed_mark(evaluator_marks)
    return agreed is None or consensus_mark != agreed

