"""Fixtures for the API tests: personal tokens, bearer headers, and factories whose objects
survive the rollback an API error answer makes (see CommitOnFlush)."""
from __future__ import annotations

import pytest

from app.api import services
from tests import factories


class CommitOnFlush:
    """A session whose flush() commits. In the test transaction a commit only ends a savepoint,
    so objects a test made survive the rollback that an error answer (4xx) makes, and still
    vanish with the test's transaction at the end."""

    def __init__(self, session):
        self._session = session

    def flush(self, *args, **kwargs):
        self._session.commit()

    def __getattr__(self, name):
        return getattr(self._session, name)


@pytest.fixture()
def make(db_session):
    return factories.Factory(CommitOnFlush(db_session))


@pytest.fixture()
def token(db_session):
    """token(user, scope="read") → the secret of a new token of that user."""

    def _token(user, scope: str = "read") -> str:
        _, secret = services.create_token(user, name=f"test {scope}", scope=scope)
        db_session.commit()
        return secret

    return _token


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture()
def admin(make):
    return make.user("commercial_admin", org=make.org("X24"))
