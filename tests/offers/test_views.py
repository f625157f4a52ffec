"""Pages of the offers domain: search, offer pages, management, and who may see what."""
from __future__ import annotations

import csv
import io

import pytest

from app.offers import services
from app.offers.models import Offer


def _csv(response):
    assert response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


# ---------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------

def test_anyone_can_search_and_see_highlighted_matches(client, world):
    world.offer(title="Zebrafinch optimisation")
    r = client.get(f"/offers?q=zebrafinch&lot={world.lot_key}")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<mark>Zebrafinch</mark> optimisation" in html
    assert "1 offer" in html


@pytest.mark.parametrize("q", ['"unbalanced', "NEAR(a b", "*", "-", "🦓", "x" * 5000, "'; DROP TABLE offers;--",
                               "<script>alert(1)</script>", "AND OR NOT"])
def test_hostile_searches_answer_a_page_never_an_error(client, world, q):
    r = client.get("/offers", query_string={"q": q, "page": "99999999999", "sort": "nonsense", "band": "x" * 500,
                                            "region": "<b>"})
    assert r.status_code in (200, 302)
    if r.status_code == 200:
        assert "<script>alert(1)</script>" not in r.get_data(as_text=True)


def test_no_results_says_so(client, world):
    r = client.get(f"/offers?q=qqqqzzzzwwww&lot={world.lot_key}")
    assert r.status_code == 200 and "No results" in r.get_data(as_text=True)


def test_the_url_holds_the_whole_search_including_facets_and_paging(client, world):
    for i in range(3):
        world.offer(title=f"Zebrafinch {i}", price_pence=10_000 * (i + 1))
    r = client.get(f"/offers?q=zebrafinch&lot={world.lot_key}&sort=price&pricing=day_rate")
    html = r.get_data(as_text=True)
    assert "<mark>Zebrafinch</mark> 0" in html
    assert f'value="{world.lot_key}" checked' in html
    assert '<option value="price" selected>' in html
    assert "format=csv" in html


def test_a_page_past_the_end_goes_to_the_last_page(client, world):
    world.offer(title="Zebrafinch")
    r = client.get(f"/offers?lot={world.lot_key}&page=7")
    assert r.status_code == 302 and "page" not in r.headers["Location"]


def test_search_results_export_to_csv_in_pounds_with_iso_dates(client, world):
    world.offer(title='Zebrafinch "quoted", with comma', price_pence=123_456)
    rows = _csv(client.get(f"/offers?q=zebrafinch&lot={world.lot_key}&format=csv"))
    header, row = rows[0], rows[1]
    assert header[:3] == ["offer_id", "version", "title"]
    record = dict(zip(header, row))
    assert record["title"] == 'Zebrafinch "quoted", with comma'
    assert record["price_gbp"] == "1234.56"
    assert record["published_at"][4] == "-" and record["published_at"][10] == "T"  # ISO, as the API gives it
    assert (record["pricing_model"], record["pricing_model_name"]) == ("day_rate", "Day rate")
    assert len(rows) == 2


# ---------------------------------------------------------------------------
# Offer pages and who may see them
# ---------------------------------------------------------------------------

def test_a_published_offer_is_public_with_its_description_sanitised(client, world):
    o = world.offer(description="Hello <script>alert(1)</script> [x](javascript:alert(1)) **bold**")
    html = client.get(f"/offers/{o.id}").get_data(as_text=True)
    assert "<strong>bold</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "href=\"javascript" not in html


@pytest.mark.parametrize("who,expected", [
    (None, 404), ("buyer", 404), ("evaluator", 404), ("manager_b", 404), ("manager_a", 200), ("admin", 200),
    ("auditor", 200),
])
def test_a_draft_is_seen_only_by_its_trust_and_the_national_team(client, login, world, who, expected):
    o = world.offer(publish=False)
    if who:
        login(getattr(world, who))
    assert client.get(f"/offers/{o.id}").status_code == expected
    assert client.get(f"/offers/{o.id}/versions").status_code == expected


def test_a_suspended_exemplars_offer_page_is_hidden_from_the_public(client, world):
    from app.registry import services as registry

    o = world.offer()
    registry.suspend_exemplar(registry.find_membership(world.lot, world.exemplar_a), reason="Review")
    assert client.get(f"/offers/{o.id}").status_code == 404


def test_the_history_page_shows_what_changed(client, world):
    o = world.offer(price_pence=80_000)
    services.update_offer(o, world.content(title=o.current_version.title, price_pence=95_000))
    html = client.get(f"/offers/{o.id}/versions").get_data(as_text=True)
    assert "Version 2" in html and "£800" in html and "£950" in html
    assert client.get(f"/offers/{o.id}/versions/1").status_code == 200
    assert client.get(f"/offers/{o.id}/versions/9").status_code == 404


def test_an_unknown_offer_is_404(client):
    assert client.get("/offers/999999999").status_code == 404


# ---------------------------------------------------------------------------
# Managing offers
# ---------------------------------------------------------------------------

def _form(world, **kw):
    data = {"lot": str(world.lot.id), "title": "Zebrafinch new offer", "summary": "Summary",
            "description": "Desc", "category": str(world.category().id), "systems": [str(world.system.id)],
            "pricing_model": "day_rate", "price": "£1,250.50", "vat": "exclusive", "capacity_per_quarter": "3",
            "capacity_committed": "0", "lead_time_weeks": "4", "regions": [str(world.region.id)],
            "evidence_links": "https://example.org/evidence", "blueprint_links": "", "contact_name": "Ann",
            "contact_email": "ann@example.nhs.uk"}
    data.update(kw)
    return data


def test_an_exemplar_manager_creates_a_draft_from_the_form(client, login, world, db_session):
    login(world.manager_a)
    assert client.get("/offers/new").status_code == 200
    r = client.post("/offers/new", data=_form(world))
    assert r.status_code == 302
    offer = db_session.query(Offer).filter_by(organisation_id=world.exemplar_a.id).one()
    assert offer.status == "draft" and offer.current_version.price_pence == 125_050


def test_a_bad_form_is_shown_again_with_the_errors_and_nothing_lost(client, login, world):
    login(world.manager_a)
    r = client.post("/offers/new", data=_form(world, price="lots", capacity_committed="9"))
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "There is a problem" in html and "Enter the price in pounds" in html
    assert "Zebrafinch new offer" in html


def test_a_rule_broken_in_the_service_is_shown_on_the_form(client, login, world):
    login(world.manager_a)
    r = client.post("/offers/new", data=_form(world, capacity_committed="9"))
    assert r.status_code == 200
    assert "Followers already committed this quarter cannot be more" in r.get_data(as_text=True)


def test_a_manager_cannot_pick_a_lot_of_which_the_trust_is_not_a_member(client, login, world, make):
    other_fw = make.framework()
    login(world.manager_a)
    r = client.post("/offers/new", data=_form(world, lot=str(other_fw.lots[0].id)))
    assert r.status_code == 200 and "Choose one of your trust" in r.get_data(as_text=True)


@pytest.mark.parametrize("who,expected", [(None, 302), ("buyer", 403), ("evaluator", 403), ("admin", 403),
                                          ("auditor", 403), ("manager_a", 200)])
def test_only_exemplar_managers_create_offers(client, login, world, who, expected):
    if who:
        login(getattr(world, who))
    assert client.get("/offers/new").status_code == expected
    assert client.get("/my-offers").status_code == expected


def test_editing_a_published_offer_makes_a_new_version(client, login, world):
    o = world.offer(price_pence=80_000)
    login(world.manager_a)
    assert client.get(f"/offers/{o.id}/edit").status_code == 200
    r = client.post(f"/offers/{o.id}/edit", data=_form(world, title=o.current_version.title, price="900",
                                                       systems=[]))
    assert r.status_code == 302
    assert o.current_version.number == 2 and o.current_version.price_pence == 90_000


def test_an_exemplar_cannot_touch_another_exemplars_offers(client, login, world):
    published = world.offer()
    draft = world.offer(publish=False)
    login(world.manager_b)
    assert client.get(f"/offers/{published.id}/edit").status_code == 403
    assert client.post(f"/offers/{published.id}/edit", data=_form(world)).status_code == 403
    assert client.post(f"/offers/{published.id}/withdraw").status_code == 403
    assert client.post(f"/offers/{draft.id}/publish").status_code == 404
    assert client.get(f"/offers/{draft.id}/edit").status_code == 404
    assert published.status == "published" and draft.status == "draft"


def test_the_owner_publishes_and_withdraws(client, login, world):
    o = world.offer(publish=False)
    login(world.manager_a)
    assert client.post(f"/offers/{o.id}/publish").status_code == 302
    assert o.status == "published"
    assert client.get(f"/offers/{o.id}/withdraw").status_code == 200
    assert client.post(f"/offers/{o.id}/withdraw", data={"reason": "Busy"}).status_code == 302
    assert o.status == "withdrawn"


def test_publishing_when_suspended_is_refused_with_a_message(client, login, world, db_session):
    from app.registry import services as registry

    o = world.offer(publish=False)
    registry.suspend_exemplar(registry.find_membership(world.lot, world.exemplar_a), reason="Review")
    db_session.commit()  # the refusal rolls back the request's work: keep the set-up (a savepoint here)
    login(world.manager_a)
    r = client.post(f"/offers/{o.id}/publish", follow_redirects=True)
    assert r.status_code == 200 and "Only an exemplar admitted" in r.get_data(as_text=True)
    assert o.status == "draft"


# ---------------------------------------------------------------------------
# The catalogue
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("who,expected", [(None, 302), ("buyer", 403), ("manager_a", 403), ("auditor", 403),
                                          ("admin", 200)])
def test_only_the_commercial_team_edits_the_catalogue(client, login, world, who, expected):
    if who:
        login(getattr(world, who))
    assert client.get("/capabilities").status_code == expected
    assert client.get("/capabilities/new").status_code == expected


def test_the_commercial_team_adds_a_capability(client, login, world):
    login(world.admin)
    r = client.post("/capabilities/new", data={"name": "Robotic process automation", "description": "Bots"})
    assert r.status_code == 302
    assert "Robotic process automation" in client.get("/capabilities").get_data(as_text=True)
    r = client.post("/capabilities/new", data={"name": "robotic process automation"})
    assert r.status_code == 200 and "already has" in r.get_data(as_text=True)


def test_every_problem_on_the_offer_form_shows_at_once_each_linked_to_its_field(client, login, world):
    """One submission, every problem: the form's own checks (title, price) and the service's rules
    (committed above capacity, a link that is not one, a system the trust does not run) together."""
    from tests.formcheck import field_messages, summary_links

    login(world.manager_a)
    r = client.post("/offers/new", data=_form(world, title="", price="lots", capacity_committed="9",
                                              evidence_links="not a link", systems=[str(world.other_system.id)]))
    html = r.get_data(as_text=True)
    links = summary_links(html)
    assert {"title", "price", "capacity_committed", "evidence_links", "systems"} <= set(links), links
    assert "cannot be more than the followers you can take on per quarter" in links["capacity_committed"]
    assert {"title", "price", "capacity_committed", "evidence_links"} <= set(field_messages(html))
