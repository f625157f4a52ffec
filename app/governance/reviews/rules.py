"""The rules of the periodic review of exemplars and of follower feedback, as pure functions on
plain values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from ..vocab import REVIEW_DECISIONS


def review_options(membership_status: str) -> list[str]:
    """The decisions a periodic review may take for an exemplar in this membership status."""
    if membership_status == "admitted":
        return ["continue", "suspend", "remove"]
    if membership_status == "suspended":
        return ["continue", "reinstate", "remove"]
    return []


def review_problem(membership_status: str, decision: str, reason: str | None, conditions: str | None,
                   reviewed_on: date, next_review_on: date | None, today: date) -> str | None:
    """Why a review decision cannot be recorded, or None."""
    options = review_options(membership_status)
    if not options:
        return f"Only admitted or suspended exemplars are reviewed; this one is {membership_status}."
    if decision not in options:
        allowed = ", ".join(REVIEW_DECISIONS[o].lower() for o in options)
        return f"For an exemplar that is {membership_status}, choose one of: {allowed}."
    if not (reason or "").strip():
        return "Give the reason for the decision."
    if decision == "suspend" and not (conditions or "").strip():
        return "Set out the conditions the exemplar must meet to be reinstated."
    if reviewed_on > today:
        return "The review date cannot be in the future."
    if next_review_on is not None and next_review_on <= reviewed_on:
        return "The next review must be after this one."
    return None


@dataclass(frozen=True)
class MilestoneCounts:
    met_on_time: int = 0
    met_late: int = 0
    missed: int = 0
    upcoming: int = 0

    @property
    def met(self) -> int:
        return self.met_on_time + self.met_late


def milestone_state(planned_on: date | None, actual_on: date | None, today: date) -> str:
    """ "met_on_time", "met_late", "missed" (planned date passed, not achieved) or "upcoming"."""
    if actual_on is not None:
        return "met_late" if planned_on is not None and actual_on > planned_on else "met_on_time"
    if planned_on is not None and planned_on < today:
        return "missed"
    return "upcoming"


def count_milestones(milestones: Iterable[tuple[date | None, date | None]], today: date) -> MilestoneCounts:
    """Count (planned_on, actual_on) pairs by their state on `today`."""
    counts = {"met_on_time": 0, "met_late": 0, "missed": 0, "upcoming": 0}
    for planned_on, actual_on in milestones:
        counts[milestone_state(planned_on, actual_on, today)] += 1
    return MilestoneCounts(**counts)


def average_rating(ratings: Sequence[int]) -> float | None:
    """The mean of 1-5 ratings to one decimal place, or None when there are none."""
    if not ratings:
        return None
    return round(sum(ratings) / len(ratings), 1)
