"""The rules of admission and review (pure)."""
from datetime import date

import pytest

from app.governance.admission.rules import AssessmentFact, answer_problem, decision_problem, suggested_assessment
from app.governance.reviews.rules import (
    average_rating,
    count_milestones,
    milestone_state,
    review_options,
    review_problem,
)

TODAY = date(2026, 11, 24)


def test_every_criterion_needs_an_answer():
    assert answer_problem("text", "  ") == "Answer this criterion"
    assert answer_problem("text", "We went live in 2019") is None


@pytest.mark.parametrize("answer", ["three", "-1", "nan", "inf", "1e999"])
def test_a_numeric_criterion_needs_a_number_of_zero_or_more(answer):
    assert answer_problem("number", answer) is not None


def test_a_yes_no_criterion_takes_only_yes_or_no():
    assert answer_problem("yes_no", "maybe") == "Choose yes or no"
    assert answer_problem("yes_no", "yes") is None


def test_a_number_at_or_above_the_minimum_looks_met_but_text_needs_judgement():
    assert suggested_assessment("number", 3, "3") == "met"
    assert suggested_assessment("number", 3, "2.9") == "not_met"
    assert suggested_assessment("yes_no", None, "no") == "not_met"
    assert suggested_assessment("text", None, "anything") is None


def _facts(*verdicts):
    return [AssessmentFact(f"C{i}", v) for i, v in enumerate(verdicts)]


def test_no_decision_before_every_criterion_is_assessed():
    problem = decision_problem("reject", _facts("met", None), "reason")
    assert problem and "C1" in problem


def test_a_trust_is_admitted_only_when_every_criterion_is_met():
    assert "Not met: C1" in decision_problem("admit", _facts("met", "not_met"), "reason")
    assert decision_problem("admit", _facts("met", "met"), "reason") is None


def test_a_rejection_may_follow_any_complete_assessment():
    assert decision_problem("reject", _facts("met", "met"), "Capacity too thin") is None


def test_every_decision_needs_a_reason():
    assert decision_problem("admit", _facts("met"), "  ") == "Give a reason for the decision."


def test_only_admit_or_reject_are_decisions():
    assert decision_problem("suspend", _facts("met"), "x") is not None


def test_reviews_offer_reinstatement_only_from_suspension():
    assert review_options("admitted") == ["continue", "suspend", "remove"]
    assert review_options("suspended") == ["continue", "reinstate", "remove"]
    assert review_options("removed") == []


def _review(status="admitted", decision="continue", reason="fine", conditions=None, on=TODAY, nxt=None):
    return review_problem(status, decision, reason, conditions, on, nxt, TODAY)


def test_a_suspension_needs_conditions():
    assert "conditions" in _review(decision="suspend")
    assert _review(decision="suspend", conditions="Recruit a clinical safety officer") is None


def test_an_admitted_exemplar_cannot_be_reinstated():
    assert _review(decision="reinstate") is not None


def test_removed_or_applied_memberships_are_not_reviewed():
    assert _review(status="removed") is not None
    assert _review(status="applied") is not None


def test_a_review_is_not_dated_in_the_future_and_the_next_one_comes_after_it():
    assert _review(on=date(2026, 12, 1)) is not None
    assert _review(nxt=TODAY) is not None
    assert _review(nxt=date(2027, 11, 24)) is None


def test_a_review_needs_a_reason():
    assert _review(reason="") is not None


def test_milestones_are_met_on_time_late_missed_or_upcoming():
    assert milestone_state(date(2026, 1, 1), date(2025, 12, 1), TODAY) == "met_on_time"
    assert milestone_state(date(2026, 1, 1), date(2026, 2, 1), TODAY) == "met_late"
    assert milestone_state(date(2026, 1, 1), None, TODAY) == "missed"
    assert milestone_state(date(2027, 1, 1), None, TODAY) == "upcoming"
    assert milestone_state(None, None, TODAY) == "upcoming"
    counts = count_milestones([(date(2026, 1, 1), None), (None, date(2025, 1, 1))], TODAY)
    assert (counts.met, counts.missed) == (1, 1)


def test_the_average_rating_is_to_one_decimal_place():
    assert average_rating([4, 3, 3]) == 3.3
    assert average_rating([]) is None
