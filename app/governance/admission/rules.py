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


#: Every decision the commercial team takes on a trust's membership of a lot, in the words of the
#: service that takes them all (app.governance.admission.services.decide_membership).
MEMBERSHIP_DECISIONS = ("admit", "reject", "suspend", "reinstate", "remove")


def membership_decision_problem(decision: str, application: Sequence[AssessmentFact] | None, criteria_count: int,
                                reason: str | None, conditions: str | None = None) -> str | None:
    """Why the commercial team cannot take this membership decision, or None.

    `application` is the assessment of the trust's open application (None when it has none). A
    framework with admission criteria admits a trust only through an application whose every
    criterion is assessed as met, whichever page the decision is taken on; a framework without
    criteria (exemplars named before the service) admits on a written reason. A suspension sets out
    the conditions for reinstatement.
    """
    if decision not in MEMBERSHIP_DECISIONS:
        return "Choose a decision."
    if decision in ("admit", "reject"):
        if application is not None:
            return decision_problem(decision, application, reason)
        if decision == "reject":
            return "There is no open application to reject."
        if criteria_count:
            return (f"A trust is admitted to this framework only through an application assessed against its "
                    f"{criteria_count} admission {'criterion' if criteria_count == 1 else 'criteria'}, every one "
                    f"met. This trust has no open application.")
    if decision == "suspend" and not (conditions or "").strip():
        return "Set out the conditions the exemplar must meet to be reinstated."
    if not (reason or "").strip():
        return "Give a reason for the decision."
    return None
