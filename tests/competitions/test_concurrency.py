"""Many exemplars bid and revise at once around the deadline, each thread with its own app context
and database session, on a database of its own (a file SQLite database, or PostgreSQL when the
suite runs there). The clock is injected: every reading of "now" moves virtual time on by a few
milliseconds, so the deadline falls in the middle of the rush. Then: no accepted bid is lost,
none is duplicated (retries with the same idempotency key land once), none is accepted late."""
from __future__ import annotations

import itertools
import os
import threading
import uuid
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from app import create_app
from app.accounts.models import User
from app.accounts.roles import EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.competitions import clock as comp_clock
from app.competitions.models import Bid, BidRevision
from app.competitions.models import Competition
from app.competitions.bidding import services as bidding
from app.competitions.setup import services as setup
from app.errors import DomainError
from app.extensions import db
from app.registry.models import FrameworkCriterion
from tests import factories
from tests.conftest import empty_postgresql_database

EXEMPLARS = 8
REVISIONS = 3
STEP = timedelta(milliseconds=7)


def _own_database(tmp_path) -> str:
    """An empty database for this test alone, migrated to the head revision."""
    if os.environ.get("TEST_BACKEND") == "postgresql":
        return empty_postgresql_database("concurrency")
    return f"sqlite:///{tmp_path / 'concurrency.db'}"


class VirtualClock:
    """Each reading is a few milliseconds after the last, from every thread alike."""

    def __init__(self, start):
        self.start = start
        self.counter = itertools.count()
        self.lock = threading.Lock()

    def __call__(self):
        with self.lock:
            return self.start + STEP * next(self.counter)


@pytest.fixture()
def race_app(tmp_path):
    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": _own_database(tmp_path)})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    yield app
    comp_clock.set_source(None)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _setup(app):
    with app.app_context():
        make = factories.Factory(db.session)
        fw = make.framework(status="live", lots=1, min_invitees=3)
        fw.criteria = [FrameworkCriterion(position=0, name="Capability"), FrameworkCriterion(position=1, name="Approach")]
        db.session.flush()
        buyer_org = make.org()
        buyer = make.user(FOLLOWER_BUYER, org=buyer_org)
        evaluator = make.user(EVALUATOR, org=buyer_org)
        managers = []
        for _ in range(EXEMPLARS):
            org = make.org()
            make.membership(fw.lots[0], org)
            managers.append(make.user(EXEMPLAR_MANAGER, org=org))
        comp = setup.create_competition(buyer=buyer_org, lot=fw.lots[0], title="Race", requirement="r", actor=buyer)
        setup.set_invitees(comp, organisation_ids=[m.organisation_id for m in managers], actor=buyer)
        setup.set_evaluators(comp, user_ids=[evaluator.id], actor=buyer)
        setup.publish(comp, actor=buyer)
        db.session.commit()
        ids = (comp.id, [m.id for m in managers], [c.id for c in comp.criteria], comp.response_deadline)
        db.session.remove()
        return ids


def _bidder(app, comp_id, user_id, criteria, outcomes, errors, start):
    """One exemplar: REVISIONS submissions, each sent twice with the same idempotency key (a retry)."""
    start.wait()
    for n in range(REVISIONS):
        key = uuid.uuid4().hex
        price = 1_000_000 + user_id * 1000 + n
        for attempt in range(2):
            with app.app_context():
                try:
                    comp = db.session.get(Competition, comp_id)
                    user = db.session.get(User, user_id)
                    _, created = bidding.submit_bid(comp, actor=user, price_pence=price, idempotency_key=key,
                                                    answers={c: f"Answer {n}" for c in criteria})
                    db.session.commit()
                    outcomes.append((user_id, key, price, "created" if created else "replayed"))
                except DomainError as e:
                    db.session.rollback()
                    outcomes.append((user_id, key, price, "refused:" + e.message))
                except Exception as e:  # noqa: BLE001 - any other failure fails the test below
                    db.session.rollback()
                    errors.append(repr(e))
                finally:
                    db.session.remove()


def test_bids_around_the_deadline_are_neither_lost_nor_duplicated_nor_late(race_app):
    comp_id, user_ids, criteria, deadline = _setup(race_app)
    attempts = EXEMPLARS * REVISIONS * 2
    # Roughly half the readings of the clock fall before the deadline.
    virtual = VirtualClock(deadline - STEP * (EXEMPLARS * REVISIONS // 2))
    comp_clock.set_source(virtual)
    outcomes, errors = [], []
    start = threading.Barrier(EXEMPLARS)
    threads = [threading.Thread(target=_bidder, args=(race_app, comp_id, uid, criteria, outcomes, errors, start))
               for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    comp_clock.set_source(None)
    assert not errors, errors
    assert len(outcomes) == attempts

    created = [o for o in outcomes if o[3] == "created"]
    refused = [o for o in outcomes if o[3].startswith("refused")]
    assert created and refused, "the deadline should fall during the rush"
    assert all("deadline" in o[3] for o in refused)
    # Each key is created at most once; a retry of a created key is replayed, never created again.
    per_key = defaultdict(list)
    for o in outcomes:
        per_key[o[1]].append(o[3])
    assert all(states.count("created") <= 1 for states in per_key.values())

    with race_app.app_context():
        bids = db.session.execute(select(Bid).where(Bid.competition_id == comp_id)).unique().scalars().all()
        assert len({b.organisation_id for b in bids}) == len(bids)  # one bid per exemplar
        revisions = db.session.execute(select(BidRevision).join(Bid).where(Bid.competition_id == comp_id)
                                       ).scalars().all()
        # None lost, none duplicated: exactly one stored revision per created submission.
        assert sorted(r.idempotency_key for r in revisions) == sorted(o[1] for o in created)
        # None late: every stored revision was accepted before the deadline, to the microsecond.
        assert all(r.created_at < deadline for r in revisions)
        by_user = {u: db.session.get(User, u).organisation_id for u in user_ids}
        for b in bids:
            mine = sorted((r for r in revisions if r.bid_id == b.id), key=lambda r: r.number)
            assert [r.number for r in mine] == list(range(1, len(mine) + 1))
            assert b.revision == len(mine) and b.price_pence == mine[-1].price_pence
        submitted_orgs = {by_user[o[0]] for o in created}
        assert {b.organisation_id for b in bids} == submitted_orgs
        db.session.remove()
