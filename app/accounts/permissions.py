"""Authorisation in one place.

`can(user, action, obj)` answers "may this user do this to this object". Each domain declares
its rules in its own `policy.py` with `@rule("domain.verb")`; views and the API ask through `can`
or `require`, and the route × role test walks every rule.
"""
from __future__ import annotations

from typing import Any, Callable

from flask import abort
from flask_login import current_user

RuleFn = Callable[[Any, Any], bool]
_RULES: dict[str, RuleFn] = {}


def rule(action: str) -> Callable[[RuleFn], RuleFn]:
    """Register the function that decides `action`. Each action has exactly one rule."""

    def register(fn: RuleFn) -> RuleFn:
        if action in _RULES and _RULES[action] is not fn:
            raise RuntimeError(f"permission rule {action!r} declared twice")
        _RULES[action] = fn
        return fn

    return register


def actions() -> list[str]:
    return sorted(_RULES)


def _user(user: Any) -> Any:
    """None for an anonymous or inactive user, else the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", False):
        return None
    return user


def can(user: Any, action: str, obj: Any = None) -> bool:
    try:
        fn = _RULES[action]
    except KeyError:
        raise LookupError(f"no permission rule for {action!r}") from None
    return bool(fn(_user(user), obj))


def require(action: str, obj: Any = None, *, hide: bool = False) -> None:
    """Abort unless the current user may do `action`.

    Anonymous users are sent to log in (401 → the login manager redirects). `hide=True` answers
    404 rather than 403 where even the existence of the object is private (another
    organisation's project, a competition one is not invited to).
    """
    if can(current_user, action, obj):
        return
    if _user(current_user) is None and not hide:
        abort(401)
    abort(404 if hide else 403)


# Helpers the domain policies share.

def has_role(user: Any, *roles: str) -> bool:
    return user is not None and user.has_role(*roles)


def same_org(user: Any, organisation_id: int | None) -> bool:
    return user is not None and organisation_id is not None and user.organisation_id == organisation_id
