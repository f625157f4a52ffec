"""A search a buyer can defend (issue 19): a project's search ended and frozen — query, filters,
date and the exact offer versions returned with their rank — viewable and downloadable (CSV, ODS)
later, audited, and the project's outcome recorded with a reason; only the project's buyers may
end it or record the outcome, and auditors may read it."""
from __future__ import annotations

import csv
import io
import zipfile

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.competitions.setup import services as setup
from app.errors import DomainError
from app.offers import services
from app.offers.projects import locked as locking
from app.offers.projects import services as shortlists


def audit(session, action):
    return session.execute(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)).scalars().all()


@pytest.fixture()
def searched(world, project):
    """Three offers, the project's saved search finding two of them, best first."""
    best = world.offer(title="Zebrafinch kestrel optimisation", summary="Zebrafinch kestrel in title and summary.")
    other = world.offer(org=world.exemplar_b, title="Kestrel review", summary="Zebrafinch in the summary only.")
    world.offer(title="Unrelated", summary="Nothing to see.")
    shortlists.save_search(project, f"q=zebrafinch+kestrel&lot={world.lot_key}")
    return best, other


def test_ending_the_search_freezes_the_offer_versions_in_rank_order(world, project, searched, db_session):
    best, other = searched
    locked = locking.end_search(project, actor=world.buyer)
    assert locked.total == 2
    assert [(r.rank, r.offer_id, r.offer_version_id, r.version_number) for r in locked.rows] == [
        (1, best.id, best.current_version_id, 1), (2, other.id, other.current_version_id, 1)]
    assert locked.query_string == f"q=zebrafinch+kestrel&lot={world.lot_key}"
    entry = audit(db_session, "project.end_search")[-1]
    assert f"Ended the search of project ‘{project.name}’: 2 offers found, 2 kept" == entry.summary


def test_the_locked_list_stays_the_same_after_the_offers_change(world, project, searched):
    best, other = searched
    locked = locking.end_search(project, actor=world.buyer)
    old_version = best.current_version_id
    services.update_offer(best, world.content(title="Completely different now"))
    services.withdraw_offer(other)
    world.offer(title="Zebrafinch kestrel newcomer")
    rows = locking.locked_rows(locked)
    assert [(r.row.rank, r.version.id, r.version.title) for r in rows] == [
        (1, old_version, "Zebrafinch kestrel optimisation"), (2, other.current_version_id, "Kestrel review")]
    assert [(r.newer_version, r.still_available) for r in rows] == [(True, True), (False, False)]


def test_a_search_is_ended_once_and_only_once_saved(world, project, searched):
    locking.end_search(project, actor=world.buyer)
    with pytest.raises(DomainError, match="already been ended"):
        locking.end_search(project, actor=world.buyer)
    empty = shortlists.create_project(world.follower, name="No search yet")
    with pytest.raises(DomainError, match="Save a search"):
        locking.end_search(empty, actor=world.buyer)


def test_only_the_projects_organisation_may_end_its_search(world, project, searched):
    from app.errors import NotAllowed

    with pytest.raises(NotAllowed):
        locking.end_search(project, actor=world.other_buyer)


def test_the_outcome_form_tells_every_problem_at_once(world, project, searched):
    problems = locking.outcome_problems(project, None, "  ", None, None)
    assert ("outcome", "Choose what the project did.") in problems
    assert ("reason", "Enter the reason for this outcome.") in problems
    # Before the search is ended only a cancellation can be recorded.
    assert ("outcome", "End the project's search before recording this outcome.") in locking.outcome_problems(
        project, "no_suitable_offer", "None fits.", None, None)
    assert locking.outcome_problems(project, "cancelled", "Funding withdrawn.", None, None) == []


def test_no_suitable_offer_is_recorded_with_its_reason_and_only_once(world, project, searched, db_session):
    locking.end_search(project, actor=world.buyer)
    outcome = locking.record_outcome(project, outcome="no_suitable_offer", reason="None runs our EPR.",
                                     actor=world.buyer)
    assert outcome.label == "No suitable offer" and outcome.reason == "None runs our EPR."
    assert "No suitable offer — None runs our EPR." in audit(db_session, "project.outcome")[-1].summary
    with pytest.raises(DomainError, match="already been recorded"):
        locking.record_outcome(project, outcome="cancelled", reason="x", actor=world.buyer)


def test_a_competition_outcome_links_a_competition_run_from_the_project(world, project, searched):
    locking.end_search(project, actor=world.buyer)
    assert ("competition", "Choose the competition run from this project.") in locking.outcome_problems(
        project, "competition", "Ran one.", 999_999, None)
    comp = setup.create_competition(buyer=world.follower, lot=world.lot, title="Kestrel partner",
                                    requirement="Help", actor=world.buyer, project=project)
    assert [cid for cid, _label in locking.project_competitions(project)] == [comp.id]
    outcome = locking.record_outcome(project, outcome="competition", reason="Three good offers.",
                                     competition_id=comp.id, actor=world.buyer)
    assert outcome.competition_id == comp.id and outcome.offer_id is None


def test_a_direct_award_needs_a_framework_that_allows_it_and_an_offer_of_the_list(world, project, searched):
    best, _other = searched
    locking.end_search(project, actor=world.buyer)
    assert ("offer", f"{world.framework.name} does not allow direct award: run a competition.") in \
        locking.outcome_problems(project, "direct_award", "Only one fits.", None, best.id)
    world.framework.direct_award_allowed = True
    outsider = world.offer(title="Not in the list")
    assert ("offer", "Choose the offer awarded, from the offers the search returned.") in \
        locking.outcome_problems(project, "direct_award", "Only one fits.", None, outsider.id)
    outcome = locking.record_outcome(project, outcome="direct_award", reason="Only one fits.", offer_id=best.id,
                                     actor=world.buyer)
    assert (outcome.offer_id, outcome.offer_version_id) == (best.id, best.current_version_id)


# ---------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------

def _csrf_post(client, url, data=None):
    return client.post(url, data=data or {})


def test_the_buyer_ends_the_search_and_sees_downloads_each_audited(client, login, world, project, searched, db_session):
    best, other = searched
    login(world.buyer)
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "End the search and keep its results" in html
    r = client.post(f"/projects/{project.id}/end-search")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/projects/{project.id}/locked-search")
    services.update_offer(best, world.content(title="Renamed after the search"))
    html = client.get(f"/projects/{project.id}/locked-search").get_data(as_text=True)
    assert "Zebrafinch kestrel optimisation" in html and "Renamed after the search" not in html
    assert "A newer version exists." in html and "‘zebrafinch kestrel’" in html
    rows = list(csv.reader(io.StringIO(client.get(f"/projects/{project.id}/locked-search?format=csv")
                                       .get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][:4] == ["rank", "offer_id", "offer_version_id", "version_number"]
    assert [row[:2] for row in rows[1:]] == [["1", str(best.id)], ["2", str(other.id)]]
    ods = client.get(f"/projects/{project.id}/locked-search?format=ods")
    assert ods.mimetype == "application/vnd.oasis.opendocument.spreadsheet"
    content = zipfile.ZipFile(io.BytesIO(ods.data)).read("content.xml").decode()
    assert "Zebrafinch kestrel optimisation" in content and "zebrafinch+kestrel" in content
    assert len(audit(db_session, "locked_search.view")) == 1
    assert [e.summary.split(" the ")[0] for e in audit(db_session, "locked_search.download")][-2:] == [
        "Downloaded (CSV)", "Downloaded (ODS)"]


def test_the_outcome_form_shows_every_error_then_records(client, login, world, project, searched):
    login(world.buyer)
    locking.end_search(project, actor=world.buyer)
    html = client.post(f"/projects/{project.id}/outcome", data={}).get_data(as_text=True)
    assert "Choose what the project did" in html and "Enter the reason for this outcome" in html
    r = client.post(f"/projects/{project.id}/outcome", data={"outcome": "no_suitable_offer",
                                                            "reason": "None serves our region."})
    assert r.status_code == 302
    html = client.get(f"/projects/{project.id}/locked-search").get_data(as_text=True)
    assert "No suitable offer: None serves our region." in html


def test_others_cannot_see_the_locked_search_but_auditors_may_read_it(client, login, world, project, searched):
    locking.end_search(project, actor=world.buyer)
    login(world.other_buyer)
    assert client.get(f"/projects/{project.id}/locked-search").status_code == 404
    assert client.post(f"/projects/{project.id}/end-search").status_code == 404
    login(world.auditor)
    assert client.get(f"/projects/{project.id}/locked-search").status_code == 200
    assert client.get(f"/projects/{project.id}/locked-search?format=ods").status_code == 200
    assert client.get(f"/projects/{project.id}/outcome").status_code == 404
    login(world.evaluator)
    html = client.get(f"/projects/{project.id}/locked-search").get_data(as_text=True)
    assert "Record the outcome" not in html


def test_the_demo_projects_locked_search_keeps_its_list_when_the_offers_change(db_session, world):
    """With the real register data: the demo buyer's project (RJR) ends its search of
    'optimisation' with capacity free; a later edit and a withdrawal leave the list as it was."""
    from app.offers.models import Project
    from app.offers.search import search
    from app.offers.search.query import SearchQuery

    project = db_session.execute(select(Project).where(Project.name == "EPR optimisation partner (demo)")).scalar_one()
    locked = locking.end_search(project)
    assert locked.rows and project.outcome is None
    now = search(SearchQuery.from_query_string(locked.query_string), follower_org=project.organisation,
                 facets=False, everything=True)
    assert [(r.offer_id, r.offer_version_id) for r in locked.rows] == [(h.offer.id, h.version.id) for h in now.hits]
    before = [(r.row.rank, r.version.id, r.version.title) for r in locking.locked_rows(locked)]
    first, last = locked.rows[0].offer, locked.rows[-1].offer
    services.update_offer(first, services.OfferContent(**{**{k: getattr(first.current_version, k) for k in (
        "summary", "description", "pricing_model", "price_pence", "vat", "capacity_per_quarter", "capacity_committed",
        "lead_time_weeks", "evidence_links", "blueprint_links", "contact_name", "contact_email")},
        "title": "Changed after the search", "category": first.current_version.category,
        "systems": list(first.current_version.systems), "regions": list(first.current_version.regions)}))
    services.withdraw_offer(last)
    rows = locking.locked_rows(locked)
    assert [(r.row.rank, r.version.id, r.version.title) for r in rows] == before
    assert rows[0].newer_version and not rows[-1].still_available
