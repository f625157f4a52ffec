"""The rules of exemplar admission, as pure functions on plain values."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from ..vocab import ASSESSMENTS


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
