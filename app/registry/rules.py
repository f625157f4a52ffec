"""Lifecycle rules of the register, as pure functions."""
from __future__ import annotations

from app.errors import IllegalTransition

from .vocab import FRAMEWORK_STATUSES, MEMBERSHIP_STATUSES

FRAMEWORK_TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"open"}),
    "open": frozenset({"live"}),
    "live": frozenset({"open", "expired"}),
    "expired": frozenset(),
}

MEMBERSHIP_TRANSITIONS: dict[str, frozenset[str]] = {
    # A trust that is not yet a member has the pseudo-status None.
    "": frozenset({"applied", "admitted"}),
    "applied": frozenset({"admitted", "rejected"}),
    "rejected": frozenset({"applied"}),
    "admitted": frozenset({"suspended", "removed"}),
    "suspended": frozenset({"admitted", "removed"}),
    "removed": frozenset(),
}

MEMBERSHIP_VERBS = {
    "applied": "apply",
    "admitted": "admit",
    "rejected": "reject",
    "suspended": "suspend",
    "removed": "remove",
}


def check_framework_transition(current: str, target: str) -> None:
    """Refuse a framework status change the lifecycle does not allow."""
    if target not in FRAMEWORK_TRANSITIONS.get(current, frozenset()):
        allowed = ", ".join(FRAMEWORK_STATUSES[s] for s in sorted(FRAMEWORK_TRANSITIONS.get(current, ()))) or "none"
        raise IllegalTransition(
            f"A framework that is {FRAMEWORK_STATUSES[current].lower()} cannot become "
            f"{FRAMEWORK_STATUSES[target].lower()}. Allowed next: {allowed}."
        )


def check_membership_transition(current: str | None, target: str) -> None:
    """Refuse a membership decision the lifecycle does not allow."""
    if target not in MEMBERSHIP_TRANSITIONS.get(current or "", frozenset()):
        label = MEMBERSHIP_STATUSES[current].lower() if current else "not a member"
        raise IllegalTransition(
            f"You cannot {MEMBERSHIP_VERBS[target]} an exemplar that is {label}."
        )
