"""Names people read: ODS names are stored as published (capitals) and shown in title case wherever a
person reads them, by one rule (Organisation.display_name → app.formatting.title_case_org)."""
from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.competitions.notifications.models import Notification
from app.registry.models import Organisation


def test_a_trust_keeps_its_official_name_and_shows_it_in_title_case(make):
    org = make.org(name="COUNTESS OF CHESTER HOSPITAL NHS FOUNDATION TRUST")
    assert org.name == "COUNTESS OF CHESTER HOSPITAL NHS FOUNDATION TRUST"
    assert org.display_name == "Countess of Chester Hospital NHS Foundation Trust"


def test_no_inbox_message_or_audit_summary_of_the_demo_shows_a_trust_name_in_capitals(db_session):
    official = [o.name for o in db_session.execute(select(Organisation)).unique().scalars()
                if o.name != o.display_name and len(o.name) > 12]
    messages = db_session.execute(select(Notification)).scalars().all()
    summaries = db_session.execute(select(AuditEvent.summary)).scalars().all()
    assert messages and summaries
    shown = [f"{n.subject} {n.body}" for n in messages] + [s or "" for s in summaries]
    assert any("Countess of Chester Hospital NHS Foundation Trust" in text for text in shown)
    for text in shown:
        assert not any(name in text for name in official), text
