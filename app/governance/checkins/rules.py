"""The rules of quarterly check-ins and of releasing a tranche after them, as pure functions on
plain values."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Sequence

from app.web.formatting import counted

from ..calendar import Quarter, financial_year_label, quarters_of_period
from ..vocab import RAG


@dataclass(frozen=True)
class CheckInFact:
    """What the release rule needs to know about a check-in."""

    id: int
    quarter: Quarter
    status: str
    reds: int


def release_blocker(*, tranche_number: int, released: bool, unreleased_before: int, agreement_active: bool,
                    checkins: Iterable[CheckInFact], used_checkin_ids: Iterable[int]) -> str | None:
    """Why a tranche may not be released yet, or None if it may.

    A tranche is released only after an accepted check-in in which no condition is red: the
    latest accepted check-in of the agreement must be free of red, and each check-in can justify
    one release only (so one good quarter cannot release every tranche at once). Tranches are
    released in order, and only while the agreement is active.
    """
    if not agreement_active:
        return "This agreement is closed: no more tranches can be released."
    if released:
        return f"Tranche {tranche_number} has already been released."
    if unreleased_before:
        return "Release the earlier tranches first: tranches are released in order."
    accepted = sorted((c for c in checkins if c.status == "accepted"), key=lambda c: c.quarter)
    if not accepted:
        return "A tranche is released only after an accepted check-in. No check-in has been accepted yet."
    latest = accepted[-1]
    if latest.reds:
        return (f"The latest accepted check-in ({latest.quarter.label}) has {counted(latest.reds, 'red condition')}. "
                "A tranche is released only after an accepted check-in with no red condition.")
    if latest.id in set(used_checkin_ids):
        return (f"The latest accepted check-in ({latest.quarter.label}) has already released a tranche. "
                "Wait for the next accepted check-in.")
    return None


def releasing_checkin(checkins: Iterable[CheckInFact]) -> CheckInFact | None:
    """The check-in a release would rest on: the latest accepted one (None if there is none)."""
    accepted = sorted((c for c in checkins if c.status == "accepted"), key=lambda c: c.quarter)
    return accepted[-1] if accepted else None


def fileable_quarter_problem(quarter: Quarter, *, first_year: int, years: int, today: date) -> str | None:
    """Why a check-in cannot be filed for this quarter, or None: it must be a quarter of the
    agreement's funded years that has already started."""
    if quarter.year < first_year or quarter.year >= first_year + years:
        return (f"{quarter.label} is outside this agreement's funded years "
                f"({financial_year_label(first_year)} to {financial_year_label(first_year + years - 1)}).")
    if quarter.starts_on > today:
        return f"{quarter.label} has not started yet: check in once the quarter is under way."
    return None


def open_quarters(*, first_year: int, years: int, today: date) -> list[Quarter]:
    """The quarters of the funded years that have started, oldest first."""
    return [q for q in quarters_of_period(first_year, years) if q.starts_on <= today]


def overdue_quarters(*, first_year: int, years: int, filed: Iterable[Quarter], today: date,
                     due_days: int) -> list[Quarter]:
    """Quarters of the funded years whose check-in was due before today and never filed."""
    done = set(filed)
    return [q for q in quarters_of_period(first_year, years) if q not in done and q.due_on(due_days) < today]


def check_ratings(condition_ids: Sequence[int], ratings: Mapping[int, tuple[str | None, str | None]]) -> dict[int, str]:
    """Problems with a check-in's ratings, by condition id: every condition rated red, amber or
    green, and a comment given for every red or amber."""
    problems: dict[int, str] = {}
    for cid in condition_ids:
        rag, comment = ratings.get(cid, (None, None))
        if rag not in RAG:
            problems[cid] = "Choose red, amber or green"
        elif rag in ("red", "amber") and not (comment or "").strip():
            problems[cid] = f"Say why this condition is {rag}"
    return problems


def rag_counts(rags: Iterable[str]) -> dict[str, int]:
    """How many conditions are red, amber and green."""
    counts = {k: 0 for k in RAG}
    for r in rags:
        if r in counts:
            counts[r] += 1
    return counts
