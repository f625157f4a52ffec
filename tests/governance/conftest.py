"""Fixtures for the governance tests: an open framework with criteria, trusts with live systems,
a funding programme and agreements made through the services."""
from __future__ import annotations

import itertools
from datetime import date

import pytest

from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.governance import services
from app.governance.calendar import Quarter
from app.governance.funding.rules import YearAmounts
from app.governance.models import FundingProgramme, ProgrammeCondition

M = 100_000_000  # £1m in pence
_n = itertools.count(1)
TODAY = date(2026, 11, 24)


class Gov:
    """Governance test objects, made with sensible defaults."""

    def __init__(self, make, session):
        self.make, self.session = make, session
        self.admin = make.user(COMMERCIAL_ADMIN, org=make.org("X24"))

    def open_lot(self, status="open", criteria=True):
        fw = self.make.framework(status=status)
        if criteria:
            services.add_default_criteria(fw)
        return fw.lots[0]

    def trust(self, live=True):
        org = self.make.org()
        if live:
            self.make.deployment(org, self.make.system(), status="live")
        return org

    def answers(self, lot, **over):
        """Good answers to the default criteria, by criterion id."""
        defaults = {"Digital maturity score": "4", "Clinical modules live": "6",
                    "Clinical safety officer in post": "yes",
                    "Track record of go-lives": "Two go-lives since 2019",
                    "Capacity to support followers": "A team of four"}
        defaults.update(over)
        return {c.id: defaults[c.name] for c in services.active_criteria(lot.framework)}

    def apply(self, lot, org, actor=None, **over):
        return services.submit_application(
            lot, org, answers=self.answers(lot, **over), system_ids=[d.system_id for d in services.live_deployments(org)],
            links=[("Strategy", "https://example.nhs.uk/s.pdf")], capacity_followers=2, actor=actor)

    def assess_all(self, application, verdict="met"):
        return services.assess(application, {a.id: (verdict, None if verdict == "met" else "Not shown")
                                             for a in application.answers}, actor=self.admin)

    def programme(self, conditions=10, **kw):
        p = FundingProgramme(slug=kw.pop("slug", f"prog-{next(_n)}"), name=kw.pop("name", "Test programme"),
                             max_years=kw.pop("max_years", 4), min_match_percent=kw.pop("min_match_percent", 100),
                             checkin_due_days=kw.pop("checkin_due_days", 30))
        p.conditions = [ProgrammeCondition(position=i, title=f"Condition {i + 1}") for i in range(conditions)]
        self.session.add(p)
        self.session.flush()
        return p

    def agreement(self, org=None, programme=None, central=4 * M, local=4 * M, first_year=2025, years=4):
        org = org or self.trust(live=False)
        programme = programme or self.programme()
        per_c, per_l = central // years, local // years
        profile = [YearAmounts(per_c, per_l) for _ in range(years - 1)]
        profile.append(YearAmounts(central - per_c * (years - 1), local - per_l * (years - 1)))
        tranches = [services.PlannedTranche(date(first_year + i, 7, 1), y.central) for i, y in enumerate(profile)]
        return services.create_agreement(programme=programme, organisation=org, title="Test agreement",
                                         central=central, local=local, first_year=first_year, years=years,
                                         profile=profile, tranches=tranches, actor=self.admin)

    def ratings(self, agreement, red=(), amber=()):
        out = {}
        for i, c in enumerate(agreement.active_conditions, start=1):
            out[c.id] = ("red", "Behind") if i in red else ("amber", "At risk") if i in amber else ("green", "")
        return out

    def checkin(self, agreement, quarter=Quarter(2025, 1), red=(), amber=(), accept=True, actor=None):
        c = services.submit_checkin(agreement, quarter=quarter, ratings=self.ratings(agreement, red, amber),
                                    milestone_progress="On track", actor=actor, today=TODAY)
        if accept:
            services.review_checkin(c, decision="accept", actor=self.admin)
        return c


@pytest.fixture()
def gov(make, db_session):
    return Gov(make, db_session)


@pytest.fixture()
def people(make):
    """One user per role, trust roles at one trust (`people["org"]`)."""
    org = make.org()
    national = make.org("X24")
    return {
        "org": org,
        "follower_buyer": make.user(FOLLOWER_BUYER, org=org),
        "exemplar_manager": make.user(EXEMPLAR_MANAGER, org=org),
        "evaluator": make.user(EVALUATOR, org=org),
        "commercial_admin": make.user(COMMERCIAL_ADMIN, org=national),
        "auditor": make.user(AUDITOR, org=national),
    }


@pytest.fixture()
def switch_to(client, login, people):
    """Sign in as another role within one test. The test's app context outlives each request, so
    Flask-Login's cached user in `g` must be dropped as well as the session."""
    from flask import g

    def _switch(role):
        with client.session_transaction() as s:
            s.clear()
        g.pop("_login_user", None)
        if role != "anonymous":
            login(people[role])

    return _switch
