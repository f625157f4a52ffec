"""Financial years and quarters (pure; no Flask, no database)."""
from datetime import date, timedelta

import pytest
from hypothesis import given, settings, strategies as st

from app.governance.calendar import (
    Quarter,
    financial_year_end,
    financial_year_label,
    financial_year_of,
    financial_year_start,
    parse_quarter,
    quarter_of,
    quarters_of_period,
)


def test_the_financial_year_starts_on_the_first_of_april():
    assert financial_year_of(date(2026, 3, 31)) == 2025
    assert financial_year_of(date(2026, 4, 1)) == 2026
    assert financial_year_start(2026) == date(2026, 4, 1)
    assert financial_year_end(2026) == date(2027, 3, 31)


def test_a_financial_year_is_named_by_both_calendar_years():
    assert financial_year_label(2025) == "2025/26"
    assert financial_year_label(2099) == "2099/00"


def test_quarter_one_is_april_to_june_and_quarter_four_january_to_march():
    assert (Quarter(2025, 1).starts_on, Quarter(2025, 1).ends_on) == (date(2025, 4, 1), date(2025, 6, 30))
    assert (Quarter(2025, 3).starts_on, Quarter(2025, 3).ends_on) == (date(2025, 10, 1), date(2025, 12, 31))
    assert (Quarter(2025, 4).starts_on, Quarter(2025, 4).ends_on) == (date(2026, 1, 1), date(2026, 3, 31))
    assert Quarter(2025, 4).label == "2025/26 Q4"


def test_a_check_in_is_due_a_set_number_of_days_after_its_quarter_ends():
    assert Quarter(2025, 4).due_on(30) == date(2026, 4, 30)


def test_a_quarter_numbered_outside_one_to_four_is_refused():
    with pytest.raises(ValueError):
        Quarter(2025, 5)


def test_quarters_are_ordered_in_time():
    assert Quarter(2025, 4) < Quarter(2026, 1)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)


@pytest.mark.parametrize("text", ["", "2025", "2025-Q5", "25-Q1", "abcd-Q1", "2025-Q", "2025-Q1x", "٢٠٢٥-Q1", None])
def test_parsing_a_quarter_from_odd_text_gives_none_rather_than_an_error(text):
    assert parse_quarter(text) is None


def test_a_quarter_round_trips_through_its_key():
    assert parse_quarter(Quarter(2026, 2).key) == Quarter(2026, 2)


def test_a_period_of_four_years_has_sixteen_quarters():
    quarters = list(quarters_of_period(2025, 4))
    assert len(quarters) == 16 and quarters[0] == Quarter(2025, 1) and quarters[-1] == Quarter(2028, 4)


@settings(deadline=None, max_examples=50)
@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_every_day_falls_inside_its_own_quarter(day):
    q = quarter_of(day)
    assert q.starts_on <= day <= q.ends_on
    assert q.year == financial_year_of(day)
    assert q.next().starts_on == q.ends_on + timedelta(days=1)


@settings(deadline=None, max_examples=50)
@given(st.text(max_size=20))
def test_parse_quarter_never_raises(text):
    parse_quarter(text)
