"""Browse the register in a real browser, as the public and as an auditor, checking accessibility."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, in_app, screenshot, sign_in


def test_a_member_of_the_public_browses_the_register(page):
    page.goto("/")
    check_axe(page, "home")
    screenshot(page, "home")
    page.get_by_role("link", name="Browse every NHS trust").click()
    check_axe(page, "trust list")
    page.get_by_label("Name or ODS code").fill("wirral")
    page.get_by_role("button", name="Apply filters").click()
    page.get_by_role("link", name="Wirral University Teaching Hospital NHS Foundation Trust").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Wirral University Teaching Hospital"))
    expect(page.get_by_text("Oracle Health Millennium").first).to_be_visible()
    check_axe(page, "organisation page")
    screenshot(page, "organisation")
    page.get_by_role("link", name="Global Digital Exemplar framework, Lot 1: Acute").click()
    check_axe(page, "lot page")
    page.goto("/systems")
    check_axe(page, "systems")
    page.get_by_role("link", name="Epic", exact=True).first.click()
    check_axe(page, "system page")
    page.goto("/suppliers")
    check_axe(page, "suppliers")
    page.locator("main table a").first.click()
    check_axe(page, "supplier page")
    page.goto("/frameworks")
    check_axe(page, "frameworks")
    page.goto("/frameworks/gde")
    check_axe(page, "framework")
    page.goto("/exemplars")
    check_axe(page, "exemplars")
    page.goto("/offers")
    check_axe(page, "offer search, as the public")
    page.get_by_role("link", name="Convergence").first.click()
    check_axe(page, "concentration summary, as the public")
    expect(page.get_by_role("heading", level=1)).to_have_text("The national picture: Acute EPR")
    expect(page.get_by_text(re.compile(r"acute and specialist trusts known: \d+ with a system")).first).to_be_visible()
    screenshot(page, "convergence", at=page.get_by_role("heading", name="In short"))
    page.goto("/data")
    check_axe(page, "data page")
    page.get_by_role("link", name="Open data").last.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    check_axe(page, "open data page")
    page.get_by_role("link", name="Accessibility").last.click()
    check_axe(page, "accessibility statement")
    assert page.goto("/organisations/NOT-A-CODE").status == 404
    check_axe(page, "page not found")


def test_the_register_works_on_a_phone_sized_screen(page):
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/organisations")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1, f"the page scrolls sideways at 375 px ({width} px wide)"
    check_axe(page, "trust list at 375 px")


def test_an_auditor_signs_in_and_reads_the_audit_log(page):
    page.goto("/sign-in")
    check_axe(page, "sign in")
    sign_in(page, "auditor@demo.exemplar.nhs.uk")
    check_axe(page, "auditor dashboard")
    page.get_by_role("link", name="Audit log").first.click()
    expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
    check_axe(page, "audit log")
    screenshot(page, "audit-log")
    expect(page.get_by_label("Kind of object")).to_contain_text("Admission application")  # people's words
    page.get_by_label("From date").fill("2026-13-01")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator(".nhsuk-error-summary")).to_contain_text("The from date must be a real date")
    check_axe(page, "audit log with a bad date")
    page.locator(".nhsuk-error-summary a").first.click()
    expect(page.get_by_label("From date")).to_be_focused()
    page.goto("/audit/")
    page.locator("table a").first.click()
    check_axe(page, "audit entry")


def test_an_auditor_checks_the_audit_chain_with_its_progress(page, live_server):
    """The check runs a step a request; with JavaScript the page takes the steps itself, showing how
    far it has got, and ends with the same result as `flask audit verify`."""
    from app.audit.services import verify_chain

    live_server["app"].config["AUDIT_VERIFY_STEP"] = 100  # several steps over the demo log
    try:
        page.goto("/sign-in")
        sign_in(page, "auditor@demo.exemplar.nhs.uk")
        page.goto("/audit/")
        page.get_by_role("link", name="check the audit chain").click()
        check_axe(page, "check the audit chain")
        page.get_by_role("button", name="Check the audit chain").click()
        expect(page.get_by_role("heading", name="The audit chain is intact")).to_be_visible(timeout=30_000)
        expected = in_app(live_server, verify_chain)  # after signing in, which the log records too
        expect(page.get_by_text(f"{expected.checked:,} entries verified")).to_be_visible()
        check_axe(page, "the audit chain checked")
    finally:
        live_server["app"].config["AUDIT_VERIFY_STEP"] = 20_000


def test_a_sign_in_with_a_wrong_password_shows_an_error_summary(page):
    page.goto("/sign-in")
    page.get_by_label("Email address").fill("auditor@demo.exemplar.nhs.uk")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    check_axe(page, "sign in with an error")
