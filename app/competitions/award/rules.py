"""The award's rules, as pure functions (no Flask, no database).

Standstill for a call-off (Procurement Act 2023 s51): not mandatory. The framework decides
whether its call-offs use a voluntary standstill ("none", "fixed", "flexible") and its default
length in working days; under a "flexible" framework the buyer may shorten or skip it, with a
reason. A longer standstill than the default is always allowed. With a standstill, the contract
award notice (UK6) starts it; without one, the intention to award goes straight to contract.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StandstillChoice:
    rule: str          # the framework's: none, fixed, flexible
    default_days: int  # the framework's default length, working days
    days: int          # the buyer's choice (0: no standstill)
    reason: str = ""   # why shorter than the default (or skipped)


def standstill_problem(choice: StandstillChoice) -> str | None:
    """Why the buyer's standstill choice is not allowed under the framework, or None."""
    if choice.days < 0:
        return "The standstill cannot be negative."
    if choice.rule == "none":
        return None if choice.days == 0 else "This framework's call-offs go straight to contract: set no standstill (0 days)."
    if choice.days >= choice.default_days:
        return None
    if choice.rule == "fixed":
        return (f"This framework's call-offs use a standstill of at least {choice.default_days} working days: "
                "it may not be shortened or skipped.")
    if not choice.reason.strip():
        what = "skip the standstill" if choice.days == 0 else f"shorten the standstill to {choice.days} working days"
        return f"Give the reason to {what} (the framework's default is {choice.default_days})."
    return None


def default_days(rule: str, framework_days: int) -> int:
    """The standstill a new call-off starts with under its framework."""
    return 0 if rule == "none" else framework_days
