"""Fixtures for the performance tests: count the SQL statements a page sends, and grow the data in
the test's transaction with bulk inserts (SQLAlchemy Core executemany), so a page's statement
count can be compared on small and larger data."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.engine import Engine

from app.accounts.models import User
from app.competitions.models import Bid, Competition, CompetitionCriterion, Invitation
from app.offers.models import Offer, OfferVersion, offer_version_regions, offer_version_systems
from app.offers.search.engine import visible_offers_condition
from app.registry.models import (
    Deployment,
    Framework,
    FrameworkCriterion,
    Lot,
    Membership,
    Organisation,
    Partnership,
    PartnershipMilestone,
    Supplier,
    System,
    SystemStandard,
)

#: A word no demo offer has: the grown offers carry it, so a search finds only them.
WORD = "quokkabench"
NOW = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)
_serial = itertools.count(1)


def count_statements(client, path: str) -> int:
    """SQL statements sent while the client GETs `path` (savepoints of the test's transaction left out)."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        response = client.get(path)
    finally:
        event.remove(Engine, "before_cursor_execute", before)
    assert response.status_code == 200, (path, response.status_code)
    return len(statements)


class Grower:
    """Adds `n` more of everything the measured pages list, in the test's transaction."""

    def __init__(self, session):
        self.s = session
        offer = session.execute(select(Offer).where(visible_offers_condition()).order_by(Offer.id)).unique().scalars().first()
        self.offer = offer
        self.exemplar = offer.organisation
        self.lot = offer.lot
        self.buyer_user = session.execute(select(User).where(User.email == "buyer@demo.exemplar.nhs.uk")).unique().scalar_one()
        self.buyer = self.buyer_user.organisation
        self.region_id = self.exemplar.region_id
        self.icb_id = self.exemplar.icb_id

    def _ids(self, table, rows: list[dict]) -> list[int]:
        return list(self.s.execute(insert(table).returning(table.c.id), rows).scalars())

    def grow(self, n: int) -> None:
        k = next(_serial)
        s = self.s
        trusts = self._ids(Organisation.__table__, [
            dict(ods_code=f"Q{k}{i:03d}", name=f"AAA BENCH {k} TRUST {i}", kind="trust", trust_type="acute",
                 region_id=self.region_id, icb_id=self.icb_id, name_inferred=False) for i in range(n)])
        suppliers = self._ids(Supplier.__table__, [dict(slug=f"bench-{k}-{i}", name=f"Bench {k} supplier {i}")
                                                   for i in range(n)])
        systems = self._ids(System.__table__, [dict(slug=f"bench-{k}-{i}", name=f"Bench {k} system {i}",
                                                    supplier_id=sup, category="acute_epr")
                                               for i, sup in enumerate(suppliers)])
        s.execute(insert(SystemStandard.__table__), [dict(system_id=x, standard=c) for x in systems
                                                     for c in ("HL7V2", "DSPT")])
        s.execute(insert(Deployment.__table__), [
            dict(organisation_id=org, system_id=x, status="live", since=date(2020, 1, 1), confidence="high",
                 historical=False, created_at=NOW) for x in systems for org in (self.exemplar.id, self.buyer.id)])
        fw = self._ids(Framework.__table__, [dict(slug=f"bench-fw-{k}", name=f"Bench framework {k}", description="",
                                                  status="live", quality_weight_min=40, quality_weight_max=80,
                                                  min_invitees=1, clarification_days=5, response_days=10,
                                                  standstill_days=8, max_calloff_months=24, created_at=NOW)])[0]
        s.execute(insert(FrameworkCriterion.__table__), [dict(framework_id=fw, position=0, name="Quality",
                                                              description="")])
        lots = self._ids(Lot.__table__, [dict(framework_id=fw, number=i + 1, name=f"Bench lot {i}", description="")
                                         for i in range(n)])
        s.execute(insert(Membership.__table__), [dict(lot_id=lot, organisation_id=self.exemplar.id, status="admitted",
                                                      admitted_on=date(2021, 1, 1), updated_at=NOW) for lot in lots])
        partnerships = self._ids(Partnership.__table__, [dict(follower_id=t, exemplar_id=self.exemplar.id,
                                                              origin="gde_fast_follower", status="active",
                                                              started_on=date(2022, 1, 1), created_at=NOW)
                                                         for t in trusts])
        s.execute(insert(PartnershipMilestone.__table__), [dict(partnership_id=p, kind="go_live", name="Go-live",
                                                                planned_on=date(2023, 1, 1), actual_on=date(2023, 2, 1))
                                                           for p in partnerships])
        self._offers(n, k, systems)
        self._competitions(n, k)
        s.flush()
        s.expire_all()

    def _offers(self, n: int, k: int, systems: list[int]) -> None:
        s = self.s
        offers = self._ids(Offer.__table__, [dict(organisation_id=self.exemplar.id, lot_id=self.lot.id,
                                                  status="published", created_at=NOW, published_at=NOW, updated_at=NOW)
                                             for _ in range(n)])
        cv = self.offer.current_version
        versions = self._ids(OfferVersion.__table__, [
            dict(offer_id=o, number=1, title=f"{WORD} offer {k}-{i}", summary=f"A {WORD} summary.",
                 description=f"All about {WORD}.", category_id=cv.category_id, pricing_model=cv.pricing_model,
                 price_pence=1000 * (i + 1), vat=cv.vat, capacity_per_quarter=3, capacity_committed=1,
                 lead_time_weeks=4, evidence_links="", blueprint_links="", contact_name="Bench",
                 contact_email="bench@example.nhs.uk", search_text=WORD, created_at=NOW)
            for i, o in enumerate(offers)])
        for o, v in zip(offers, versions):
            s.execute(Offer.__table__.update().where(Offer.__table__.c.id == o).values(current_version_id=v))
        s.execute(insert(offer_version_systems), [dict(offer_version_id=v, system_id=x)
                                                  for v in versions + [cv.id] for x in systems[:3]])
        s.execute(insert(offer_version_regions), [dict(offer_version_id=v, region_id=self.region_id)
                                                  for v in versions])

    def _competitions(self, n: int, k: int) -> None:
        crit = self.s.execute(select(FrameworkCriterion.id).where(FrameworkCriterion.framework_id ==
                                                                  self.lot.framework_id)).scalars().first()
        comps = self._ids(Competition.__table__, [
            dict(title=f"Bench call-off {k}-{i}", requirement="Help.", buyer_id=self.buyer.id, lot_id=self.lot.id,
                 created_by_id=self.buyer_user.id, quality_weight=60, price_weight=40, scale_max=4,
                 threshold_percent=0, abnormally_low_percent=25, clarification_days=5, response_days=10,
                 standstill_days=8, deadline_time="12:00", status="open", published_at=NOW,
                 response_deadline=datetime(2027, 1, 1, 12, tzinfo=timezone.utc), created_at=NOW, updated_at=NOW)
            for i in range(n)])
        if crit is not None:
            self.s.execute(insert(CompetitionCriterion.__table__), [dict(competition_id=c, framework_criterion_id=crit,
                                                                         position=0, weight=60, question="Q?")
                                                                    for c in comps])
        self.s.execute(insert(Invitation.__table__), [dict(competition_id=c, organisation_id=self.exemplar.id,
                                                           status="invited", created_at=NOW) for c in comps])
        self.s.execute(insert(Bid.__table__), [dict(competition_id=c, organisation_id=self.exemplar.id,
                                                    status="submitted", price_pence=5000, documents="", revision=1,
                                                    first_submitted_at=NOW, submitted_at=NOW) for c in comps])


@pytest.fixture()
def grower(db_session):
    return Grower(db_session)
