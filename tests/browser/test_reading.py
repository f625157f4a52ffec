"""Words and numbers people read, in a real browser: figures and short links never break inside,
the compare table says on a phone that it scrolls sideways, the network picture's names are whole."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, in_app

PHONE = 375


def _project_id() -> int:
    from sqlalchemy import select

    from app.extensions import db
    from app.offers.models import Project

    return db.session.execute(select(Project.id).order_by(Project.id)).scalars().first()


def test_the_compare_table_says_it_scrolls_on_a_phone_and_not_on_a_desktop(open_as, live_server):
    project = in_app(live_server, _project_id)
    phone = open_as("buyer@demo.exemplar.nhs.uk", width=PHONE)
    phone.goto(f"/projects/{project}/compare")
    expect(phone.locator(".app-scroll-hint")).to_be_visible()
    expect(phone.get_by_role("region", name="Shortlisted offers side by side")).to_be_visible()
    check_axe(phone, "compare at 375 px")
    desk = open_as("buyer@demo.exemplar.nhs.uk")
    desk.goto(f"/projects/{project}/compare?beds=450&days=60")
    expect(desk.locator(".app-scroll-hint")).to_be_hidden()
    expect(desk.get_by_role("row", name="Cost for your trust").first).to_be_visible()
    check_axe(desk, "compare with the follower's size")


def test_the_decide_link_and_figures_never_break_inside_on_a_phone(open_as):
    admin = open_as("admin@demo.exemplar.nhs.uk", width=PHONE)
    admin.goto("/frameworks/gde/lots/1")
    links = admin.get_by_role("link", name=re.compile(r"^Decide on "))
    assert links.count() > 5
    for i in range(links.count()):  # one line box each: the word is never broken letter by letter
        assert links.nth(i).evaluate("el => el.getClientRects().length") == 1, "'Decide' wraps"
    admin.goto("/concentration/dashboard")
    cells = admin.locator("td.nhsuk-table__cell--numeric")
    assert cells.count() > 10
    assert cells.first.evaluate("el => getComputedStyle(el).whiteSpace") == "nowrap"
    network = admin.locator('svg[aria-labelledby^="chart-network-title"]')
    assert "…" not in network.inner_html()
