"""Fixtures for the register tests."""
from __future__ import annotations

import functools
from datetime import date

import pytest
from flask import g

from tests import factories

ROLES = ["follower_buyer", "evaluator", "exemplar_manager", "commercial_admin", "auditor"]


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
        return login(make.user(role, org=make.org("X24") if role in ("commercial_admin", "auditor") else None))

    return _as


@pytest.fixture()
def admin(as_role):
    """Signed in as a commercial admin."""
    return as_role("commercial_admin")


@pytest.fixture()
def make(db_session):
    """The factories, each object committed as it is made.

    Requests run in the test's session (the test's app context is reused), so a view that rolls
    back a refused change would take objects the test had only flushed with it. Committing
    releases the test's savepoint instead: the objects stay in the outer transaction, which is
    still rolled back when the test ends.
    """
    factory = factories.Factory(db_session)
    for name in ("org", "user", "supplier", "system", "deployment", "framework", "membership"):
        method = getattr(factory, name)

        @functools.wraps(method)
        def committing(*args, __method=method, **kwargs):
            obj = __method(*args, **kwargs)
            db_session.commit()
            return obj

        setattr(factory, name, committing)
    return factory


@pytest.fixture()
def world(make):
    """A live framework with two lots, one admitted member, and a trust with a live system."""
    fw = make.framework(status="live", lots=2, slug="admin-fw", name="Admin test framework")
    member = make.org(name="MEMBER NHS TRUST")
    membership = make.membership(fw.lots[0], member)
    trust = make.org(name="DEPLOYING NHS TRUST")
    system = make.system(name="Test EPR", slug="test-epr")
    deployment = make.deployment(trust, system, since=date(2020, 1, 1))
    candidate = make.org(name="CANDIDATE NHS TRUST")
    return {"fw": fw, "membership": membership, "trust": trust, "system": system, "deployment": deployment,
            "candidate": candidate}
