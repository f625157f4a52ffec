"""Governance decisions reach the trust by email: admission decided, tranche released, and a
check-in due (a scheduled task: once per agreement and quarter, once more when overdue)."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from app import clock, jobs
from app.accounts.roles import EXEMPLAR_MANAGER
from app.governance import services
from app.mail.models import EmailDelivery


def _mail(db_session, user, kind):
    return db_session.execute(select(EmailDelivery).where(EmailDelivery.user_id == user.id,
                                                          EmailDelivery.kind == kind)).scalars().all()


def test_the_trust_is_emailed_the_admission_decision_with_its_reason(gov, db_session):
    org = gov.trust()
    manager = gov.make.user(EXEMPLAR_MANAGER, org=org)
    application = gov.apply(gov.open_lot(), org)
    gov.assess_all(application)
    services.decide(application, decision="admit", reason="Every criterion met", actor=gov.admin)
    [d] = _mail(db_session, manager, "admission_decided")
    assert "admitted to" in d.subject and "Every criterion met" in d.body
    assert f"http://localhost/governance/applications/{application.id}" in d.body


def test_the_trust_is_emailed_when_a_tranche_is_released(gov, db_session):
    a = gov.agreement()
    manager = gov.make.user(EXEMPLAR_MANAGER, org=a.organisation)
    gov.checkin(a)
    services.release_tranche(a.tranches[0], actor=gov.admin)
    [d] = _mail(db_session, manager, "tranche_released")
    assert "tranche 1 released" in d.subject and f"/governance/funding/agreements/{a.id}" in d.body


def test_a_check_in_due_is_reminded_once_and_once_more_when_overdue(gov, db_session):
    a = gov.agreement(first_year=2025)
    manager = gov.make.user(EXEMPLAR_MANAGER, org=a.organisation)
    db_session.commit()
    try:
        for when in (datetime(2025, 7, 24, 7, 5, tzinfo=timezone.utc), datetime(2025, 7, 25, 7, 5, tzinfo=timezone.utc),
                     datetime(2025, 8, 20, 7, 5, tzinfo=timezone.utc)):
            clock.set_source(lambda when=when: when)
            jobs.tick()
            db_session.commit()
            jobs.drain()
    finally:
        clock.set_source(None)
    q1 = [d for d in _mail(db_session, manager, "checkin_due") if "2025/26 Q1" in d.subject]
    assert len(q1) == 2  # due within a week (twice asked, once told), then overdue
    assert "/checkins/new" in q1[0].body
