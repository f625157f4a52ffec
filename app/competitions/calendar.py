"""The working-day calendar of call-off competitions (pure: no Flask, no database).

Every period of a competition is counted in working days: Monday to Friday, excluding the bank
holidays of England and Wales (from the `holidays` package, which knows substitute days such as
Monday 28 December 2026 for Boxing Day on a Saturday). A deadline falls at a time of day in
Europe/London (midday by default) and is stored as an aware UTC instant, so it is right on both
sides of the clock changes: midday London is 12:00 UTC in winter and 11:00 UTC in summer.
`deadline_phrase` says a deadline as people do, counted in these working days.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from app.web.formatting import london_datetime, to_london

LONDON = ZoneInfo("Europe/London")

#: The time of day (London) at which deadlines fall unless a competition says otherwise.
DEFAULT_DEADLINE_TIME = time(12, 0)

#: Working-day counts are bounded, so a typo (10,000 days) cannot loop for ever.
MAX_WORKING_DAYS = 2000


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=[year]).keys())


def is_bank_holiday(day: date) -> bool:
    """True on a bank holiday in England and Wales (substitute days included)."""
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (`start` itself is never counted).

    add_working_days(Thu 24 Dec 2026, 1) is Tue 29 Dec 2026: Christmas Day, the weekend and the
    Boxing Day substitute are skipped. `days` = 0 gives `start` itself.
    """
    if days < 0:
        raise ValueError("days must be zero or more")
    if days > MAX_WORKING_DAYS:
        raise ValueError(f"at most {MAX_WORKING_DAYS} working days")
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (0 if end <= start)."""
    if end <= start:
        return 0
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def london_date(instant: datetime) -> date:
    """The calendar date in London at an aware instant."""
    if instant.tzinfo is None:
        raise ValueError("naive datetime given; use an aware UTC datetime")
    return instant.astimezone(LONDON).date()


def london_to_utc(day: date, at: time = DEFAULT_DEADLINE_TIME) -> datetime:
    """The UTC instant of a London wall-clock time on a day.

    At the autumn change a wall time happens twice (01:30 on 25 Oct 2026): the first, summer-time
    one is taken. In the spring gap (01:30 on 29 Mar 2026 does not exist) the time is read with
    the offset before the change, which lands an hour later in summer time (02:30 BST) — never
    earlier than the wall time asked for.
    """
    local = datetime.combine(day, at.replace(tzinfo=None), tzinfo=LONDON).replace(fold=0)
    return local.astimezone(timezone.utc)


def deadline_after(start: datetime, working_days: int, at: time = DEFAULT_DEADLINE_TIME) -> datetime:
    """The deadline `working_days` working days after the London date of `start`, at `at` London
    time, as an aware UTC instant (seconds and below zeroed)."""
    day = add_working_days(london_date(start), working_days)
    return london_to_utc(day, at).replace(second=0, microsecond=0)


def standstill_end(published: datetime, working_days: int) -> datetime:
    """When a standstill of `working_days` ends: it begins with the day the contract award notice
    is published (Procurement Act 2023 s51; that day counts when it is a working day, else the
    next working day is the first) and ends at midnight, London time, after its last working day."""
    if working_days <= 0:
        return published
    first = london_date(published)
    if not is_working_day(first):
        first = add_working_days(first, 1)
    last = add_working_days(first, working_days - 1)
    return london_to_utc(last + timedelta(days=1), time(0, 0))


def working_days_left(now: datetime, deadline: datetime) -> int:
    """Whole working days from now's London date to the deadline's London date (0 when past)."""
    if deadline <= now:
        return 0
    return working_days_between(london_date(now), london_date(deadline))


# ---------------------------------------------------------------------------
# Deadlines in plain English
# ---------------------------------------------------------------------------

#: The past tense of the verbs a deadline is described with ("closes" → "closed").
PAST_TENSE = {"closes": "closed", "close": "closed", "ends": "ended", "end": "ended", "is due": "was due", "due": "was due",
              "opens": "opened", "starts": "started", "expires": "expired"}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def deadline_phrase(when: datetime | None, now: datetime, verb: str = "closes") -> str:
    """A deadline as people say it, counted in working days (England and Wales).

    "closes 3pm, Friday 12 December 2026 — in 4 working days"; on the day itself
    "closes 3pm, Friday 12 December 2026 — today, in 2 hours"; the day before
    "… — tomorrow"; once passed "closed 3pm, Friday 12 December 2026". Working days
    are Monday to Friday without bank holidays, from the competitions' calendar, so
    a Friday deadline seen on Monday is "in 4 working days" and one after Christmas
    skips the holidays. A capitalised verb ("Closes") starts a sentence in either tense.
    Naive datetimes are UTC; None gives "".
    """
    if when is None:
        return ""
    local_when, local_now = to_london(when), to_london(now)
    at = london_datetime(when)
    if at.startswith("the end of"):  # a deadline at midnight: "closes at the end of Monday 14 December 2026"
        at = f"at {at}"
    if local_when <= local_now:
        past = PAST_TENSE.get(verb.lower())
        if past and verb[:1].isupper():
            past = past[:1].upper() + past[1:]
        return f"{past} {at}" if past else f"{verb} {at} — passed"
    day, today = local_when.date(), local_now.date()
    if day == today:
        minutes = int((local_when - local_now).total_seconds() // 60)
        if minutes < 1:
            left = "in less than a minute"
        elif minutes < 60:
            left = f"in {_plural(minutes, 'minute')}"
        else:
            left = f"in {_plural(minutes // 60, 'hour')}"
        return f"{verb} {at} — today, {left}"
    if (day - today).days == 1:
        return f"{verb} {at} — tomorrow"
    working = working_days_between(today, day)
    if working == 0:
        return f"{verb} {at} — in {(day - today).days} days"
    return f"{verb} {at} — in {_plural(working, 'working day')}"
