"""The national commercial team's work, in a real browser: from the dashboard, admit an exemplar
after assessing its application, read the concentration dashboard, import deployments (a bad file
first, then a good one, with a dry run), accept a check-in and release a funding tranche; then an
auditor finds those changes in the audit log. axe-core checks every page type on the way."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, screenshot, success_banner

ADMIN = "admin@demo.exemplar.nhs.uk"
AUDITOR = "auditor@demo.exemplar.nhs.uk"

BAD_CSV = ("ods_code,system,status,since,until,source,confidence\n"
           "RX1,Epic,live,2027-02,,https://www.example.nhs.uk/news/epic,high\n"
           "ZZZ9,Not a system,sometimes,last year,,,\n")
GOOD_CSV = ("ods_code,system,status,since,until,source,confidence\n"
            "RX1,Epic,planned,2027-02,,https://www.example.nhs.uk/news/epic,medium\n")


def test_the_commercial_team_admits_imports_and_releases_funding(open_as, tmp_path):
    admin = open_as(ADMIN)
    check_axe(admin, "commercial admin's dashboard")
    screenshot(admin, "dashboard-commercial", fresh=True)

    # --- Admit an exemplar: assess its application against the criteria, then decide -------------
    admin.get_by_role("link", name=re.compile(r"exemplar application.? waiting for a decision")).first.click()
    check_axe(admin, "applications list")
    admin.get_by_role("link", name=re.compile("Wirral University Teaching Hospital")).first.click()
    check_axe(admin, "application")
    admin.get_by_role("link", name="Assess the criteria").click()
    check_axe(admin, "assess an application")
    for radio in admin.get_by_label("Met", exact=True).all():
        radio.check()
    admin.get_by_role("button", name="Save assessment").click()
    assert "Assessment saved" in success_banner(admin)
    admin.get_by_role("link", name="Admit or reject").click()
    check_axe(admin, "decide an application")
    admin.get_by_label("Admit the trust to the lot").check()
    admin.get_by_label("Reason for the decision").fill("Every criterion is met; strong go-live record.")
    admin.get_by_role("button", name="Record decision").click()
    assert "admitted" in success_banner(admin)

    # --- Read the concentration dashboard ----------------------------------------------------------
    admin.get_by_role("link", name="Convergence").first.click()
    admin.get_by_role("link", name=re.compile("dashboard", re.I)).first.click()
    check_axe(admin, "concentration dashboard")
    screenshot(admin, "concentration-dashboard", at=admin.get_by_role("heading", name="Alerts"))
    # A long table shows its first rows; every row is on its own page, filtered and paginated (the
    # demo's tables are short enough to show whole, so the page is opened by its address).
    admin.goto("/concentration/dashboard/tables/network")
    admin.get_by_label("Show rows containing").fill("Chester")
    admin.get_by_role("button", name="Filter rows").click()
    assert "Countess of Chester" in admin.locator("table").inner_text()
    check_axe(admin, "a concentration table, filtered")
    admin.goto("/concentration/alert-rules")
    check_axe(admin, "alert rules")
    admin.goto("/concentration/what-if")
    check_axe(admin, "what-if")

    # --- Import deployments: a bad file is refused whole, a good one is checked then imported ------
    admin.goto("/register/import")
    check_axe(admin, "import upload")
    for name, text in (("bad.csv", BAD_CSV), ("deployments.csv", GOOD_CSV)):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        admin.goto("/register/import")
        admin.get_by_label("Deployments (which trust runs which system)").check()
        admin.locator("input[type=file][name=file]").set_input_files(str(path))
        admin.get_by_role("button", name="Check the file").click()
        if name == "bad.csv":
            expect(admin.get_by_text(re.compile(r"The file has \d+ bad rows?"))).to_be_visible()
            expect(admin.get_by_role("button", name=re.compile("^Import"))).to_have_count(0)
            check_axe(admin, "import check with bad rows")
    expect(admin.get_by_text("This is a dry run: nothing has changed yet.")).to_be_visible()
    # While a long import runs, the form says so in a status region read out by screen readers.
    expect(admin.locator("form[data-app-busy] [data-app-busy-status]")).to_have_attribute("role", "status")
    check_axe(admin, "import check (dry run)")
    admin.get_by_role("button", name="Import 1 change").click()
    # The import runs in the background (the app's own job thread, as with `make run`): its progress
    # page follows it by itself and shows the outcome when it is done.
    expect(admin).to_have_url(re.compile(r"/register/import/\d+/progress$"))
    expect(admin.locator(".nhsuk-notification-banner--success")).to_be_visible(timeout=30_000)
    assert "Imported deployments.csv: 1 new" in success_banner(admin)
    check_axe(admin, "import finished")

    # --- Accept a check-in, then release the tranche it allows --------------------------------------
    admin.goto("/dashboard")
    admin.get_by_role("link", name=re.compile(r"check-ins? to review")).first.click()
    check_axe(admin, "funding overview")
    admin.locator("tr", has_text="FRONTLINE-PRODUCTIVITY-RH8-2026").get_by_role("link").first.click()
    check_axe(admin, "check-in")
    admin.get_by_label("Accept the check-in").check()
    admin.get_by_role("button", name="Record review").click()
    success_banner(admin)
    admin.get_by_role("link", name="FRONTLINE-PRODUCTIVITY-RH8-2026").first.click()
    check_axe(admin, "funding agreement")
    admin.get_by_role("link", name=re.compile("Release tranche 1")).click()
    check_axe(admin, "release a tranche (confirmation)")
    admin.get_by_role("button", name="Release tranche").click()
    assert "released" in success_banner(admin).lower()

    # --- An auditor finds the changes in the audit log ----------------------------------------------
    auditor = open_as(AUDITOR)
    check_axe(auditor, "auditor's dashboard")
    auditor.get_by_role("link", name="The whole audit log").click()
    expect(auditor.get_by_role("cell", name=re.compile("tranche", re.I)).first).to_be_visible()


def test_the_commercial_team_invites_a_user_who_sets_a_password_and_lands_on_a_dashboard(open_as):
    admin = open_as(ADMIN)
    admin.get_by_role("link", name="Users").first.click()
    check_axe(admin, "users")
    admin.get_by_role("link", name=re.compile("Invite a user")).first.click()
    check_axe(admin, "invite a user")
    admin.get_by_label("Full name").fill("Ivy Invited (demo)")
    admin.get_by_label("Email address").fill("ivy.invited@demo.exemplar.nhs.uk")
    admin.get_by_label("Organisation ODS code").fill("RJR")
    admin.get_by_label("Evaluator").check()
    admin.get_by_role("button", name="Create the invitation link").click()
    expect(admin.get_by_role("heading", level=1)).to_have_text("Invitation created")
    check_axe(admin, "invitation link made")
    link = admin.get_by_label("The link").input_value()

    newcomer = open_as(None)
    newcomer.goto(link)
    check_axe(newcomer, "set a password from an invitation")
    newcomer.get_by_label("Password", exact=True).fill("a long and unusual passphrase 42")
    newcomer.get_by_label("Confirm the new password").fill("a long and unusual passphrase 42")
    newcomer.get_by_role("button", name="Save password and sign in").click()
    assert "Your password is set" in success_banner(newcomer)
    expect(newcomer.get_by_role("heading", name="Evaluations to do")).to_be_visible()
    newcomer.get_by_role("link", name="Change your password").click()
    check_axe(newcomer, "change your password")
