"""The rules of exemplar admission and review, as pure functions on plain values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Sequence

from .vocab import ASSESSMENTS, REVIEW_DECISIONS


def answer_problem(kind: str, answer: str | None) -> str | None:
    """Why an answer does not fit its criterion's kind, or None."""
    text = (answer or "").strip()
    if not text:
        return "Answer this criterion"
    if kind == "number":
        try:
            value = float(text)
        except ValueError:
            return "Enter a number, like 3 or 3.5"
        if value != value or value in (float("inf"), float("-inf")) or value < 0:
            return "Enter a number of 0 or more"
    if kind == "yes_no" and text not in ("yes", "no"):
        return "Choose yes or no"
    return None


def suggested_assessment(kind: str, minimum: int | None, answer: str | None) -> str | None:
    """A hint for the assessor: a number at or above the criterion's minimum looks "met", below it
    "not_met"; "yes" looks met and "no" not met. Text answers need judgement (None)."""
    text = (answer or "").strip()
    if kind == "number" and minimum is not None:
        try:
            return "met" if float(text) >= minimum else "not_met"
        except ValueError:
            return None
    if kind == "yes_no":
        return {"yes": "met", "no": "not_met"}.get(text)
    return None


@dataclass(frozen=True)
class AssessmentFact:
    criterion: str
    assessment: str | None


def decision_problem(decision: str, assessments: Sequence[AssessmentFact], reason: str | None) -> str | None:
    """Why the commercial team cannot decide an application this way yet, or None.

    Every criterion is assessed before any decision, so the trust always gets a reason per
    criterion; an admission needs every criterion met; both decisions need a written reason.
    """
    if decision not in ("admit", "reject"):
        return "Choose to admit or to reject."
    unassessed = [a.criterion for a in assessments if a.assessment not in ASSESSMENTS]
    if unassessed:
        return "Assess every criterion before deciding. Not yet assessed: " + ", ".join(unassessed) + "."
    if decision == "admit":
        not_met = [a.criterion for a in assessments if a.assessment == "not_met"]
        if not_met:
            return "A trust is admitted only when every criterion is met. Not met: " + ", ".join(not_met) + "."
    if not (reason or "").strip():
        return "Give a reason for the decision."
    return None


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
