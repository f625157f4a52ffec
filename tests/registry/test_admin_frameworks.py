"""Creating, editing and moving frameworks along their lifecycle, and their lots, through the forms.
Refusals and mistakes re-render the form with an error summary and keep what was typed."""
from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from app.registry.models import Framework, Lot

from .helpers import FRAMEWORK_FORM, entry_count, followed, last_entry, page


def test_creating_a_framework(client, admin, db_session):
    r = client.post("/frameworks/new", data=FRAMEWORK_FORM)
    assert r.headers["Location"] == "/frameworks/dx-2027"
    assert "Framework ‘Digital Exemplars 2027’ created as a draft." in followed(client, r)
    fw = db_session.execute(select(Framework).where(Framework.slug == "dx-2027")).scalar_one()
    assert fw.status == "draft"
    assert (fw.starts_on, fw.quality_weight_min, fw.quality_weight_max) == (date(2027, 4, 1), 50, 70)
    assert [c.name for c in fw.criteria] == ["Clinical capability", "Track record", "Social value"]
    entry = last_entry(db_session)
    assert (entry.action, entry.object_id) == ("framework.create", str(fw.id))


def test_the_new_framework_form_starts_with_the_default_rules(client, admin):
    html = page(client.get("/frameworks/new"))
    assert 'name="quality_weight_min" type="text" value="40"' in html or 'value="40"' in html
    assert 'value="80"' in html and 'value="24"' in html


@pytest.mark.parametrize("changes,message", [
    ({"slug": "Not A Slug"}, "Short name must use lower-case letters, numbers and hyphens only"),
    ({"slug": "gde"}, "A framework with this short name already exists."),
    ({"name": ""}, "Enter a name"),
    ({"quality_weight_min": "90", "quality_weight_max": "10"}, "The quality weighting range must run"),
    ({"quality_weight_max": "150"}, "Enter a percentage from 0 to 100"),
    ({"ends_on": "2027-01-01"}, "The end date must be on or after the start date."),
    ({"starts_on": "1 April 2027"}, "The start date must be a real date"),
    ({"min_invitees": "0"}, "Enter a number from 1 to 50"),
    ({"response_days": "lots"}, "The response period in working days must be a whole number"),
    ({"source_url": "not a url"}, "Enter a web address starting with https://"),
])
def test_a_framework_form_with_a_mistake_is_shown_again_with_the_error_and_the_typed_values(
        client, admin, db_session, changes, message):
    entries = entry_count(db_session)
    r = client.post("/frameworks/new", data={**FRAMEWORK_FORM, "name": "Kept name", **changes})
    assert r.status_code == 200
    html = page(r)
    assert "There is a problem" in html
    assert message in html
    if "name" not in changes:
        assert 'value="Kept name"' in html
    assert "The next framework" in html  # the description typed is kept
    assert entry_count(db_session) == entries
    assert db_session.execute(select(Framework).where(Framework.name == "Kept name")).first() is None


def test_an_error_summary_links_to_the_field_in_error(client, admin):
    html = page(client.post("/frameworks/new", data={**FRAMEWORK_FORM, "slug": "gde"}))
    assert 'href="#slug"' in html
    assert 'id="slug"' in html


def test_editing_a_framework(client, world, admin, db_session):
    r = client.post("/frameworks/admin-fw/edit", data={**FRAMEWORK_FORM, "name": "Renamed", "min_invitees": "5",
                                                        "slug": "cannot-change"})
    assert r.headers["Location"] == "/frameworks/admin-fw"
    assert "Framework updated." in followed(client, r)
    fw = world["fw"]
    assert (fw.name, fw.min_invitees, fw.slug) == ("Renamed", 5, "admin-fw")
    entry = last_entry(db_session)
    assert entry.action == "framework.update"
    assert json.loads(entry.before)["name"] == "Admin test framework"


def test_the_edit_form_shows_the_current_values(client, world, admin):
    html = page(client.get("/frameworks/admin-fw/edit"))
    assert 'value="Admin test framework"' in html
    assert 'name="slug"' not in html


def test_an_edit_with_a_mistake_changes_nothing(client, world, admin, db_session):
    r = client.post("/frameworks/admin-fw/edit", data={**FRAMEWORK_FORM, "name": "Typed",
                                                        "quality_weight_min": "90", "quality_weight_max": "10"})
    assert r.status_code == 200
    assert "The quality weighting range must run" in page(r) and 'value="Typed"' in page(r)
    db_session.expire_all()
    assert db_session.get(Framework, world["fw"].id).name == "Admin test framework"


@pytest.mark.parametrize("start,target,label", [("draft", "open", "open for applications"), ("open", "live", "live"),
                                                ("live", "open", "open for applications"), ("live", "expired", "expired")])
def test_changing_a_framework_status(client, make, admin, db_session, start, target, label):
    fw = make.framework(status=start, lots=1, slug="status-fw", name="Status framework")
    r = client.post("/frameworks/status-fw/status", data={"status": target})
    assert f"‘Status framework’ is now {label}." in followed(client, r)
    assert fw.status == target
    assert last_entry(db_session).action == f"framework.{target}"


def test_the_status_page_offers_only_the_allowed_next_steps(client, world, admin):
    html = page(client.get("/frameworks/admin-fw/status"))
    assert 'value="open"' in html and 'value="expired"' in html
    assert 'value="draft"' not in html and 'value="live"' not in html


def test_a_status_the_lifecycle_does_not_allow_is_refused_on_the_form(client, world, admin, db_session):
    entries = entry_count(db_session)
    r = client.post("/frameworks/admin-fw/status", data={"status": "draft"})
    assert r.status_code == 200
    assert "There is a problem" in page(r)
    assert world["fw"].status == "live"
    assert entry_count(db_session) == entries


def test_opening_a_framework_without_lots_is_refused_with_a_clear_message(client, make, admin, db_session):
    fw = make.framework(status="draft", lots=0, slug="no-lots")
    r = client.post("/frameworks/no-lots/status", data={"status": "open"})
    assert r.status_code == 200
    assert "Add at least one lot before opening the framework." in page(r)
    db_session.expire_all()
    assert db_session.get(Framework, fw.id).status == "draft"


def test_an_expired_framework_offers_no_status_change(client, make, admin):
    make.framework(status="expired", lots=1, slug="gone")
    html = page(client.get("/frameworks/gone/status"))
    assert "No status change is possible from here." in html
    assert client.post("/frameworks/gone/status", data={"status": "open"}).status_code == 200


def test_admin_pages_of_a_missing_framework_are_404(client, admin):
    for url in ("/frameworks/missing/edit", "/frameworks/missing/status", "/frameworks/missing/lots/new",
                "/frameworks/admin-fw/lots/1/edit", "/frameworks/missing/lots/1/admit"):
        assert client.get(url).status_code == 404


def test_the_commercial_admin_can_manage_a_draft_framework(client, make, admin):
    make.framework(status="draft", lots=1, slug="my-draft")
    assert client.get("/frameworks/my-draft/edit").status_code == 200
    assert client.get("/frameworks/my-draft/lots/new").status_code == 200


# Lots.

def test_adding_a_lot(client, world, admin, db_session):
    html = page(client.get("/frameworks/admin-fw/lots/new"))
    assert 'value="3"' in html  # the next free number is suggested
    r = client.post("/frameworks/admin-fw/lots/new", data={"number": "3", "name": "Community", "description": ""})
    assert r.headers["Location"] == "/frameworks/admin-fw"
    assert "Lot 3: Community added." in followed(client, r)
    assert [lot.number for lot in world["fw"].lots] == [1, 2, 3]
    assert last_entry(db_session).action == "lot.create"


def test_a_lot_number_already_used_is_refused_on_the_form(client, world, admin, db_session):
    r = client.post("/frameworks/admin-fw/lots/new", data={"number": "2", "name": "Typed lot name"})
    assert r.status_code == 200
    html = page(r)
    assert "Lot 2 already exists on this framework." in html
    assert 'value="Typed lot name"' in html
    assert db_session.scalar(select(func.count()).select_from(Lot).where(Lot.framework_id == world["fw"].id)) == 2


@pytest.mark.parametrize("number,message", [("0", "Enter a number from 1 to 99"), ("", "Enter the lot number"),
                                            ("one", "The lot number must be a whole number")])
def test_a_bad_lot_number_is_refused_on_the_form(client, world, admin, number, message):
    r = client.post("/frameworks/admin-fw/lots/new", data={"number": number, "name": "X"})
    assert r.status_code == 200 and message in page(r)


def test_editing_a_lot(client, world, admin, db_session):
    r = client.post("/frameworks/admin-fw/lots/1/edit", data={"name": "Acute trusts", "description": "Changed"})
    assert r.headers["Location"] == "/frameworks/admin-fw/lots/1"
    assert "Lot 1: Acute trusts updated." in followed(client, r)
    assert last_entry(db_session).action == "lot.update"


def test_a_lot_needs_a_name(client, world, admin):
    r = client.post("/frameworks/admin-fw/lots/1/edit", data={"name": "", "description": "Typed description"})
    assert r.status_code == 200 and "Enter a name" in page(r) and "Typed description" in page(r)




def test_a_framework_may_allow_direct_award(client, world, admin):
    r = client.post("/frameworks/admin-fw/edit", data={**FRAMEWORK_FORM, "direct_award_allowed": "yes"})
    assert r.status_code == 302
    assert world["fw"].direct_award_allowed is True
    assert "Allowed, to an offer of a buyer&#39;s ended search" in page(client.get("/frameworks/admin-fw"))
