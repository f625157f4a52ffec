"""Factories: make test objects with sensible defaults, overriding only what a test cares about."""
from __future__ import annotations

import itertools
from datetime import date

from sqlalchemy import select

from app.accounts.models import User, UserRole
from app.accounts.passwords import hash_password
from app.registry.models import Deployment, Framework, Lot, Membership, Organisation, Supplier, System

_n = itertools.count(1)
PASSWORD = "correct horse battery staple"
_HASH = hash_password(PASSWORD)


class Factory:
    def __init__(self, session):
        self.session = session

    def org(self, ods_code: str | None = None, **kw) -> Organisation:
        """A trust (by default a new acute trust; pass an existing ODS code to get the seeded one)."""
        if ods_code:
            existing = self.session.execute(select(Organisation).where(Organisation.ods_code == ods_code)).unique().scalar_one_or_none()
            if existing is not None:
                return existing
        n = next(_n)
        org = Organisation(ods_code=ods_code or f"T{n:04d}", name=kw.pop("name", f"TEST TRUST {n} NHS TRUST"),
                           kind=kw.pop("kind", "trust"), trust_type=kw.pop("trust_type", "acute"), **kw)
        self.session.add(org)
        self.session.flush()
        return org

    def user(self, *roles: str, org: Organisation | None = None, **kw) -> User:
        n = next(_n)
        user = User(email=kw.pop("email", f"user{n}@test.nhs.uk"), name=kw.pop("name", f"Test User {n}"),
                    organisation=org or self.org(), password_hash=kw.pop("password_hash", _HASH), **kw)
        user.role_rows = [UserRole(role=r) for r in roles]
        self.session.add(user)
        self.session.flush()
        return user

    def supplier(self, **kw) -> Supplier:
        n = next(_n)
        s = Supplier(slug=kw.pop("slug", f"supplier-{n}"), name=kw.pop("name", f"Supplier {n}"), **kw)
        self.session.add(s)
        self.session.flush()
        return s

    def system(self, supplier: Supplier | None = None, **kw) -> System:
        n = next(_n)
        s = System(slug=kw.pop("slug", f"system-{n}"), name=kw.pop("name", f"System {n}"),
                   supplier=supplier or self.supplier(), category=kw.pop("category", "acute_epr"), **kw)
        self.session.add(s)
        self.session.flush()
        return s

    def deployment(self, org: Organisation, system: System, **kw) -> Deployment:
        d = Deployment(organisation=org, system=system, status=kw.pop("status", "live"),
                       confidence=kw.pop("confidence", "high"), since=kw.pop("since", date(2020, 1, 1)), **kw)
        self.session.add(d)
        self.session.flush()
        return d

    def framework(self, status: str = "live", lots: int = 1, **kw) -> Framework:
        n = next(_n)
        fw = Framework(slug=kw.pop("slug", f"fw-{n}"), name=kw.pop("name", f"Framework {n}"), status=status, **kw)
        for i in range(1, lots + 1):
            fw.lots.append(Lot(number=i, name=f"Lot {i}"))
        self.session.add(fw)
        self.session.flush()
        return fw

    def membership(self, lot: Lot, org: Organisation, status: str = "admitted") -> Membership:
        m = Membership(lot=lot, organisation=org, status=status, name_at_admission=org.name,
                       admitted_on=date(2020, 1, 1) if status != "applied" else None)
        self.session.add(m)
        self.session.flush()
        return m
