"""Deadlines in plain English: "closes 3pm, Friday 11 December 2026 — in 4 working days"."""
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from app.competitions.calendar import deadline_phrase

UTC = timezone.utc
MONDAY_9AM = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # 9am London (GMT)


def test_a_deadline_later_in_the_week_counts_working_days():
    assert deadline_phrase(datetime(2026, 12, 11, 15, 0, tzinfo=UTC), MONDAY_9AM) == \
        "closes 3pm, Friday 11 December 2026 — in 4 working days"


def test_one_working_day_is_singular():
    assert deadline_phrase(datetime(2026, 12, 9, 12, 0, tzinfo=UTC), MONDAY_9AM).endswith("in 2 working days")
    # Friday → Monday is one working day, not three calendar days
    friday = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
    assert deadline_phrase(datetime(2026, 12, 14, 12, 0, tzinfo=UTC), friday).endswith("— in 1 working day")


def test_weekends_and_christmas_bank_holidays_are_not_working_days():
    christmas_eve = datetime(2026, 12, 24, 13, 0, tzinfo=UTC)
    # 25 Dec, the weekend and the Boxing Day substitute (28 Dec) are skipped: 29 Dec is the first
    assert deadline_phrase(datetime(2026, 12, 29, 12, 0, tzinfo=UTC), christmas_eve) == \
        "closes midday, Tuesday 29 December 2026 — in 1 working day"


def test_a_deadline_today_says_how_many_hours_or_minutes_are_left():
    assert deadline_phrase(datetime(2026, 12, 7, 15, 0, tzinfo=UTC), MONDAY_9AM) == \
        "closes 3pm, Monday 7 December 2026 — today, in 6 hours"
    assert deadline_phrase(MONDAY_9AM + timedelta(minutes=1), MONDAY_9AM).endswith("today, in 1 minute")
    assert deadline_phrase(MONDAY_9AM + timedelta(minutes=45), MONDAY_9AM).endswith("today, in 45 minutes")
    assert deadline_phrase(MONDAY_9AM + timedelta(seconds=20), MONDAY_9AM).endswith("in less than a minute")


def test_a_deadline_tomorrow_says_tomorrow():
    assert deadline_phrase(datetime(2026, 12, 8, 12, 0, tzinfo=UTC), MONDAY_9AM) == \
        "closes midday, Tuesday 8 December 2026 — tomorrow"


def test_a_passed_deadline_is_in_the_past_tense():
    assert deadline_phrase(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), MONDAY_9AM) == \
        "closed midday, Tuesday 1 December 2026"
    assert deadline_phrase(MONDAY_9AM, MONDAY_9AM) == "closed 9am, Monday 7 December 2026"  # at the second: passed
    assert deadline_phrase(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), MONDAY_9AM, "ends") == \
        "ended midday, Tuesday 1 December 2026"
    assert deadline_phrase(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), MONDAY_9AM, "is due").startswith("was due ")


def test_an_unknown_verb_is_kept_and_a_passed_deadline_says_so():
    assert deadline_phrase(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), MONDAY_9AM, "lands") == \
        "lands midday, Tuesday 1 December 2026 — passed"


def test_times_are_shown_in_london_time_in_summer():
    # 11:00 UTC in June is midday in London (BST)
    assert deadline_phrase(datetime(2027, 6, 18, 11, 0, tzinfo=UTC), datetime(2027, 6, 14, 8, 0, tzinfo=UTC)) == \
        "closes midday, Friday 18 June 2027 — in 4 working days"


def test_a_weekend_deadline_with_no_working_day_before_it_counts_days():
    friday = datetime(2026, 12, 11, 9, 0, tzinfo=UTC)
    assert deadline_phrase(datetime(2026, 12, 13, 12, 0, tzinfo=UTC), friday).endswith("— in 2 days")


def test_no_deadline_is_an_empty_string_and_naive_times_are_utc():
    assert deadline_phrase(None, MONDAY_9AM) == ""
    assert deadline_phrase(datetime(2026, 12, 11, 15, 0), MONDAY_9AM.replace(tzinfo=None)) == \
        "closes 3pm, Friday 11 December 2026 — in 4 working days"


@settings(deadline=None, max_examples=50)
@given(now=st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2090, 1, 1)),
       delta=st.timedeltas(min_value=timedelta(days=-400), max_value=timedelta(days=400)))
def test_any_deadline_gives_one_line_that_starts_with_the_verb(now, delta):
    now = now.replace(tzinfo=UTC)
    phrase = deadline_phrase(now + delta, now)
    assert "\n" not in phrase
    assert phrase.startswith("closes " if delta > timedelta(0) else "closed ")


@pytest.mark.parametrize("verb", ["closes", "ends", "is due"])
def test_the_verb_is_kept_for_a_future_deadline(verb):
    assert deadline_phrase(datetime(2026, 12, 11, 15, 0, tzinfo=UTC), MONDAY_9AM, verb).startswith(verb + " 3pm")


def test_a_capitalised_verb_starts_a_sentence_in_either_tense():
    assert deadline_phrase(datetime(2026, 12, 11, 15, 0, tzinfo=UTC), MONDAY_9AM, "Close").startswith("Close 3pm")
    assert deadline_phrase(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), MONDAY_9AM, "Close").startswith("Closed midday")


def test_a_deadline_at_midnight_ends_at_the_end_of_the_day_before():
    """A standstill ending at 00:00 on Tuesday 15 December ends "at the end of Monday 14 December"."""
    assert deadline_phrase(datetime(2026, 12, 15, 0, 0, tzinfo=UTC), MONDAY_9AM, "ends") == \
        "ends at the end of Monday 14 December 2026 — in 6 working days"
    assert deadline_phrase(datetime(2026, 12, 1, 0, 0, tzinfo=UTC), MONDAY_9AM, "Ends") == \
        "Ended at the end of Monday 30 November 2026"
