"""Fixtures for the competitions domain: a live framework with criteria, a buyer trust with a buyer
and evaluators, exemplar trusts admitted to the lot with their managers, and a clock to move."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

import pytest

from app.extensions import db

from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.competitions import clock as comp_clock
from app.competitions.award import services as award_svc
from app.competitions.bidding import services as bidding
from app.competitions.conflicts import services as conflicts
from app.competitions.notices import services as notices
from app.competitions.evaluation import services as evaluation
from app.competitions.setup import services as setup
from app.competitions.evaluation.services import Mark
from app.registry.models import FrameworkCriterion

#: Tuesday 1 December 2026, 09:00 London (GMT): the day the test competitions are published.
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A settable clock for the services (no sleeping to real deadlines)."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, when: datetime) -> None:
        self.now = when

    def advance(self, **kw) -> None:
        self.now = self.now + timedelta(**kw)


@pytest.fixture()
def clock():
    c = Clock(T0)
    comp_clock.set_source(c)
    yield c
    comp_clock.set_source(None)


class _Outbox:
    """The emails queued so far in this test, as (to, subject, body)."""

    def __iter__(self):
        from app.mail.models import EmailDelivery

        rows = db.session.execute(db.select(EmailDelivery).order_by(EmailDelivery.id)).scalars()
        return iter([(d.to_address, d.subject, d.body) for d in rows])


@pytest.fixture()
def sent_emails(db_session):
    return _Outbox()


@dataclass
class World:
    make: object
    clock: Clock
    framework: object = None
    lot: object = None
    buyer_org: object = None
    buyer: object = None
    evaluators: list = field(default_factory=list)
    exemplars: list = field(default_factory=list)   # (organisation, exemplar manager)
    admin: object = None
    auditor: object = None
    other_buyer: object = None

    def competition(self, invite: int = 3, **kw):
        """A draft with the framework defaults, `invite` exemplars and the evaluators chosen."""
        comp = setup.create_competition(buyer=self.buyer_org, lot=self.lot, title=kw.pop("title", "EPR go-live support"),
                                        requirement="Help us go live with our EPR.", actor=self.buyer,
                                        budget_pence=kw.pop("budget_pence", 10_000_000))
        setup.set_invitees(comp, organisation_ids=[o.id for o, _ in self.exemplars[:invite]],
                           justification=kw.pop("justification", None), actor=self.buyer)
        setup.set_evaluators(comp, user_ids=[u.id for u in self.evaluators], actor=self.buyer)
        return comp

    def published(self, **kw):
        comp = self.competition(**kw)
        setup.publish(comp, actor=self.buyer)
        return comp

    def answers(self, comp, text="Our answer"):
        return {c.id: f"{text} to {c.name}" for c in comp.criteria}

    def bid(self, comp, n: int, price_pence: int = 5_000_000, **kw):
        _, user = self.exemplars[n]
        return bidding.submit_bid(comp, actor=user, price_pence=price_pence,
                                  answers=kw.pop("answers", None) or self.answers(comp), **kw)[0]

    def after_deadline(self, comp, seconds: int = 0):
        self.clock.set(comp.response_deadline + timedelta(seconds=seconds))

    def assess_conflicts(self, comp):
        """Everyone taking part declares no interest, and the buyer confirms the assessment."""
        for d in conflicts.declarations(comp):
            if d.has_interest is None:
                conflicts.declare(comp, d.user, has_interest=False, actor=d.user)
        conflicts.confirm(comp, actor=self.buyer)

    def start_evaluation(self, comp):
        """The conflicts assessment completed, then the evaluation started (after the deadline)."""
        self.assess_conflicts(comp)
        evaluation.start_evaluation(comp, actor=self.buyer)

    def evaluated(self, prices=(5_000_000, 4_000_000), marks=((3, 3), (2, 2))):
        """A competition under evaluation with bids from the first len(prices) exemplars, every
        evaluator's scores submitted and moderated with the given marks per bid."""
        comp = self.published()
        bids = [self.bid(comp, i, p) for i, p in enumerate(prices)]
        self.after_deadline(comp)
        self.start_evaluation(comp)
        self.score_and_moderate(comp, bids, marks)
        return comp, bids

    def score_and_moderate(self, comp, bids, marks):
        """Every evaluator marks (first question m[0], the others m[1]) and submits; the buyer moderates."""
        for ev in self.evaluators:
            evaluation.save_scores(comp, actor=ev, marks={(b.id, c.id): Mark(m[0] if i == 0 else m[1], "Reason")
                                                          for b, m in zip(bids, marks)
                                                          for i, c in enumerate(comp.criteria)})
            evaluation.submit_scores(comp, actor=ev)
        for b, m in zip(bids, marks):
            evaluation.moderate(comp, b, actor=self.buyer,
                                marks={c.id: Mark(m[0] if i == 0 else m[1], f"Agreed mark {m[0] if i == 0 else m[1]}")
                                       for i, c in enumerate(comp.criteria)})

    def in_standstill(self, publish_notice: bool = True, **kw):
        """Intention to award (with its reason); the contract award notice published, so the
        standstill runs (unless publish_notice=False)."""
        comp, bids = self.evaluated(**kw)
        award = award_svc.intend_award(comp, actor=self.buyer, note="Highest total score")
        if publish_notice and comp.standstill_days:
            notices.publish(notices.find(comp, "UK6", f"award-{award.id}"), actor=self.buyer)
        return comp, bids, award


@pytest.fixture()
def world(make, clock):
    fw = make.framework(status="live", lots=1, min_invitees=3, clarification_days=3, response_days=10,
                        standstill_days=8, quality_weight_min=40, quality_weight_max=80, max_calloff_months=24)
    fw.criteria = [FrameworkCriterion(position=0, name="Capability"),
                   FrameworkCriterion(position=1, name="Approach"),
                   FrameworkCriterion(position=2, name="Social value")]
    make.session.flush()
    lot = fw.lots[0]
    buyer_org = make.org()
    w = World(make=make, clock=clock, framework=fw, lot=lot, buyer_org=buyer_org)
    w.buyer = make.user(FOLLOWER_BUYER, org=buyer_org)
    w.evaluators = [make.user(EVALUATOR, org=buyer_org), make.user(EVALUATOR, org=buyer_org)]
    for _ in range(4):
        org = make.org()
        make.membership(lot, org)
        w.exemplars.append((org, make.user(EXEMPLAR_MANAGER, org=org)))
    national = make.org(kind="national", trust_type=None)
    w.admin = make.user(COMMERCIAL_ADMIN, org=national)
    w.auditor = make.user(AUDITOR, org=national)
    w.other_buyer = make.user(FOLLOWER_BUYER, org=make.org())
    return w


@pytest.fixture()
def login(client):
    """Sign a user in on the test client. Requests reuse the test's app context, where Flask-Login
    caches the loaded user in `g`: forget it, so a second login in one test takes effect."""
    from flask import g

    def _login(user):
        with client.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["_fresh"] = True
        g.pop("_login_user", None)
        return user

    return _login


@pytest.fixture()
def logout(client):
    from flask import g

    def _logout():
        with client.session_transaction() as s:
            s.clear()
        g.pop("_login_user", None)

    return _logout
