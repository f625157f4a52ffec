"""Fixtures for the audit log tests."""
from __future__ import annotations

import pytest
from flask import g


@pytest.fixture()
def as_role(make, login):
    """Sign in a new user holding one role (or nobody, for None); returns the user.

    The test's app context outlives each request, and Flask-Login caches the current user on it:
    drop the cached user so the next request sees the new one.
    """

    def _as(role: str | None):
        g.pop("_login_user", None)
        if role is None:
            return None
        return login(make.user(role))

    return _as
