"""The rules of funding agreements, as pure functions on plain values.

Money is integer pence throughout. The services load the facts, call these, and refuse the change
(or show the problems on the form) when a rule is broken.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from app.web.formatting import london_date, money

from ..calendar import financial_year_end, financial_year_label, financial_year_start

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
    return money(pence)  # the one rule for money on every page


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
            f"to {financial_year_label(first_year + years - 1)} ({london_date(start)} to {london_date(end)}).")))
    numbers = [t.number for t in tranches]
    if len(set(numbers)) != len(numbers):
        problems.append(Problem("tranches", "Tranche numbers must be different."))
    return problems
