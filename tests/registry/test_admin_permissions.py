"""Who may use the commercial team's pages: the commercial admin succeeds (redirect, message, audit
entry), other roles get 403, anonymous visitors are sent to sign in; hostile text is shown safely."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .helpers import OTHER_ROLES, PAGES, entry_count, followed, last_entry, page, urls


@pytest.mark.parametrize("name", PAGES)
def test_the_commercial_admin_can_open_every_admin_page(client, world, admin, name):
    url, _ = urls(world)[name]
    r = client.get(url)
    assert r.status_code == 200
    assert page(r).count("<h1") == 1
    assert "<form" in page(r)


@pytest.mark.parametrize("role", OTHER_ROLES)
@pytest.mark.parametrize("name", PAGES)
def test_other_roles_are_refused_every_admin_page_and_post(client, world, as_role, db_session, role, name):
    url, form = urls(world)[name]
    as_role(role)
    entries = entry_count(db_session)
    assert client.get(url).status_code == 403
    assert client.post(url, data=form).status_code == 403
    assert entry_count(db_session) == entries


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in_from_every_admin_page_and_post(client, world, db_session, name):
    url, form = urls(world)[name]
    entries = entry_count(db_session)
    for r in (client.get(url), client.post(url, data=form)):
        assert r.status_code == 302
        assert urlsplit(r.headers["Location"]).path == "/sign-in"
    assert entry_count(db_session) == entries


@pytest.mark.parametrize("name", PAGES)
def test_every_admin_post_by_the_commercial_admin_redirects_with_a_message_and_an_audit_entry(
        client, world, admin, db_session, name):
    url, form = urls(world)[name]
    entries = entry_count(db_session)
    r = client.post(url, data=form)
    assert r.status_code == 302, page(r)
    assert "nhsuk-" in followed(client, r)
    assert entry_count(db_session) > entries
    entry = last_entry(db_session)
    assert entry.actor_id == admin.id
    assert entry.actor_label.startswith(admin.name)


def test_the_admin_buttons_show_for_the_commercial_admin(client, world, admin):
    assert "Add a system" in page(client.get(f"/organisations/{world['trust'].ods_code}"))
    lot_page = page(client.get("/frameworks/admin-fw/lots/1"))
    assert "Applications to decide" in lot_page
    assert f"/governance/memberships/{world['membership'].id}/decide" in lot_page
    assert "Change status" in page(client.get("/frameworks/admin-fw"))



@pytest.mark.parametrize("name", PAGES)
def test_hostile_text_in_an_admin_form_is_stored_and_shown_safely(client, world, admin, name):
    url, form = urls(world)[name]
    hostile = {k: (v + "<script>alert(1)</script>' \" %_\\" if k in ("name", "reason", "notes", "description") else v)
               for k, v in form.items()}
    r = client.post(url, data=hostile)
    assert r.status_code in (200, 302)
    html = followed(client, r) if r.status_code == 302 else page(r)
    assert "<script>alert(1)</script>" not in html
