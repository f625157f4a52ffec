"""Adding and ending deployments through the forms, with their date rules."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.web.formatting import title_case_org
from app.registry.models import Deployment

from .helpers import entry_count, followed, last_entry, page


def test_adding_a_deployment(client, world, admin, db_session):
    trust = world["trust"]
    r = client.post(f"/organisations/{trust.ods_code.lower()}/deployments/new",
                    data={"system": "test-epr", "status": "live", "confidence": "high", "since": "2024-10-01",
                          "source_url": "https://example.org/golive", "notes": "Big bang"})
    assert r.headers["Location"] == f"/organisations/{trust.ods_code}"
    assert f"Test EPR recorded for {title_case_org(trust.name)}." in followed(client, r)
    dep = db_session.execute(select(Deployment).where(Deployment.organisation_id == trust.id,
                                                      Deployment.since == date(2024, 10, 1))).unique().scalar_one()
    assert (dep.status, dep.confidence, dep.source_url, dep.source_text) == (
        "live", "high", "https://example.org/golive", "Entered by the commercial team")
    assert last_entry(db_session).action == "deployment.create"


@pytest.mark.parametrize("changes,message", [
    ({"status": "live", "until": "2030-01-01"}, "A live deployment has no end date; end it instead."),
    ({"status": "ended", "since": "2024-01-01", "until": "2023-01-01"}, "The end date must be on or after the start date."),
    ({"source_url": ""}, "Enter the source of this fact"),
    ({"source_url": "ftp:/nowhere"}, "Enter a web address starting with https://"),
    ({"system": "no-such-system"}, "Select the system"),
    ({"system": ""}, "Choose a system"),
    ({"status": "imaginary"}, "Select the status"),
    ({"confidence": ""}, "Choose a confidence"),
    ({"since": "2024-02-30"}, "The date it came into use must be a real date"),
])
def test_a_deployment_form_with_a_mistake_is_shown_again_with_the_error(client, world, admin, db_session,
                                                                        changes, message):
    data = {"system": "test-epr", "status": "planned", "confidence": "medium",
            "source_url": "https://example.org/typed", "notes": "Typed note", **changes}
    entries = entry_count(db_session)
    r = client.post(f"/organisations/{world['trust'].ods_code}/deployments/new", data=data)
    assert r.status_code == 200
    html = page(r)
    assert "There is a problem" in html and message in html
    assert "Typed note" in html
    assert entry_count(db_session) == entries


def test_deployments_are_for_trusts_only(client, admin):
    r = client.post("/organisations/Y62/deployments/new",
                    data={"system": "epic-ehr", "status": "planned", "confidence": "low",
                          "source_url": "https://example.org"})
    assert r.status_code == 200 and "Deployments are recorded for NHS trusts." in page(r)


def test_ending_a_deployment(client, world, admin, db_session):
    dep = world["deployment"]
    html = page(client.get(f"/organisations/{world['trust'].ods_code}"))
    assert f"/deployments/{dep.id}/end" in html
    r = client.post(f"/deployments/{dep.id}/end", data={"until": "2026-06-30", "reason": "Replaced by Epic"})
    assert r.headers["Location"] == f"/organisations/{world['trust'].ods_code}"
    assert "marked as ended" in followed(client, r)
    assert (dep.status, dep.until) == ("ended", date(2026, 6, 30))
    assert "Replaced by Epic" in dep.notes
    assert last_entry(db_session).action == "deployment.end"


@pytest.mark.parametrize("data,message", [
    ({"until": "2019-12-31", "reason": "Typed reason"}, "The end date must be on or after the start date."),
    ({"until": "", "reason": "Typed reason"}, "Enter the date it stopped being used"),
    ({"until": "31/12/2026", "reason": "Typed reason"}, "The date it stopped being used must be a real date"),
    ({"until": "2026-06-30", "reason": ""}, "Enter a reason"),
])
def test_ending_a_deployment_with_a_mistake_is_refused_on_the_form(client, world, admin, db_session, data, message):
    r = client.post(f"/deployments/{world['deployment'].id}/end", data=data)
    assert r.status_code == 200
    assert message in page(r)
    db_session.expire_all()
    assert db_session.get(Deployment, world["deployment"].id).status == "live"


def test_a_deployment_ends_only_once_through_the_form(client, world, admin, db_session):
    dep = world["deployment"]
    dep.status = "ended"
    db_session.commit()
    r = client.post(f"/deployments/{dep.id}/end", data={"until": "2026-06-30", "reason": "Again"})
    assert r.status_code == 200 and "This deployment has already ended." in page(r)


def test_an_ended_deployment_offers_no_end_link(client, world, admin, db_session):
    dep = world["deployment"]
    dep.status = "ended"
    db_session.commit()
    assert f"/deployments/{dep.id}/end" not in page(client.get(f"/organisations/{world['trust'].ods_code}"))


