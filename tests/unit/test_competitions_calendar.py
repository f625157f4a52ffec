"""The working-day calendar: weekends, England and Wales bank holidays, London deadlines in UTC."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from app.competitions import calendar as cal

UTC = timezone.utc


@pytest.mark.parametrize("day, working", [
    (date(2026, 11, 24), True),    # a Tuesday
    (date(2026, 11, 28), False),   # Saturday
    (date(2026, 11, 29), False),   # Sunday
    (date(2026, 12, 25), False),   # Christmas Day (Friday)
    (date(2026, 12, 26), False),   # Boxing Day (Saturday)
    (date(2026, 12, 28), False),   # Boxing Day substitute (Monday)
    (date(2026, 12, 29), True),
    (date(2027, 3, 26), False),    # Good Friday 2027
    (date(2027, 3, 29), False),    # Easter Monday 2027
    (date(2027, 3, 30), True),
    (date(2026, 8, 31), False),    # late summer bank holiday
])
def test_working_days_exclude_weekends_and_bank_holidays(day, working):
    assert cal.is_working_day(day) is working


@pytest.mark.parametrize("start, days, expected", [
    (date(2026, 11, 24), 0, date(2026, 11, 24)),
    (date(2026, 11, 24), 1, date(2026, 11, 25)),
    (date(2026, 11, 27), 1, date(2026, 11, 30)),     # Friday → Monday
    (date(2026, 12, 24), 1, date(2026, 12, 29)),     # over Christmas, Boxing Day substitute
    (date(2026, 12, 23), 5, date(2027, 1, 4)),       # 24, 29, 30, 31 Dec; 1 Jan is a holiday; 4 Jan
    (date(2027, 3, 25), 1, date(2027, 3, 30)),       # over Easter 2027
    (date(2027, 3, 19), 8, date(2027, 4, 2)),        # an 8-day standstill across Easter
    (date(2026, 11, 28), 1, date(2026, 11, 30)),     # from a Saturday
])
def test_adding_working_days(start, days, expected):
    assert cal.add_working_days(start, days) == expected


def test_negative_or_absurd_working_days_are_refused():
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 1, 1), -1)
    with pytest.raises(ValueError):
        cal.add_working_days(date(2026, 1, 1), cal.MAX_WORKING_DAYS + 1)


@pytest.mark.parametrize("day, expected_utc", [
    (date(2026, 3, 27), datetime(2026, 3, 27, 12, 0, tzinfo=UTC)),   # Friday before the spring change: GMT
    (date(2026, 3, 30), datetime(2026, 3, 30, 11, 0, tzinfo=UTC)),   # Monday after: BST
    (date(2026, 10, 23), datetime(2026, 10, 23, 11, 0, tzinfo=UTC)),  # Friday before the autumn change: BST
    (date(2026, 10, 26), datetime(2026, 10, 26, 12, 0, tzinfo=UTC)),  # Monday after: GMT
])
def test_midday_london_is_stored_as_the_right_utc_instant_across_clock_changes(day, expected_utc):
    assert cal.london_to_utc(day) == expected_utc


def test_a_deadline_counted_across_the_spring_clock_change_is_midday_bst():
    published = datetime(2026, 3, 26, 15, 0, tzinfo=UTC)  # Thursday
    deadline = cal.deadline_after(published, 2)            # Friday 27, Monday 30
    assert deadline == datetime(2026, 3, 30, 11, 0, tzinfo=UTC)
    assert deadline.astimezone(cal.LONDON).hour == 12


def test_a_deadline_counted_across_the_autumn_clock_change_is_midday_gmt():
    published = datetime(2026, 10, 22, 9, 0, tzinfo=UTC)
    deadline = cal.deadline_after(published, 2)            # Friday 23, Monday 26
    assert deadline == datetime(2026, 10, 26, 12, 0, tzinfo=UTC)


def test_the_start_date_is_the_london_date_not_the_utc_date():
    # 23:30 UTC on 31 May 2026 is already 1 June in London (BST).
    late = datetime(2026, 5, 31, 23, 30, tzinfo=UTC)
    assert cal.london_date(late) == date(2026, 6, 1)
    assert cal.deadline_after(late, 1) == cal.london_to_utc(date(2026, 6, 2))


def test_wall_times_in_the_gap_and_the_overlap_are_resolved_predictably():
    # 01:30 on 29 Mar 2026 does not exist in London: it is read as 01:30 GMT, i.e. 02:30 BST.
    assert cal.london_to_utc(date(2026, 3, 29), time(1, 30)) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # 01:30 on 25 Oct 2026 happens twice: the first (BST) is taken.
    assert cal.london_to_utc(date(2026, 10, 25), time(1, 30)) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


def test_deadlines_can_fall_at_another_time_of_day():
    assert cal.deadline_after(datetime(2026, 7, 1, 8, 0, tzinfo=UTC), 1, time(17, 0)) == \
        datetime(2026, 7, 2, 16, 0, tzinfo=UTC)


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        cal.london_date(datetime(2026, 1, 1, 12, 0))


@pytest.mark.parametrize("start, end, expected", [
    (date(2026, 12, 24), date(2026, 12, 29), 1),
    (date(2026, 12, 24), date(2026, 12, 24), 0),
    (date(2026, 12, 29), date(2026, 12, 24), 0),
    (date(2026, 11, 23), date(2026, 11, 30), 5),
])
def test_working_days_between(start, end, expected):
    assert cal.working_days_between(start, end) == expected


def test_working_days_left_counts_to_the_deadline_date():
    now = datetime(2026, 12, 24, 9, 0, tzinfo=UTC)
    assert cal.working_days_left(now, cal.london_to_utc(date(2026, 12, 30))) == 2
    assert cal.working_days_left(now, now - timedelta(seconds=1)) == 0


@settings(deadline=None, max_examples=50)
@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=0, max_value=60))
def test_adding_n_working_days_lands_on_a_working_day_n_working_days_later(start, days):
    end = cal.add_working_days(start, days)
    assert cal.working_days_between(start, end) == days
    if days:
        assert cal.is_working_day(end)


@settings(deadline=None, max_examples=50)
@given(st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)),
       st.integers(min_value=1, max_value=30))
def test_every_deadline_is_at_midday_london_on_a_working_day(start, days):
    deadline = cal.deadline_after(start, days)
    local = deadline.astimezone(cal.LONDON)
    assert (local.hour, local.minute, local.second) == (12, 0, 0)
    assert cal.is_working_day(local.date())
    assert deadline > start
