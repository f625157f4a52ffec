"""Search that forgives and a search record a buyer can defend, in a real browser (issue 19): a
misspelling asks "Did you mean …?", a former name says why an offer matched, an empty result offers
a way out with no empty filter panel, and a buyer saves a search in a new project, ends it, reads the
locked list and records the outcome (errors first). axe-core checks each page."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, success_banner

BUYER = "buyer@demo.exemplar.nhs.uk"
PROJECT = "Oracle Health optimisation (browser test)"


def test_search_forgives_and_a_buyer_locks_a_search_and_records_its_outcome(open_as):
    buyer = open_as(BUYER)
    buyer.goto("/offers")
    buyer.get_by_label("Search offers").fill("elctronic prescribing")
    buyer.get_by_role("button", name="Search").click()
    did_you_mean = buyer.locator("#did-you-mean")
    expect(did_you_mean).to_contain_text("Did you mean electronic prescribing?")
    check_axe(buyer, "search: did you mean")
    did_you_mean.get_by_role("link", name="electronic prescribing").click()
    expect(buyer.locator("#did-you-mean")).to_have_count(0)

    # Nothing matches: the page says what is in force and how to widen it; no empty filter panel.
    buyer.goto("/offers?q=qqqqzzzzwwww+cerner")
    expect(buyer.locator("#no-results")).to_contain_text("No published offers match the words ‘qqqqzzzzwwww cerner’")
    expect(buyer.get_by_role("button", name="Apply filters")).to_have_count(0)
    check_axe(buyer, "search: no results")
    buyer.get_by_role("link", name="Search without the word ‘qqqqzzzzwwww’").click()

    # A former name finds the offers under the current one, and says so.
    expect(buyer.get_by_text("Matched Oracle Health, formerly Cerner.").first).to_be_visible()
    check_axe(buyer, "search: matched by a former name")

    # Saved in a new project, the search is ended and its list kept.
    buyer.get_by_role("link", name="Save this search in a project").click()
    buyer.get_by_label("A new project").check()
    buyer.get_by_label("Name of the new project").fill(PROJECT)
    buyer.get_by_role("button", name="Save search").click()
    success_banner(buyer)
    buyer.get_by_role("button", name="End the search and keep its results").click()
    assert "Search ended" in success_banner(buyer)
    expect(buyer.get_by_role("heading", level=1)).to_have_text("The search as it was ended")
    expect(buyer.get_by_role("table")).to_contain_text("Oracle Health Millennium optimisation (demo)")
    check_axe(buyer, "locked search")

    # The outcome: every mistake at once first, then recorded.
    buyer.get_by_role("link", name="Record the outcome").click()
    buyer.get_by_role("button", name="Record the outcome").click()
    summary = buyer.locator(".nhsuk-error-summary")
    expect(summary).to_contain_text("Choose what the project did")
    expect(summary).to_contain_text("Enter the reason for this outcome")
    expect(buyer).to_have_title(re.compile("^Error: "))
    check_axe(buyer, "project outcome form with errors")
    buyer.get_by_label("No suitable offer").check()
    buyer.get_by_label("Reason").fill("No offer has capacity this quarter.")
    buyer.get_by_role("button", name="Record the outcome").click()
    assert "Outcome recorded: No suitable offer." in success_banner(buyer)
    expect(buyer.locator("#outcome")).to_contain_text("No suitable offer: No offer has capacity this quarter.")
