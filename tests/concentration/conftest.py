"""Fixtures of the concentration tests: a small, hand-computable e-prescribing market (the demo data
has no e-prescribing deployments, so the figures are ours alone; its scope is every acute,
specialist and mental health trust, so its coverage is tiny and its alerts are not assessed unless
a test lowers the minimum)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from app.concentration import services
from app.registry.models import Organisation, System


@pytest.fixture()
def fresh_cache():
    """An empty figures cache. Not needed for correctness (the cache keys on a data version that
    a rolled-back test can never leave behind), only for tests about building the engine."""
    services.clear_cache()
    yield
    services.clear_cache()


@dataclass
class Market:
    a: System
    b: System
    c: System
    o1: Organisation
    o2: Organisation
    o3: Organisation
    o4: Organisation
    in_scope_before: int


CATEGORY = "eprescribing"
#: The trust type of the market's organisations (one of the category's scope).
TRUST_TYPE = "mental_health"


@pytest.fixture()
def assess_any_coverage(app):
    """Alert rules applied whatever the coverage (CONCENTRATION_MIN_COVERAGE = 0), for tests of the
    rules on the small market."""
    before = app.config["CONCENTRATION_MIN_COVERAGE"]
    app.config["CONCENTRATION_MIN_COVERAGE"] = 0.0
    yield
    app.config["CONCENTRATION_MIN_COVERAGE"] = before


@pytest.fixture()
def market(make, db_session):
    """o1 and o2 run A, o3 runs B, o4 runs A + C (half each); A and C share a supplier.

    By system: A 2.5, B 1, C 0.5 of 4 → 62.5%, 25%, 12.5% → HHI 3,906.25 + 625 + 156.25 = 4,687.5.
    By supplier (the headline): Alpha 3, Beta 1 of 4 → 75%, 25% → HHI 5,625 + 625 = 6,250.
    """
    from sqlalchemy import func, select

    from app.concentration.metrics import scope_types

    before = db_session.execute(select(func.count(Organisation.id)).where(
        Organisation.kind == "trust", Organisation.trust_type.in_(scope_types(CATEGORY)))).scalar_one()
    sa, sb = make.supplier(name="Alpha Ltd"), make.supplier(name="Beta Ltd")
    a = make.system(sa, name="Alpha ePR", category=CATEGORY)
    b = make.system(sb, name="Beta ePR", category=CATEGORY)
    c = make.system(sa, name="Alpha Lite", category=CATEGORY)
    orgs = [make.org(trust_type=TRUST_TYPE) for _ in range(4)]
    o1, o2, o3, o4 = orgs
    make.deployment(o1, a, since=date(2020, 1, 1))
    make.deployment(o2, a, since=date(2021, 1, 1))
    make.deployment(o3, b, since=date(2019, 6, 1))
    make.deployment(o4, a, since=date(2022, 1, 1))
    make.deployment(o4, c, since=date(2022, 1, 1))
    return Market(a, b, c, o1, o2, o3, o4, before)
