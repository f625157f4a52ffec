"""Fixtures for the offers domain: a small world of a live framework, two exemplars, two
followers and a user per role, plus helpers to write and publish offers."""
from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.offers import services
from app.offers.projects import services as shortlists
from app.offers.models import CapabilityCategory
from app.registry.models import Organisation

_n = itertools.count(1)


@dataclass
class World:
    framework: object
    lot: object
    lot2: object
    system: object          # run live by exemplar A
    other_system: object    # run by nobody in this world
    region: object          # A's region and the followers'
    other_region: object
    exemplar_a: object
    exemplar_b: object
    follower: object
    other_follower: object
    manager_a: object
    manager_b: object
    buyer: object
    evaluator: object
    other_buyer: object
    admin: object
    auditor: object
    make: object

    def category(self, slug: str = "change-management-training") -> CapabilityCategory:
        return self.make.session.execute(select(CapabilityCategory).where(CapabilityCategory.slug == slug)).scalar_one()

    def content(self, **kw) -> services.OfferContent:
        """Offer content with sensible defaults; a word unique to this world is in the title."""
        defaults = dict(
            title=f"Zebrafinch go-live support {next(_n)}", summary="We help followers go live safely.",
            description="## Approach\n\nWorkshops and **floor-walking**.", category=self.category(),
            pricing_model="day_rate", price_pence=80_000, vat="exclusive", capacity_per_quarter=3,
            capacity_committed=1, lead_time_weeks=6, contact_name="Ann Example",
            contact_email="ann@example.nhs.uk", regions=[self.region],
        )
        defaults.update(kw)
        return services.OfferContent(**defaults)

    def offer(self, org=None, lot=None, publish: bool = True, **kw):
        o = services.create_offer(org or self.exemplar_a, lot or self.lot, self.content(**kw))
        if publish:
            services.publish_offer(o)
        return o

    @property
    def lot_key(self) -> str:
        return f"{self.framework.slug}-{self.lot.number}"


@pytest.fixture()
def world(make) -> World:
    s = make.session
    regions = s.execute(select(Organisation).where(Organisation.kind == "region").order_by(Organisation.ods_code)
                        ).unique().scalars().all()
    region, other_region = regions[0], regions[1]
    fw = make.framework(status="live", lots=2)
    lot, lot2 = fw.lots
    sup = make.supplier(name="Zebra Systems Ltd")
    system = make.system(supplier=sup, name="Zebra EPR")
    other_system = make.system(supplier=sup, name="Okapi PAS")
    exemplar_a = make.org(region_id=region.id)
    exemplar_b = make.org(region_id=other_region.id)
    follower = make.org(region_id=region.id)
    other_follower = make.org(region_id=region.id)
    make.deployment(exemplar_a, system)
    make.deployment(follower, system, status="planned")
    make.membership(lot, exemplar_a)
    make.membership(lot, exemplar_b)
    make.membership(lot2, exemplar_a, status="applied")
    national = make.org("X24")
    return World(
        framework=fw, lot=lot, lot2=lot2, system=system, other_system=other_system, region=region,
        other_region=other_region, exemplar_a=exemplar_a, exemplar_b=exemplar_b, follower=follower,
        other_follower=other_follower,
        manager_a=make.user(EXEMPLAR_MANAGER, org=exemplar_a), manager_b=make.user(EXEMPLAR_MANAGER, org=exemplar_b),
        buyer=make.user(FOLLOWER_BUYER, org=follower), evaluator=make.user(EVALUATOR, org=follower),
        other_buyer=make.user(FOLLOWER_BUYER, org=other_follower), admin=make.user(COMMERCIAL_ADMIN, org=national),
        auditor=make.user(AUDITOR, org=national), make=make,
    )


@pytest.fixture()
def project(world):
    return shortlists.create_project(world.follower, name="Zebra EPR optimisation partner")


@pytest.fixture()
def login(client):
    """Sign a user in on the test client, forgetting whoever was signed in before.

    The shared `login` fixture does not do the second part: the test's app context outlives each
    request, so Flask-Login's cached user (g._login_user) would stay the first one signed in.
    """
    from flask import g

    def _login(user):
        with client.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["_fresh"] = True
        g.pop("_login_user", None)
        return user

    return _login
