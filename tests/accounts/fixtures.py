"""Fixtures for the foundation's accounts tests (imported by name into the test modules that use them,
not a conftest, so other account tests keep their own)."""
from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from flask import g

from app.accounts import passwords
from tests import factories
from tests.factories import PASSWORD

__all__ = ["PASSWORD", "REAL_HASHER", "cheap_password_hashing", "sign_in"]

REAL_HASHER = passwords._hasher
# Still Argon2id, at a cost of ~2 ms instead of ~300 ms a hash, so signing in many times stays fast.
CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
CHEAP_DUMMY = CHEAP_HASHER.hash("not a real password")
CHEAP_HASH = CHEAP_HASHER.hash(PASSWORD)


@pytest.fixture()
def cheap_password_hashing(monkeypatch):
    monkeypatch.setattr(passwords, "_hasher", CHEAP_HASHER)
    monkeypatch.setattr(passwords, "_DUMMY", CHEAP_DUMMY)
    monkeypatch.setattr(factories, "_HASH", CHEAP_HASH)



@pytest.fixture()
def sign_in(client):
    """Post the sign-in form; returns the response (not followed)."""

    def _sign_in(email: str, password: str, next: str | None = None):
        g.pop("_login_user", None)
        return client.post("/sign-in", query_string={"next": next} if next is not None else None,
                           data={"email": email, "password": password})

    return _sign_in
