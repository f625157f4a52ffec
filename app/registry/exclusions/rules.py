"""Checking a supplier against the exclusion register, as pure functions on plain values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable


@dataclass(frozen=True)
class EntryFacts:
    id: int
    organisation_id: int
    kind: str
    ground: str
    starts_on: date
    ends_on: date | None


def in_force(entry: EntryFacts, on: date) -> bool:
    """An entry applies from its first day to its last (open-ended while it has no end)."""
    return entry.starts_on <= on and (entry.ends_on is None or on <= entry.ends_on)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: the organisations looked at and the entries in force against them."""

    checked: tuple[int, ...]
    matches: tuple[EntryFacts, ...]

    @property
    def excluded(self) -> bool:
        return bool(self.matches)


def check(entries: Iterable[EntryFacts], organisation_id: int, parent_id: int | None, on: date) -> CheckResult:
    """Check a supplier and its parent organisation (where one is recorded) on a day."""
    checked = (organisation_id,) if parent_id is None else (organisation_id, parent_id)
    matches = tuple(sorted((e for e in entries if e.organisation_id in checked and in_force(e, on)),
                           key=lambda e: (e.starts_on, e.id)))
    return CheckResult(checked, matches)


def date_problem(starts_on: date | None, ends_on: date | None) -> str | None:
    if starts_on is None:
        return "Enter the date the exclusion starts."
    if ends_on is not None and ends_on < starts_on:
        return "The end date must be on or after the start date."
    return None
