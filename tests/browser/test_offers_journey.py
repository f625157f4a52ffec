"""An exemplar's digital team publishes a service offer, in a real browser: a form with a mistake
first (the error summary links to the field), then a draft, a confirmation page before publishing,
a change that makes version 2, and the public finding it. axe-core checks every page type."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, screenshot, success_banner

EXEMPLAR = "exemplar@demo.exemplar.nhs.uk"
TITLE = "Virtual ward monitoring rollout (browser test)"


def test_an_exemplar_publishes_an_offer_and_the_public_finds_it(open_as):
    team = open_as(EXEMPLAR)
    team.get_by_role("link", name="Our offers").first.click()
    check_axe(team, "exemplar's offers")
    team.get_by_role("link", name="Create an offer").click()
    check_axe(team, "new offer form")

    # A mistake first: the error summary says what is wrong and links to the field.
    team.get_by_role("button", name="Save offer").click()
    summary = team.locator(".nhsuk-error-summary")
    expect(summary).to_be_visible()
    expect(team).to_have_title(re.compile("^Error: "))
    check_axe(team, "new offer form with errors")
    summary.get_by_role("link", name="Enter a title").click()
    expect(team.get_by_label("Title", exact=True)).to_be_focused()

    team.get_by_label("Lot").select_option(label="Global Digital Exemplar framework: Lot 1: Acute")
    team.get_by_label("Title", exact=True).fill(TITLE)
    team.get_by_label("Summary").fill("We help you stand up virtual wards on your EPR, from clinical safety to go-live.")
    team.get_by_label("Description").fill("What you get:\n\n- our virtual ward blueprint\n- two days a week on site")
    team.get_by_label("Capability").select_option(label="Change management and training")
    team.get_by_label("Fixed price").check()
    team.get_by_label("Price in pounds").fill("48,000")
    team.get_by_label("Plus VAT").check()
    team.get_by_label("Followers you can take on per quarter").fill("2")
    team.get_by_label("Followers already committed this quarter").fill("0")
    team.get_by_label("Lead time in weeks").fill("6")
    team.get_by_label("North West").check()
    team.get_by_label("Contact name").fill("Virtual wards team")
    team.get_by_label("Contact email").fill("virtual.wards@demo.exemplar.nhs.uk")
    team.get_by_role("button", name="Save offer").click()
    success_banner(team)
    expect(team.get_by_role("heading", level=1)).to_have_text(TITLE)
    check_axe(team, "draft offer")

    # Publishing is confirmed on a page of its own: it cannot be taken back.
    team.get_by_role("link", name=re.compile("^Publish")).click()
    expect(team.get_by_role("heading", level=1)).to_have_text(f"Publish ‘{TITLE}’?")
    check_axe(team, "publish an offer (confirmation)")
    team.get_by_role("button", name="Publish the offer").click()
    assert "Offer published" in success_banner(team)
    screenshot(team, "offer")

    # A change to a published offer is a new version; the history says what changed.
    team.get_by_role("link", name="Edit the offer").click()
    check_axe(team, "edit offer form")
    team.get_by_label("Price in pounds").fill("52,000")
    team.get_by_role("button", name="Save offer").click()
    success_banner(team)
    team.get_by_role("link", name="Version history and what changed").click()
    check_axe(team, "offer version history")
    expect(team.get_by_text("£52,000").first).to_be_visible()

    # The public finds it by searching.
    public = open_as(None)
    public.goto("/offers")
    public.get_by_label("Search offers").fill("virtual ward")
    public.get_by_role("button", name="Search").click()
    public.get_by_role("link", name=TITLE).click()
    expect(public.get_by_text("£52,000").first).to_be_visible()
    check_axe(public, "offer, as the public")

    # Withdrawing asks for confirmation too, and the offer leaves search.
    team.goto("/my-offers")
    team.get_by_role("link", name=TITLE).click()
    team.get_by_role("link", name="Withdraw the offer").click()
    check_axe(team, "withdraw an offer (confirmation)")
    team.get_by_role("button", name="Withdraw offer").click()
    assert "Offer withdrawn" in success_banner(team)
    public.goto("/offers?q=virtual+ward")
    expect(public.get_by_role("link", name=TITLE)).to_have_count(0)
