"""Project pages: private to the follower's organisation, shortlisting, comparison, exports."""
from __future__ import annotations

import csv
import io

import pytest

from app.offers.projects import services as shortlists
from app.offers.models import Project


def _csv(response):
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


@pytest.mark.parametrize("who,expected", [(None, 302), ("other_buyer", 404), ("manager_a", 404), ("admin", 404),
                                          ("auditor", 404), ("buyer", 200), ("evaluator", 200)])
def test_a_project_is_private_to_its_organisation(client, login, world, project, who, expected):
    shortlists.add_to_shortlist(project, world.offer(), reason="Good")
    if who:
        login(getattr(world, who))
    assert client.get(f"/projects/{project.id}").status_code == expected
    assert client.get(f"/projects/{project.id}/compare").status_code == expected
    assert client.get(f"/projects/{project.id}/compare?format=csv").status_code == expected


@pytest.mark.parametrize("who,expected", [(None, 302), ("manager_a", 403), ("admin", 403), ("auditor", 403),
                                          ("buyer", 200), ("evaluator", 200)])
def test_the_projects_list_is_for_followers(client, login, world, who, expected):
    if who:
        login(getattr(world, who))
    assert client.get("/projects").status_code == expected


def test_the_projects_list_shows_only_the_organisations_projects(client, login, world, project):
    shortlists.create_project(world.other_follower, name="Secret okapi project")
    login(world.buyer)
    html = client.get("/projects").get_data(as_text=True)
    assert "Zebra EPR optimisation partner" in html and "Secret okapi project" not in html


def test_a_buyer_starts_a_project(client, login, world, db_session):
    login(world.buyer)
    assert client.get("/projects/new").status_code == 200
    r = client.post("/projects/new", data={"name": "Cyber partner 2027"})
    assert r.status_code == 302
    assert db_session.query(Project).filter_by(organisation_id=world.follower.id, name="Cyber partner 2027").one()


def test_an_evaluator_cannot_start_projects_or_shortlist(client, login, world, project):
    offer = world.offer()
    login(world.evaluator)
    assert client.get("/projects/new").status_code == 403
    assert client.post(f"/offers/{offer.id}/shortlist", data={"project": str(project.id), "reason": "x"}).status_code == 403


def test_a_buyer_shortlists_an_offer_with_a_reason(client, login, world, project):
    offer = world.offer()
    login(world.buyer)
    assert client.get(f"/offers/{offer.id}/shortlist").status_code == 200
    r = client.post(f"/offers/{offer.id}/shortlist", data={"project": str(project.id), "reason": "Same EPR"})
    assert r.status_code == 302
    assert [(e.offer_id, e.offer_version_id, e.reason) for e in project.entries] == [
        (offer.id, offer.current_version_id, "Same EPR")]


def test_shortlisting_into_a_new_project_creates_it(client, login, world, db_session):
    offer = world.offer()
    login(world.buyer)
    r = client.post(f"/offers/{offer.id}/shortlist", data={"project": "__new__", "new_name": "Fresh project",
                                                           "reason": "Looks right"})
    assert r.status_code == 302
    p = db_session.query(Project).filter_by(organisation_id=world.follower.id, name="Fresh project").one()
    assert len(p.entries) == 1


def test_a_buyer_cannot_shortlist_into_another_organisations_project(client, login, world, db_session):
    theirs = shortlists.create_project(world.other_follower, name="Theirs")
    offer = world.offer()
    db_session.commit()  # the refusal rolls back the request's work: keep the set-up (a savepoint here)
    login(world.buyer)
    r = client.post(f"/offers/{offer.id}/shortlist", data={"project": str(theirs.id), "reason": "x"})
    assert r.status_code == 200 and "Choose one of your organisation" in r.get_data(as_text=True)
    assert theirs.entries == []


def test_a_missing_reason_is_shown_on_the_form(client, login, world, project):
    offer = world.offer()
    login(world.buyer)
    r = client.post(f"/offers/{offer.id}/shortlist", data={"project": str(project.id), "reason": ""})
    assert r.status_code == 200 and "Enter a reason" in r.get_data(as_text=True)


def test_a_buyer_removes_an_entry_but_nobody_else_can(client, login, world, project):
    entry = shortlists.add_to_shortlist(project, world.offer(), reason="Good")
    login(world.other_buyer)
    assert client.post(f"/projects/{project.id}/entries/{entry.id}/remove").status_code == 404
    login(world.evaluator)
    assert client.post(f"/projects/{project.id}/entries/{entry.id}/remove").status_code == 404
    login(world.buyer)
    assert client.post(f"/projects/{project.id}/entries/{entry.id}/remove").status_code == 302
    assert project.entries == []


def test_the_comparison_shows_the_offers_side_by_side(client, login, world, project):
    shortlists.add_to_shortlist(project, world.offer(title="Zebrafinch A", price_pence=80_000,
                                                     systems=[world.system]), reason="Same system")
    shortlists.add_to_shortlist(project, world.offer(org=world.exemplar_b, title="Zebrafinch B",
                                                     pricing_model="per_bed", price_pence=9_950), reason="Cheap")
    login(world.buyer)
    html = client.get(f"/projects/{project.id}/compare").get_data(as_text=True)
    for text in ("Zebrafinch A", "Zebrafinch B", "£800 a day, plus VAT", "£99.50 a bed, plus VAT", "Zebra EPR",
                 "Zebra Systems Ltd", "Track record", "Lead time", "Can take you on", "Regions served"):
        assert text in html
    assert "plus vat" not in html


def test_the_comparison_works_out_each_price_for_the_followers_size(client, login, world, project):
    shortlists.add_to_shortlist(project, world.offer(title="By the day", price_pence=95_000), reason="r")
    shortlists.add_to_shortlist(project, world.offer(org=world.exemplar_b, title="By the bed", pricing_model="per_bed",
                                                     price_pence=12_000), reason="r")
    shortlists.add_to_shortlist(project, world.offer(org=world.exemplar_b, title="Fixed", pricing_model="fixed_price",
                                                     price_pence=6_000_000), reason="r")
    login(world.buyer)
    before = client.get(f"/projects/{project.id}/compare").get_data(as_text=True)
    assert "Not worked out: enter the days of help" in before and "Not worked out: enter your beds" in before
    html = client.get(f"/projects/{project.id}/compare?beds=450&days=60").get_data(as_text=True)
    assert "£57,000</span> <span class=\"nhsuk-body-s\">(× 60 days)" in html
    assert "£54,000</span> <span class=\"nhsuk-body-s\">(× 450 beds)" in html
    assert "£60,000</span> <span class=\"nhsuk-body-s\">(fixed price)" in html
    bad = client.get(f"/projects/{project.id}/compare?beds=-3").get_data(as_text=True)
    assert "Your trust&#39;s beds must be between 1 and 20,000" in bad and 'href="#beds"' in bad


def test_the_comparison_says_capacity_and_track_record_in_words(client, login, world, project):
    full = world.offer(title="Full up", capacity_per_quarter=2, capacity_committed=2)
    shortlists.add_to_shortlist(project, full, reason="r")
    login(world.buyer)
    html = client.get(f"/projects/{project.id}/compare").get_data(as_text=True)
    assert "Not this quarter: all 2 places taken" in html and "Still available" not in html
    assert "0 of 0 go-lives" not in html


def test_the_convergence_impact_says_which_market_which_way_and_what_it_means(client, login, world, project,
                                                                             monkeypatch):
    from app.concentration import services as concentration
    from app.concentration.analysis import WhatIf

    impact = WhatIf("acute_epr", "Zebra EPR", "Zebra Systems Ltd", 1425.4, 1460.6, 35.2, 116)
    monkeypatch.setattr(concentration, "what_if_for_shortlist", lambda f, exemplars: {e.id: impact for e in exemplars})
    shortlists.add_to_shortlist(project, world.offer(title="Zebrafinch A"), reason="r")
    login(world.buyer)
    html = client.get(f"/projects/{project.id}/compare").get_data(as_text=True)
    assert "Rises by 35: more concentrated" in html
    assert "Acute EPR market, by supplier, over 116 organisations" in html
    assert "HHI <span class=\"app-nowrap\">1,425 → 1,461</span>" in html
    assert "What the convergence impact means" in html and "Neither is simply good or bad" in html


def test_the_shortlist_exports_to_csv(client, login, world, project):
    shortlists.add_to_shortlist(project, world.offer(title="Zebrafinch, \"the best\"", price_pence=123_405),
                                reason="Line one\nline two")
    login(world.buyer)
    rows = _csv(client.get(f"/projects/{project.id}/compare?format=csv"))
    assert len(rows) == 1
    assert rows[0]["title"] == 'Zebrafinch, "the best"'
    assert rows[0]["price_gbp"] == "1234.05"
    assert rows[0]["reason"] == "Line one\nline two"
    assert rows[0]["added_on"][4] == "-" and len(rows[0]["added_on"]) == 10


def test_a_buyer_saves_a_search_into_a_project(client, login, world, project):
    login(world.buyer)
    assert client.get("/offers/save-search?q=zebra&region=Y62&page=3").status_code == 200
    r = client.post("/offers/save-search", data={"project": str(project.id), "query": "q=zebra&region=Y62&page=3"})
    assert r.status_code == 302
    assert project.search_query == "q=zebra&region=Y62"
    html = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "/offers?q=zebra&amp;region=Y62" in html


@pytest.mark.parametrize("who,expected", [(None, 302), ("manager_a", 403), ("evaluator", 403), ("buyer", 200)])
def test_only_buyers_save_searches(client, login, world, who, expected):
    if who:
        login(getattr(world, who))
    assert client.get("/offers/save-search?q=x").status_code == expected


def test_every_problem_on_the_shortlist_form_shows_at_once_each_linked_to_its_field(client, login, world, project):
    """A new project without a name and no reason: both on the first submission, the name on the
    field the buyer typed it in (not an unlinked message after the reason is fixed)."""
    from tests.formcheck import field_messages, summary_links

    offer = world.offer()
    login(world.buyer)
    r = client.post(f"/offers/{offer.id}/shortlist", data={"project": "__new__", "new_name": " ", "reason": ""})
    links = summary_links(r.get_data(as_text=True))
    assert set(links) == {"new_name", "reason"}, links
    assert links["new_name"] == "Enter a name for the project."
    assert set(field_messages(r.get_data(as_text=True))) == {"new_name", "reason"}


def test_a_shortlisted_offer_and_a_missing_reason_are_told_together(client, login, world, project):
    from tests.formcheck import summary_links

    offer = world.offer()
    shortlists.add_to_shortlist(project, offer, reason="First look")
    login(world.buyer)
    r = client.post(f"/offers/{offer.id}/shortlist", data={"project": str(project.id), "reason": ""})
    links = summary_links(r.get_data(as_text=True))
    assert set(links) == {"project", "reason"} and "already on the project's shortlist" in links["project"]
