"""Quarterly check-ins and tranche releases (services, on the database)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.roles import AUDITOR, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit.models import AuditEvent
from app.errors import DomainError, NotAllowed
from app.governance import services
from app.governance.calendar import Quarter
from app.governance.models import CheckIn

from .conftest import TODAY


def test_the_funded_organisation_checks_in_with_a_rating_per_condition(gov, db_session):
    a = gov.agreement()
    user = gov.make.user(EXEMPLAR_MANAGER, org=a.organisation)
    c = gov.checkin(a, amber=(3,), accept=False, actor=user)
    assert c.status == "submitted" and len(c.ratings) == 10
    assert [r.rag for r in c.ratings][:3] == ["green", "green", "amber"]
    assert c.ratings[2].condition_title == "Condition 3"
    assert db_session.execute(select(AuditEvent).where(AuditEvent.action == "checkin.submit")).first()


def test_a_follower_buyer_may_check_in_for_its_organisation(gov):
    a = gov.agreement()
    assert gov.checkin(a, accept=False, actor=gov.make.user(FOLLOWER_BUYER, org=a.organisation)).status == "submitted"


@pytest.mark.parametrize("role", [EVALUATOR, AUDITOR])
def test_other_roles_may_not_check_in(gov, role):
    a = gov.agreement()
    with pytest.raises(NotAllowed):
        gov.checkin(a, accept=False, actor=gov.make.user(role, org=a.organisation))


def test_no_one_checks_in_for_another_organisation(gov):
    a = gov.agreement()
    with pytest.raises(NotAllowed):
        gov.checkin(a, accept=False, actor=gov.make.user(EXEMPLAR_MANAGER, org=gov.trust()))


def test_every_condition_is_rated_and_red_or_amber_explained(gov):
    a = gov.agreement()
    ratings = gov.ratings(a)
    first = a.active_conditions[0].id
    del ratings[first]
    with pytest.raises(DomainError) as e:
        services.submit_checkin(a, quarter=Quarter(2025, 1), ratings=ratings, milestone_progress="x", today=TODAY)
    assert e.value.field == f"rag_{first}"
    ratings[first] = ("red", "  ")
    with pytest.raises(DomainError):
        services.submit_checkin(a, quarter=Quarter(2025, 1), ratings=ratings, milestone_progress="x", today=TODAY)


def test_progress_against_milestones_is_required(gov):
    a = gov.agreement()
    with pytest.raises(DomainError) as e:
        services.submit_checkin(a, quarter=Quarter(2025, 1), ratings=gov.ratings(a), milestone_progress=" ", today=TODAY)
    assert e.value.field == "milestone_progress"


def test_one_check_in_per_quarter_within_the_funded_years_once_the_quarter_has_started(gov, db_session):
    a = gov.agreement(first_year=2025, years=2)
    gov.checkin(a, Quarter(2025, 1), accept=False)
    for quarter in (Quarter(2025, 1), Quarter(2024, 4), Quarter(2027, 1), Quarter(2026, 4)):
        with pytest.raises(DomainError) as e:
            gov.checkin(a, quarter, accept=False)
        assert e.value.field == "quarter"
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            db_session.add(CheckIn(agreement_id=a.id, financial_year=2025, quarter=1, milestone_progress="x"))
            db_session.flush()


def test_a_closed_agreement_takes_no_check_ins(gov):
    a = gov.agreement()
    services.close_agreement(a, reason="Ended")
    with pytest.raises(DomainError):
        gov.checkin(a, accept=False)


def test_the_commercial_team_accepts_or_queries_with_a_question(gov):
    a = gov.agreement()
    c = gov.checkin(a, accept=False)
    with pytest.raises(DomainError) as e:
        services.review_checkin(c, decision="query", comment="")
    assert e.value.field == "comment"
    services.review_checkin(c, decision="query", comment="Which milestones slipped?", actor=gov.admin)
    assert (c.status, c.review_comment, c.reviewed_by_id) == ("queried", "Which milestones slipped?", gov.admin.id)
    with pytest.raises(DomainError):
        services.review_checkin(c, decision="accept")


def test_a_queried_check_in_is_corrected_and_resubmitted(gov, db_session):
    a = gov.agreement()
    c = gov.checkin(a, red=(1,), accept=False)
    services.review_checkin(c, decision="query", comment="Is condition 1 really red?")
    services.resubmit_checkin(c, ratings=gov.ratings(a, amber=(1,)), milestone_progress="Corrected")
    assert c.status == "submitted" and c.reds == 0 and c.ratings[0].rag == "amber"
    assert len(c.ratings) == 10
    services.review_checkin(c, decision="accept")
    assert c.status == "accepted"
    with pytest.raises(DomainError):
        services.resubmit_checkin(c, ratings=gov.ratings(a), milestone_progress="again")


def test_a_resubmission_rates_the_conditions_in_force_now(gov):
    a = gov.agreement(programme=gov.programme(conditions=3))
    c = gov.checkin(a, accept=False)
    services.review_checkin(c, decision="query", comment="Rate the new condition")
    services.set_condition_active(a.conditions[0], False)
    services.add_condition(a, title="New condition")
    services.resubmit_checkin(c, ratings=gov.ratings(a), milestone_progress="ok")
    assert [r.condition_title for r in c.ratings] == ["Condition 2", "Condition 3", "New condition"]


# --- releases ---

def test_no_tranche_is_released_before_an_accepted_check_in(gov):
    a = gov.agreement()
    gov.checkin(a, accept=False)
    with pytest.raises(DomainError) as e:
        services.release_tranche(a.tranches[0])
    assert "No check-in has been accepted" in e.value.message


def test_a_tranche_is_released_after_an_accepted_check_in_with_no_red(gov, db_session):
    a = gov.agreement()
    c = gov.checkin(a, amber=(2,))
    t = services.release_tranche(a.tranches[0], actor=gov.admin)
    assert t.is_released and t.released_checkin_id == c.id and t.released_by_id == gov.admin.id
    assert a.released_pence == t.amount_pence
    audit = db_session.execute(select(AuditEvent).where(AuditEvent.action == "funding_tranche.release")).scalars().all()
    assert audit and "2025/26 Q1" in audit[-1].summary


def test_a_red_condition_in_the_latest_accepted_check_in_blocks_the_release(gov):
    a = gov.agreement()
    gov.checkin(a, Quarter(2025, 1))
    gov.checkin(a, Quarter(2025, 2), red=(4,))
    with pytest.raises(DomainError) as e:
        services.release_tranche(a.tranches[0])
    assert "red" in e.value.message
    gov.checkin(a, Quarter(2025, 3))
    assert services.release_tranche(a.tranches[0]).is_released


def test_one_accepted_check_in_releases_one_tranche(gov, db_session):
    a = gov.agreement()
    gov.checkin(a)
    services.release_tranche(a.tranches[0])
    with pytest.raises(DomainError) as e:
        services.release_tranche(a.tranches[1])
    assert "already released a tranche" in e.value.message
    with pytest.raises(IntegrityError):  # the database holds the same line
        with db_session.begin_nested():
            a.tranches[1].released_at, a.tranches[1].released_checkin_id = a.tranches[0].released_at, a.tranches[0].released_checkin_id
            db_session.flush()


def test_tranches_are_released_in_order(gov):
    a = gov.agreement()
    gov.checkin(a)
    with pytest.raises(DomainError) as e:
        services.release_tranche(a.tranches[1])
    assert "in order" in e.value.message


def test_a_release_can_be_recorded_for_an_earlier_day_but_not_the_future(gov):
    a = gov.agreement()
    gov.checkin(a, Quarter(2025, 2))
    with pytest.raises(DomainError) as e:
        services.release_tranche(a.tranches[0], released_on=date(2099, 1, 1))
    assert e.value.field == "released_on"
    with pytest.raises(DomainError):
        services.release_tranche(a.tranches[0], released_on=date(2025, 6, 30))  # before the quarter began
    t = services.release_tranche(a.tranches[0], released_on=date(2025, 8, 1))
    assert t.released_at.date() == date(2025, 8, 1)


def test_a_closed_agreement_releases_nothing(gov):
    a = gov.agreement()
    gov.checkin(a)
    services.close_agreement(a, reason="Ended early")
    with pytest.raises(DomainError):
        services.release_tranche(a.tranches[0])
