"""The rules of funding agreements, as pure functions on plain values.

Money is integer pence throughout. The services load the facts, call these, and refuse the change
(or show the problems on the form) when a rule is broken.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Mapping, Sequence

from .calendar import Quarter, financial_year_end, financial_year_label, financial_year_start, quarters_of_period
from .vocab import RAG

#: No programme profiles money over more than four financial years.
MAX_YEARS = 4


@dataclass(frozen=True)
class Problem:
    """A broken rule: the form field it belongs to (or None) and a message for the user."""

    field: str | None
    message: str


@dataclass(frozen=True)
class YearAmounts:
    """One financial year of an agreement's profile: the central and the local money in it."""

    central: int
    local: int


@dataclass(frozen=True)
class TrancheFact:
    number: int
    amount: int
    planned_on: date
    released: bool = False


def _money(pence: int) -> str:
    return f"£{pence // 100:,}.{pence % 100:02d}"


def check_agreement(*, central: int, local: int, first_year: int, years: int,
                    profile: Sequence[YearAmounts], tranches: Sequence[TrancheFact],
                    max_years: int = MAX_YEARS, min_match_percent: int = 0) -> list[Problem]:
    """Every way the amounts, profile and tranches of an agreement fail to add up.

    - the agreement runs over 1 to `max_years` (at most four) financial years, one profile row each;
    - the central money in the yearly profile adds up to the central amount, the local to the
      local match (so the whole profile adds up to central + local);
    - the local match is at least `min_match_percent` of the central amount;
    - the tranches are positive, add up to the central amount, and fall within the funded years.
    """
    problems: list[Problem] = []
    limit = min(max_years, MAX_YEARS)
    if central < 0:
        problems.append(Problem("central", "The central amount must be £0 or more."))
    if local < 0:
        problems.append(Problem("local", "The local match must be £0 or more."))
    if not 1 <= years <= limit:
        problems.append(Problem("years", f"Profile the money over 1 to {limit} financial years."))
        return problems
    if len(profile) != years:
        problems.append(Problem("profile", f"Give an amount for each of the {years} financial years."))
        return problems
    if any(y.central < 0 or y.local < 0 for y in profile):
        problems.append(Problem("profile", "Yearly amounts must be £0 or more."))
    profiled_central = sum(y.central for y in profile)
    profiled_local = sum(y.local for y in profile)
    if profiled_central != central:
        problems.append(Problem("profile", (
            f"The central money profiled by year adds up to {_money(profiled_central)}, "
            f"not the central amount of {_money(central)}.")))
    if profiled_local != local:
        problems.append(Problem("profile", (
            f"The local money profiled by year adds up to {_money(profiled_local)}, "
            f"not the local match of {_money(local)}.")))
    if min_match_percent and local * 100 < central * min_match_percent:
        problems.append(Problem("local", (
            f"This programme asks for local match funding of at least {min_match_percent}% "
            f"of the central amount ({_money(-(-central * min_match_percent // 100))}).")))
    problems.extend(check_tranches(central=central, first_year=first_year, years=years, tranches=tranches))
    return problems


def check_tranches(*, central: int, first_year: int, years: int, tranches: Sequence[TrancheFact]) -> list[Problem]:
    """The tranches pay out the central amount exactly, in positive amounts, within the funded years."""
    problems: list[Problem] = []
    if central > 0 and not tranches:
        problems.append(Problem("tranches", "Add at least one tranche to pay out the central amount."))
        return problems
    if any(t.amount <= 0 for t in tranches):
        problems.append(Problem("tranches", "Each tranche must be more than £0."))
    total = sum(t.amount for t in tranches)
    if total != central:
        problems.append(Problem("tranches", (
            f"The tranches add up to {_money(total)}, not the central amount of {_money(central)}.")))
    start, end = financial_year_start(first_year), financial_year_end(first_year + years - 1)
    if any(not start <= t.planned_on <= end for t in tranches):
        problems.append(Problem("tranches", (
            f"Plan every tranche within the funded years, {financial_year_label(first_year)} "
            f"to {financial_year_label(first_year + years - 1)} ({start:%d %B %Y} to {end:%d %B %Y}).")))
    numbers = [t.number for t in tranches]
    if len(set(numbers)) != len(numbers):
        problems.append(Problem("tranches", "Tranche numbers must be different."))
    return problems


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
        noun = "condition is" if latest.reds == 1 else "conditions are"
        return (f"The latest accepted check-in ({latest.quarter.label}) has {latest.reds} {noun} red. "
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
