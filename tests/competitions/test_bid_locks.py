"""On PostgreSQL, bids from different bidders do not wait for each other, while everything that
changes the competition (closing, opening the bids, cancelling, awarding: state.lock) waits for the
bids in flight, and one bidder's forms still queue (state.lock_for_bid). Each session below is its
own transaction; `lock_timeout` turns "would wait" into an error instead of a hang. SQLite needs no
such test: every write there holds the database's one write lock."""
from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.accounts.models import User
from app.competitions.models import Competition
from app.competitions.state import lock, lock_for_bid
from app.extensions import db

from tests.conftest import empty_postgresql_database

from .test_concurrency import _setup

pytestmark = pytest.mark.skipif(os.environ.get("TEST_BACKEND") != "postgresql",
                                reason="row locks are PostgreSQL's; SQLite serialises every write")


@pytest.fixture()
def locks_app():
    """A migrated, empty PostgreSQL database of this test's own (next to TEST_DATABASE_URL's)."""
    url = empty_postgresql_database("bidlocks")
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _try(app, comp_id, take, timeout_ms: int) -> str:
    """In a session of its own: take a lock, give up after `timeout_ms`; 'taken' or 'would wait'."""
    with app.app_context():
        try:
            db.session.execute(text(f"SET LOCAL lock_timeout = '{timeout_ms}ms'"))
            take(db.session.get(Competition, comp_id))
            return "taken"
        except OperationalError as e:
            assert "lock timeout" in str(e), e
            return "would wait"
        finally:
            db.session.rollback()
            db.session.remove()


def test_bidders_share_the_competition_while_its_changes_and_a_bidders_second_form_wait(locks_app):
    app = locks_app
    comp_id, managers, _, _ = _setup(app)
    with app.app_context():
        orgs = [db.session.get(User, m).organisation_id for m in managers[:2]]
        db.session.remove()
    held, release, failures = threading.Event(), threading.Event(), []

    def first_bidder():
        with app.app_context():
            try:
                lock_for_bid(db.session.get(Competition, comp_id), orgs[0])
                held.set()
                release.wait(30)
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(repr(e))
                held.set()
            finally:
                db.session.rollback()
                db.session.remove()

    t = threading.Thread(target=first_bidder)
    t.start()
    try:
        assert held.wait(30) and not failures, failures
        # Another bidder goes ahead at once (a generous timeout: it must not wait at all).
        assert _try(app, comp_id, lambda c: lock_for_bid(c, orgs[1]), 5000) == "taken"
        # Closing, opening, cancelling or awarding waits for the bid in flight ...
        assert _try(app, comp_id, lock, 300) == "would wait"
        # ... and so does the same bidder's second form (a double-click, a colleague).
        assert _try(app, comp_id, lambda c: lock_for_bid(c, orgs[0]), 300) == "would wait"
    finally:
        release.set()
        t.join(30)
    # Once the bid has ended, the competition can be changed again.
    assert _try(app, comp_id, lock, 5000) == "taken"
