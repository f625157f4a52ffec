"""Which notice applies when, and when it is due, as pure functions (no Flask, no database).

Procurement Act 2023, for a call-off under a framework (s45–46):

* UK6 contract award notice (s50): only when the buyer applies a voluntary standstill (s51); the
  standstill runs from its publication. No due date: the contract waits for it.
* UK7 contract details notice (s53): within 30 days of entering into the contract.
* UK9 contract performance notice (s71): after each assessment of the KPIs (at least one in every
  12 months of the contract); published within 30 days of the assessment.
* UK10 contract change notice (s75): before the change takes effect.
* UK11 contract termination notice (s80): within 30 days of the contract ending, however it ended
  (expiry included).

Days here are calendar days.
"""
from __future__ import annotations

from datetime import date, timedelta

KINDS = {
    "UK6": "Contract award notice",
    "UK7": "Contract details notice",
    "UK9": "Contract performance notice",
    "UK10": "Contract change notice",
    "UK11": "Contract termination notice",
}
STATUSES = {"draft": "Draft", "published": "Published", "withdrawn": "Withdrawn"}

#: Calendar days allowed after the event, where the Act gives a period.
DAYS_AFTER = {"UK7": 30, "UK9": 30, "UK11": 30}


def due_on(kind: str, event_on: date | None) -> date | None:
    """The last day to publish a notice, from the day of its event: the contract entered into
    (UK7), the KPIs assessed (UK9), the change taking effect (UK10: before it, so that day), the
    contract ending (UK11). None for UK6 (not time-limited) or when the event has no date."""
    if event_on is None or kind == "UK6":
        return None
    if kind == "UK10":
        return event_on
    return event_on + timedelta(days=DAYS_AFTER[kind])


def days_left(due: date, today: date) -> int:
    """Days from today to the due date: negative once overdue."""
    return (due - today).days


def due_phrase(due: date | None, today: date) -> str:
    """ "due in 12 days", "due tomorrow", "due today", "overdue by 3 days"."""
    if due is None:
        return "no due date"
    n = days_left(due, today)
    if n > 1:
        return f"due in {n} days"
    if n == 1:
        return "due tomorrow"
    if n == 0:
        return "due today"
    return f"overdue by {-n} day{'s' if n != -1 else ''}"


def is_overdue(due: date | None, today: date) -> bool:
    return due is not None and days_left(due, today) < 0
