"""Deployment services (dates, trusts only, audit, data_changed) and track records from the database."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from app import signals
from app.errors import DomainError
from app.registry import services
from app.registry.models import Organisation, Partnership, PartnershipMilestone

from .helpers import caught, last_entry, nothing_recorded


@pytest.fixture()
def system(make):
    return make.system(name="Test EPR")


def test_adding_a_deployment_records_it_and_tells_other_domains(db_session, make, system):
    trust = make.org()
    with caught(signals.data_changed) as data:
        dep = services.add_deployment(trust, system, status="live", confidence="high", since=date(2021, 5, 1),
                                      source_url="https://example.org/news", notes="Went live", bogus="ignored")
    assert (dep.status, dep.confidence, dep.since, dep.until) == ("live", "high", date(2021, 5, 1), None)
    assert dep in trust.deployments
    entry = last_entry(db_session)
    assert (entry.action, entry.object_type, entry.object_id) == ("deployment.create", "Deployment", str(dep.id))
    assert json.loads(entry.after)["source_url"] == "https://example.org/news"
    assert data == [("deployment", {})]


def test_deployments_are_recorded_for_trusts_only(db_session, make, system):
    region = make.org(kind="region", trust_type=None)
    with nothing_recorded(db_session), pytest.raises(DomainError, match="for NHS trusts"):
        services.add_deployment(region, system, status="live", confidence="high")


def test_a_deployment_cannot_end_before_it_starts(db_session, make, system):
    with nothing_recorded(db_session), pytest.raises(DomainError, match="on or after the start date") as e:
        services.add_deployment(make.org(), system, status="ended", confidence="low", since=date(2022, 1, 1),
                                until=date(2021, 12, 31))
    assert e.value.field == "until"


def test_a_live_deployment_has_no_end_date(db_session, make, system):
    with nothing_recorded(db_session), pytest.raises(DomainError, match="live deployment has no end date") as e:
        services.add_deployment(make.org(), system, status="live", confidence="high", until=date(2030, 1, 1))
    assert e.value.field == "until"


def test_a_planned_deployment_needs_no_dates(db_session, make, system):
    dep = services.add_deployment(make.org(), system, status="planned", confidence="unrated")
    assert dep.since is None and dep.until is None


def test_ending_a_deployment_records_the_date_and_the_reason(db_session, make, system):
    dep = make.deployment(make.org(), system, since=date(2020, 1, 1), notes="First note")
    with caught(signals.data_changed) as data:
        services.end_deployment(dep, until=date(2026, 6, 30), reason="  Replaced by Epic  ")
    assert (dep.status, dep.until) == ("ended", date(2026, 6, 30))
    assert dep.notes == "First note\nEnded 2026-06-30: Replaced by Epic"
    entry = last_entry(db_session)
    assert entry.action == "deployment.end"
    assert json.loads(entry.before)["status"] == "live" and json.loads(entry.after)["status"] == "ended"
    assert data == [("deployment", {})]


def test_a_deployment_ends_only_once(db_session, make, system):
    dep = make.deployment(make.org(), system, status="ended")
    with nothing_recorded(db_session), pytest.raises(DomainError, match="already ended"):
        services.end_deployment(dep, until=date(2026, 1, 1), reason="Again")


def test_ending_a_deployment_needs_a_reason(db_session, make, system):
    dep = make.deployment(make.org(), system)
    with nothing_recorded(db_session), pytest.raises(DomainError, match="Give a reason") as e:
        services.end_deployment(dep, until=date(2026, 1, 1), reason="  ")
    assert e.value.field == "reason"
    assert dep.status == "live"


def test_a_deployment_cannot_end_before_it_started(db_session, make, system):
    dep = make.deployment(make.org(), system, since=date(2020, 6, 1))
    with nothing_recorded(db_session), pytest.raises(DomainError, match="on or after the start date"):
        services.end_deployment(dep, until=date(2020, 5, 31), reason="Typo")


# Track records from the database.

def test_track_records_come_from_partnerships_and_their_milestones(db_session, make):
    exemplar, f1, f2 = make.org(), make.org(), make.org()
    p1 = Partnership(follower=f1, exemplar=exemplar, origin="call_off")
    p1.milestones = [PartnershipMilestone(kind="go_live", name="Go-live", planned_on=date(2026, 3, 1),
                                          actual_on=date(2026, 2, 20)),
                     PartnershipMilestone(kind="kick_off", name="Kick-off", actual_on=date(2025, 9, 1))]
    p2 = Partnership(follower=f2, exemplar=exemplar, origin="call_off")
    p2.milestones = [PartnershipMilestone(kind="go_live", name="Go-live", planned_on=date(2026, 3, 1),
                                          actual_on=date(2026, 4, 2))]
    db_session.add_all([p1, p2])
    db_session.flush()
    record = services.track_records_for([exemplar.id])[exemplar.id]
    assert (record.followers_served, record.go_lives, record.go_lives_on_time) == (2, 2, 1)
    assert set(services.track_records_for([exemplar.id])) == {exemplar.id}


def test_the_seeded_fast_followers_give_their_exemplars_a_track_record(db_session):
    records = services.track_records_for()
    wirral = db_session.execute(select(Organisation.id).where(Organisation.ods_code == "RBL")).scalar_one()
    assert records[wirral].followers_served >= 1  # Countess of Chester (RJR), a GDE fast follower
