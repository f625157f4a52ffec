"""The competition state machine: legal and illegal moves, and changes made by the clock."""
from datetime import datetime, timedelta, timezone

import pytest

from app.competitions import rules
from app.competitions.rules import Timetable
from app.errors import IllegalTransition

T0 = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
TT = Timetable(clarification_deadline=T0 + timedelta(days=3), response_deadline=T0 + timedelta(days=10),
               standstill_ends_at=T0 + timedelta(days=20))
SECOND = timedelta(seconds=1)

LEGAL = [
    ("draft", "publish", "published"),
    ("draft", "cancel", "cancelled"),
    ("clarification", "cancel", "cancelled"),
    ("open", "cancel", "cancelled"),
    ("closed", "start_evaluation", "evaluation"),
    ("closed", "no_award", "no_award"),
    ("evaluation", "intend_award", "standstill"),
    ("evaluation", "no_award", "no_award"),
    ("evaluation", "cancel", "cancelled"),
    ("standstill", "withdraw_intention", "evaluation"),
    ("standstill", "cancel", "cancelled"),
    ("standstill_ended", "award", "awarded"),
    ("standstill_ended", "withdraw_intention", "evaluation"),
    ("standstill_ended", "no_award", "no_award"),
]


@pytest.mark.parametrize("status, action, expected", LEGAL)
def test_legal_moves_lead_where_they_should(status, action, expected):
    assert rules.next_status(status, action) == expected


ILLEGAL = [
    ("draft", "award"),
    ("draft", "start_evaluation"),
    ("draft", "no_award"),
    ("clarification", "publish"),
    ("open", "start_evaluation"),        # not before the deadline
    ("open", "no_award"),
    ("closed", "intend_award"),
    ("evaluation", "award"),             # not without a standstill
    ("standstill", "award"),             # not before the standstill ends
    ("awarded", "cancel"),
    ("awarded", "no_award"),
    ("cancelled", "publish"),
    ("no_award", "cancel"),
]


@pytest.mark.parametrize("status, action", ILLEGAL)
def test_illegal_moves_raise_a_clear_domain_error(status, action):
    with pytest.raises(IllegalTransition) as e:
        rules.next_status(status, action)
    assert "You cannot" in e.value.message
    assert rules.status_text(status).lower() in e.value.message


def test_the_message_says_what_can_be_done_instead():
    with pytest.raises(IllegalTransition) as e:
        rules.next_status("standstill", "award")
    assert "withdraw the intention" in e.value.message
    with pytest.raises(IllegalTransition) as e:
        rules.next_status("awarded", "cancel")
    assert "finished" in e.value.message


def test_every_action_and_status_is_known():
    for action, moves in rules.ACTIONS.items():
        assert action in rules.ACTION_TEXT
        for a, b in moves.items():
            assert a in rules.STATUSES and b in rules.STATUSES
    with pytest.raises(ValueError):
        rules.next_status("draft", "explode")


def test_terminal_statuses_allow_no_action():
    for status in rules.TERMINAL:
        assert rules.allowed_actions(status) == []


CLOCK = [
    ("draft", T0 + timedelta(days=30), "draft"),
    ("published", T0, "clarification"),
    ("published", TT.clarification_deadline - SECOND, "clarification"),
    ("published", TT.clarification_deadline, "open"),
    ("clarification", TT.clarification_deadline, "open"),
    ("clarification", TT.response_deadline - SECOND, "open"),
    ("clarification", TT.response_deadline, "closed"),      # no tick ran in between: still closed
    ("published", TT.response_deadline + timedelta(days=1), "closed"),
    ("open", TT.response_deadline - SECOND, "open"),
    ("open", TT.response_deadline, "closed"),                 # at the deadline to the second
    ("closed", T0 + timedelta(days=100), "closed"),           # evaluation is started by a person
    ("standstill", TT.standstill_ends_at - SECOND, "standstill"),
    ("standstill", TT.standstill_ends_at, "standstill_ended"),
    ("cancelled", T0 + timedelta(days=100), "cancelled"),
    ("awarded", T0 + timedelta(days=100), "awarded"),
]


@pytest.mark.parametrize("stored, now, expected", CLOCK)
def test_the_clock_moves_the_effective_status_without_a_tick(stored, now, expected):
    assert rules.effective_status(stored, TT, now) == expected


def test_without_a_clarification_period_publication_opens_for_responses():
    tt = Timetable(clarification_deadline=None, response_deadline=T0 + timedelta(days=5))
    assert rules.effective_status("published", tt, T0) == "open"
    assert rules.time_steps("published", tt, T0) == [("published", "open")]


def test_time_steps_list_each_change_in_order():
    assert rules.time_steps("published", TT, TT.response_deadline) == [
        ("published", "open"), ("open", "closed")]
    assert rules.time_steps("clarification", TT, TT.response_deadline) == [
        ("clarification", "open"), ("open", "closed")]
    assert rules.time_steps("open", TT, T0) == []


@pytest.mark.parametrize("status, expected", [
    ("draft", False), ("published", False), ("clarification", True), ("open", True), ("closed", False),
    ("evaluation", False), ("awarded", False), ("cancelled", False),
])
def test_bids_are_accepted_only_while_open_or_in_clarification(status, expected):
    assert rules.may_bid(status) is expected


def test_questions_are_asked_in_clarification_and_answered_until_the_deadline():
    assert rules.may_ask_question("clarification") and not rules.may_ask_question("open")
    assert rules.may_answer_question("open") and not rules.may_answer_question("closed")


@pytest.mark.parametrize("status, now, ended_at, unsealed", [
    ("open", TT.response_deadline - SECOND, None, False),
    ("clarification", T0, None, False),
    ("closed", TT.response_deadline, None, True),
    ("evaluation", TT.response_deadline + SECOND, None, True),
    ("awarded", TT.response_deadline + timedelta(days=30), None, True),
    ("cancelled", TT.response_deadline + timedelta(days=30), T0, False),   # cancelled before the deadline
    ("cancelled", TT.response_deadline + timedelta(days=30), TT.response_deadline + SECOND, True),
    ("draft", TT.response_deadline + SECOND, None, False),
])
def test_bids_stay_sealed_until_the_deadline(status, now, ended_at, unsealed):
    assert rules.bids_unsealed(status, TT.response_deadline, ended_at, now) is unsealed


def test_no_deadline_means_sealed():
    assert rules.bids_unsealed("closed", None, None, T0) is False
