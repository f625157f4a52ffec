"""The Procurement Act rules of a call-off, as pure functions: the standstill choice, the conflicts
assessment's completeness, the exclusion check, the KPI rule above £5m, notice due dates in days,
the standstill's end, bids above the budget, and the track record's points."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from app.competitions.award.rules import StandstillChoice, default_days, standstill_problem
from app.competitions.calendar import standstill_end
from app.competitions.conflicts.rules import DeclarationFacts, may_score, problems, ready_to_confirm
from app.competitions.contracts.rules import kpi_names, kpi_problem, needs_kpis, next_round_due
from app.competitions.notices.rules import days_left, due_on, due_phrase, is_overdue
from app.competitions.scoring import BidFacts, Method, Question, abnormally_low_rule, score_bids
from app.offers.rules import track_record_points
from app.registry.exclusions.rules import EntryFacts, check, date_problem, in_force
from app.registry.track_record import MilestoneFact, track_records

# --- standstill as a choice --------------------------------------------------------------------


@pytest.mark.parametrize("rule, days, reason, problem", [
    ("none", 0, "", None),
    ("none", 8, "", "straight to contract"),
    ("fixed", 8, "", None),
    ("fixed", 10, "", None),             # longer is always allowed
    ("fixed", 5, "Urgent", "may not be shortened or skipped"),
    ("fixed", 0, "Urgent", "may not be shortened or skipped"),
    ("flexible", 8, "", None),
    ("flexible", 5, "", "reason to shorten the standstill to 5"),
    ("flexible", 0, " ", "reason to skip the standstill"),
    ("flexible", 5, "The incumbent contract ends", None),
    ("flexible", 0, "The incumbent contract ends", None),
])
def test_the_buyer_may_shorten_or_skip_the_standstill_only_where_the_framework_allows_with_a_reason(
        rule, days, reason, problem):
    found = standstill_problem(StandstillChoice(rule, 8, days, reason))
    assert (found is None) if problem is None else (problem in found)


def test_a_call_off_starts_with_the_frameworks_default_standstill_or_none():
    assert default_days("none", 8) == 0 and default_days("fixed", 8) == 8 and default_days("flexible", 5) == 5


def test_the_standstill_begins_with_the_day_the_award_notice_is_published():
    # Published Tuesday 15 December 2026 at 10:00: 15, 16, 17, 18, 21, 22, 23, 24 (25 and 28 are bank holidays).
    assert standstill_end(datetime(2026, 12, 15, 10, tzinfo=timezone.utc), 8) == datetime(2026, 12, 25, tzinfo=timezone.utc)
    # Published on a Saturday: the first day is the Monday.
    saturday = datetime(2026, 6, 6, 10, tzinfo=timezone.utc)
    assert standstill_end(saturday, 1) == datetime(2026, 6, 8, 23, tzinfo=timezone.utc)  # midnight BST
    assert standstill_end(saturday, 0) == saturday


# --- conflicts assessment (s81–83) -------------------------------------------------------------

def d(role="evaluator", has_interest=False, conflict=None, mitigation=None, user=1):
    return DeclarationFacts(user, role, has_interest, conflict, mitigation)


def test_a_complete_assessment_has_everyone_declared_every_interest_assessed_and_a_confirmation():
    rows = [d("buyer", user=1), d(user=2), d(user=3, has_interest=True, conflict=True, mitigation="Excluded")]
    assert ready_to_confirm(rows) and problems(rows, confirmed=True) == []
    assert problems(rows, confirmed=False) == ["Confirm the conflicts assessment."]


@pytest.mark.parametrize("rows, expected", [
    ([d(user=2)], "Add at least one buyer"),
    ([d("buyer")], "Choose at least one evaluator"),
    ([d("buyer"), d(user=2, has_interest=None), d(user=3, has_interest=None)], "2 people have not declared"),
    ([d("buyer"), d(user=2, has_interest=True)], "Assess 1 declared interest"),
    ([d("buyer"), d(user=2, has_interest=True, conflict=True, mitigation=" ")], "Record how 1 conflict is mitigated"),
])
def test_an_incomplete_assessment_says_what_is_missing(rows, expected):
    found = problems(rows, confirmed=True)
    assert any(expected in p for p in found) and not ready_to_confirm(rows)


@pytest.mark.parametrize("has_interest, conflict, excluded, expected", [
    (None, None, False, None), (False, None, False, True), (True, None, False, None),
    (True, False, False, True), (True, True, False, True), (True, True, True, False)])
def test_an_evaluator_scores_once_declared_and_not_excluded(has_interest, conflict, excluded, expected):
    assert may_score(has_interest, conflict, excluded) is expected


# --- exclusion register: the check at intention to award and at award --------------------------

ENTRIES = [EntryFacts(1, 10, "excluded", "Fraud", date(2026, 1, 1), date(2026, 6, 30)),
           EntryFacts(2, 20, "debarred", "Debarment list", date(2026, 3, 1), None)]


@pytest.mark.parametrize("org, parent, on, excluded", [
    (10, None, date(2026, 3, 1), True),
    (10, None, date(2026, 7, 1), False),     # its exclusion ended on 30 June
    (10, None, date(2025, 12, 31), False),   # not yet in force
    (30, 20, date(2026, 3, 1), True),        # its parent is debarred
    (30, 20, date(2026, 2, 28), False),
    (30, None, date(2026, 3, 1), False),
])
def test_a_supplier_is_checked_with_its_parent_on_the_day(org, parent, on, excluded):
    result = check(ENTRIES, org, parent, on)
    assert result.excluded is excluded
    assert result.checked == ((org,) if parent is None else (org, parent))


def test_an_entry_applies_from_its_first_to_its_last_day():
    e = ENTRIES[0]
    assert in_force(e, e.starts_on) and in_force(e, e.ends_on) and not in_force(e, date(2026, 7, 1))
    assert date_problem(date(2026, 2, 1), date(2026, 1, 1)) and date_problem(None, None) and not date_problem(
        date(2026, 1, 1), None)


# --- the KPI rule above £5m --------------------------------------------------------------------

@pytest.mark.parametrize("value, kpis, ok", [
    (500_000_000, 0, True),         # exactly £5m: not "more than"
    (500_000_001, 2, False),
    (500_000_001, 3, True),
    (1_000_000_000, 5, True),
    (None, 0, True),
])
def test_a_contract_worth_more_than_5m_needs_at_least_three_kpis(value, kpis, ok):
    assert (kpi_problem(value, kpis) is None) is ok
    assert needs_kpis(value) is (value is not None and value > 500_000_000)


def test_kpis_are_typed_one_per_line_and_assessed_every_12_months():
    assert kpi_names(" Uptime \n\nUptime\nTraining  ") == ["Uptime", "Training"]
    assert next_round_due(date(2026, 2, 28), 0) == date(2027, 2, 28)
    assert next_round_due(date(2024, 2, 29), 1) == date(2026, 2, 28)


# --- notice due dates, in days -----------------------------------------------------------------

@pytest.mark.parametrize("kind, event, due", [
    ("UK7", date(2026, 12, 1), date(2026, 12, 31)),    # 30 days after entering into the contract
    ("UK9", date(2026, 12, 1), date(2026, 12, 31)),    # 30 days after the assessment
    ("UK11", date(2026, 12, 15), date(2027, 1, 14)),   # 30 days after the end
    ("UK10", date(2027, 1, 4), date(2027, 1, 4)),      # before the change takes effect
    ("UK6", date(2026, 12, 1), None),                  # not time-limited: the standstill waits for it
    ("UK7", None, None),
])
def test_each_notice_is_due_by_its_rule(kind, event, due):
    assert due_on(kind, event) == due


@pytest.mark.parametrize("today, phrase, overdue", [
    (date(2026, 12, 19), "due in 12 days", False), (date(2026, 12, 30), "due tomorrow", False),
    (date(2026, 12, 31), "due today", False), (date(2027, 1, 1), "overdue by 1 day", True),
    (date(2027, 1, 3), "overdue by 3 days", True)])
def test_what_is_due_is_said_in_days(today, phrase, overdue):
    due = date(2026, 12, 31)
    assert due_phrase(due, today) == phrase and is_overdue(due, today) is overdue
    assert days_left(due, today) == (due - today).days


# --- bids above the budget, and abnormally low prices ------------------------------------------

def _method(may_win: bool) -> Method:
    return Method(questions=(Question(1, 60),), price_weight=40, scale_max=4, budget_pence=1_000_000,
                  over_budget_may_win=may_win)


def _bids():
    now = datetime(2026, 12, 1, tzinfo=timezone.utc)
    return [BidFacts(1, 1_200_000, now, {1: 4}), BidFacts(2, 900_000, now, {1: 2})]


def test_a_bid_above_the_budget_is_flagged_and_may_win_where_the_framework_allows():
    rows = {r.bid_id: r for r in score_bids(_method(True), _bids())}
    assert rows[1].over_budget and rows[1].rank == 1 and not rows[2].over_budget


def test_a_bid_above_the_budget_cannot_win_where_the_framework_says_so():
    rows = {r.bid_id: r for r in score_bids(_method(False), _bids())}
    assert rows[1].over_budget and rows[1].rank is None and not rows[1].may_win and rows[1].total is not None
    assert rows[2].rank == 1 and str(rows[2].price_score) == "40.00"  # the lowest price among those that may win


def test_the_abnormally_low_rule_is_said_as_published():
    assert abnormally_low_rule(25) == "a price more than 25% below the mean of the other bids' prices is abnormally low"


# --- the track record: ratings and terminations ------------------------------------------------

def test_kpi_ratings_and_contracts_ended_for_cause_feed_the_track_record():
    records = track_records([(1, 100)], [MilestoneFact(1, 10, "go_live", date(2026, 2, 1), date(2026, 1, 30))],
                            ratings=[(1, "good"), (1, "good"), (1, "inadequate"), (2, "good")],
                            ended_for_cause=[2])
    assert records[1].ratings == {"good": 2, "inadequate": 1} and records[1].rated == 3 and records[1].good == 2
    assert records[2].ended_for_cause == 1 and records[2].followers_served == 0


@pytest.mark.parametrize("args, points", [
    ((1, 1, 1), 12),                 # 4 for a follower, 8 for go-lives on time
    ((1, 1, 1, 3, 3), 16),           # every KPI rating Good: 4 more
    ((1, 1, 1, 0, 3), 12),
    ((3, 2, 2, 4, 4), 20),           # capped
    ((1, 1, 1, 3, 3, 1), 10),        # a contract ended for the exemplar's failure: 6 off
    ((0, 0, 0, 0, 0, 2), 0),         # never below 0
])
def test_fit_points_for_the_track_record(args, points):
    assert track_record_points(*args) == points
