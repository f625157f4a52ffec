"""A call-off competition from search to award, in a real browser, through the real server, with
the keyboard only (no mouse click anywhere).

A follower buyer searches the offers, saves the search in a new project, shortlists three
exemplars, compares them, downloads the comparison and starts a competition from the shortlist; an
exemplar asks a question, the buyer publishes the answer, two exemplars bid; the response deadline
passes (the competitions' clock is moved, not waited for); two evaluators and the buyer declare their
interests and the buyer confirms the conflicts assessment; the evaluators score; the buyer
moderates, announces the intention to award with its reason, publishes the contract award notice
(which starts the voluntary standstill) and awards after it; the losing exemplar reads its scores
beside the winner's. axe-core checks every page type on the way.
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import check_axe, in_app, screenshot, success_banner
from tests.browser.keyboard import Keyboard
from tests.documents import samples

BUYER = "buyer@demo.exemplar.nhs.uk"
EVALUATOR = "evaluator@demo.exemplar.nhs.uk"
EXEMPLAR = "exemplar@demo.exemplar.nhs.uk"          # Wirral (RBL)
EXEMPLAR_2 = "exemplar.newcastle@demo.exemplar.nhs.uk"  # Newcastle (RTD), made for this test
EVALUATOR_2 = "evaluator.two@demo.exemplar.nhs.uk"    # Countess of Chester (RJR), made for this test
PASSWORD = "demo-password-2026"
WIRRAL = "Wirral University Teaching Hospital NHS Foundation Trust"
NEWCASTLE = "The Newcastle upon Tyne Hospitals NHS Foundation Trust"
IMPERIAL = "Imperial College Healthcare NHS Trust"
PROJECT = "Millennium optimisation 2027"
QUESTION = "May the clinician training be delivered remotely?"
ANSWER = "Yes: up to half of the sessions may be remote."
SPECIFICATION = "Millennium optimisation specification.pdf"
BID_DOCUMENT = "Wirral method statement.pdf"


def make_people(live_server) -> None:
    """A second exemplar trust's manager and a second evaluator (the demo has one of each)."""
    def make():
        from sqlalchemy import select

        from app.accounts.models import User
        from app.accounts.services import create_user
        from app.extensions import db
        from app.registry.models import Organisation

        def org(code):
            return db.session.execute(select(Organisation).where(Organisation.ods_code == code)).scalar_one()

        for email, name, code, role in ((EXEMPLAR_2, "Nia Newcastle (demo)", "RTD", "exemplar_manager"),
                                        (EVALUATOR_2, "Eve Second (demo)", "RJR", "evaluator")):
            if db.session.execute(select(User.id).where(User.email == email)).first() is None:
                create_user(email=email, name=name, organisation=org(code), roles=[role], password=PASSWORD)

    in_app(live_server, make)


def shortlist(page, exemplar: str, reason: str, project: str) -> None:
    """From search results, open the offer of `exemplar` and add it to the project's shortlist."""
    keys = Keyboard(page)
    keys.click(page.locator("li, article, .nhsuk-card").filter(has_text=exemplar).get_by_role("link").first)
    keys.click(page.get_by_role("link", name="Add this offer to a project's shortlist"))
    keys.check(page.get_by_label(project))
    keys.fill(page.get_by_label("Why you are shortlisting this offer"), reason)
    keys.click(page.get_by_role("button", name="Add to shortlist"))
    assert "Added to the shortlist" in success_banner(page)


def test_a_competition_runs_from_search_to_award_with_the_keyboard_only(open_as, live_server, clock):
    """The whole journey with Tab, Enter, Space (and arrows in radio groups) and typing: no mouse."""
    make_people(live_server)
    buyer = open_as(BUYER, keyboard=True)
    b = Keyboard(buyer)
    check_axe(buyer, "follower buyer's dashboard")
    screenshot(buyer, "dashboard-buyer", fresh=True)

    # --- The follower searches, saves the search, shortlists, compares and exports ------------------
    b.click(buyer.get_by_role("link", name="Offers", exact=True))
    b.fill(buyer.get_by_label("Search offers"), 'Millennium "optimisation" (AND OR NOT 🙂')
    b.click(buyer.get_by_role("button", name="Search"))
    expect(buyer.get_by_role("heading", level=1)).to_have_text("Find service offers")  # odd characters never error
    b.fill(buyer.get_by_label("Search offers"), "Millennium optimisation")
    b.click(buyer.get_by_role("button", name="Search"))
    expect(buyer.get_by_text(re.compile(r"^\d+ offers?$"))).to_be_visible()
    check_axe(buyer, "offer search results")
    screenshot(buyer, "offer-search")
    b.click(buyer.get_by_role("link", name="Save this search in a project"))
    check_axe(buyer, "save a search")
    b.check(buyer.get_by_label("A new project"))
    b.fill(buyer.get_by_label("Name of the new project"), PROJECT)
    b.click(buyer.get_by_role("button", name="Save search"))
    assert "Search saved" in success_banner(buyer)
    check_axe(buyer, "project page")
    for exemplar, reason in ((WIRRAL, "Our fast-follower exemplar, same region."),
                             (NEWCASTLE, "Runs the same system as us."), (IMPERIAL, "Runs the same system as us.")):
        b.click(buyer.get_by_role("link", name="Run the saved search"))
        shortlist(buyer, exemplar, reason, PROJECT)
    b.click(buyer.get_by_role("link", name="Compare the shortlist side by side"))
    check_axe(buyer, "shortlist comparison")
    screenshot(buyer, "compare")
    with buyer.expect_download() as download:
        b.click(buyer.get_by_role("link", name=re.compile("Download the shortlist")))
    csv_text = open(download.value.path(), encoding="utf-8-sig").read()
    assert csv_text.splitlines()[0].startswith("offer_id,") and len(csv_text.splitlines()) == 4

    # --- The buyer starts a competition from the shortlist and publishes it ------------------------
    b.click(buyer.locator(".nhsuk-breadcrumb").get_by_role("link", name=PROJECT))
    b.click(buyer.get_by_role("link", name="Start a competition from this shortlist"))
    check_axe(buyer, "new competition form")
    b.fill(buyer.get_by_label("What you need"), "Optimise our Oracle Health Millennium EPR: order sets, "
                                                "documentation and clinician training.")
    b.fill(buyer.get_by_label("Budget (optional)"), "120000")
    b.click(buyer.get_by_role("button", name="Create the draft"))
    assert "Draft competition created" in success_banner(buyer)
    check_axe(buyer, "draft competition overview")
    # The specification, uploaded as a file (judged by its content, kept by its SHA-256).
    b.click(buyer.get_by_role("link", name="Add or replace documents"))
    check_axe(buyer, "competition documents, as the buyer")
    b.check(buyer.get_by_label("Specification"))
    with buyer.expect_file_chooser() as chooser:  # the component's button opens the file picker
        b.click(buyer.get_by_role("button", name=re.compile("Upload a file")))
    chooser.value.set_files(
        {"name": SPECIFICATION, "mimeType": "application/pdf", "buffer": samples.pdf("EPR optimisation specification")})
    b.click(buyer.get_by_role("button", name="Upload the document"))
    assert f"Specification added: {SPECIFICATION}" in success_banner(buyer)
    check_axe(buyer, "competition documents with a document")
    b.click(buyer.locator(".nhsuk-breadcrumb").get_by_role("link", name=PROJECT))
    expect(buyer.get_by_role("link", name=f"Specification: {SPECIFICATION}")).to_be_visible()
    b.click(buyer.get_by_role("link", name="Evaluators"))
    check_axe(buyer, "evaluators form")
    b.check(buyer.get_by_label(re.compile("Evan Evaluator")))
    b.check(buyer.get_by_label(re.compile("Eve Second")))
    b.click(buyer.get_by_role("button", name=re.compile("Save")))
    success_banner(buyer)
    for section, page_type in (("Invitees", "invitees form"), ("Timetable", "timetable form"),
                               ("Questions, weights and scoring method", "scoring method form")):
        b.click(buyer.get_by_role("link", name=section))
        check_axe(buyer, page_type)
        b.click(buyer.get_by_role("link", name="Back"))
    b.click(buyer.get_by_role("link", name="Publish and invite"))
    check_axe(buyer, "publish a competition (confirmation)")
    expect(buyer.get_by_text(re.compile(r"Closes midday, .* — in \d+ working days"))).to_have_count(2)
    b.click(buyer.get_by_role("button", name="Publish and send the invitations"))
    success_banner(buyer)
    check_axe(buyer, "published competition")
    screenshot(buyer, "competition")
    competition_id = int(re.search(r"/competitions/(\d+)", buyer.url).group(1))
    title = re.compile(rf"CO-{competition_id:05d} {PROJECT}")

    # --- Exemplars find the invitation on their dashboards, ask a question and bid -----------------
    wirral = open_as(EXEMPLAR, keyboard=True)
    w = Keyboard(wirral)
    check_axe(wirral, "exemplar manager's dashboard")
    screenshot(wirral, "dashboard-exemplar", fresh=True)
    w.click(wirral.get_by_role("link", name=re.compile(rf"Invitation to bid: {title.pattern}")))
    check_axe(wirral, "competition overview, as an invitee")
    expect(wirral.get_by_role("link", name=f"Specification: {SPECIFICATION}")).to_be_visible()
    w.click(wirral.get_by_role("link", name="Questions and published answers"))
    w.fill(wirral.get_by_label("Your question"), QUESTION)
    w.click(wirral.get_by_role("button", name="Send the question"))
    assert "Your question was sent" in success_banner(wirral)
    check_axe(wirral, "clarifications, as an invitee")

    b.click(buyer.get_by_role("link", name="Questions and published answers"))
    check_axe(buyer, "clarifications, as the buyer")
    b.click(buyer.get_by_role("link", name="Answer and publish"))
    check_axe(buyer, "answer a clarification")
    b.fill(buyer.get_by_label("Answer", exact=True), ANSWER)
    b.click(buyer.get_by_role("button", name="Publish the answer"))
    assert "Answer published" in success_banner(buyer)

    newcastle = open_as(EXEMPLAR_2, keyboard=True)
    for bidder, price in ((wirral, "98000"), (newcastle, "115000")):
        keys = Keyboard(bidder)
        if bidder is newcastle:
            keys.click(bidder.get_by_role("link", name=re.compile(rf"Invitation to bid: {title.pattern}")))
        else:
            keys.click(bidder.locator(".nhsuk-breadcrumb").get_by_role("link", name=PROJECT))
        keys.click(bidder.get_by_role("link", name="Submit a bid"))
        check_axe(bidder, "bid form")
        keys.fill(bidder.get_by_label("Total price"), price)
        for answer in bidder.locator("textarea[name^=answer_]").all():
            keys.fill(answer, "We have done this twice as a Global Digital Exemplar; our blueprints come with it.")
        keys.click(bidder.get_by_role("button", name="Submit the bid"))
        assert "Your bid was received" in success_banner(bidder)
        if bidder is wirral:
            # A sealed document for the first question, beside the bid's answers.
            keys.click(bidder.get_by_role("link", name="Your bid's documents"))
            check_axe(bidder, "a bid's documents")
            keys.focus(bidder.get_by_label("Which part of your bid is it for?"))
            bidder.get_by_label("Which part of your bid is it for?").select_option(index=1)
            with bidder.expect_file_chooser() as chooser:
                keys.click(bidder.get_by_role("button", name=re.compile("Upload a file")))
            chooser.value.set_files(
                {"name": BID_DOCUMENT, "mimeType": "application/pdf", "buffer": samples.pdf("Our method statement")})
            keys.click(bidder.get_by_role("button", name="Add to my bid"))
            assert f"{BID_DOCUMENT} was added to your bid" in success_banner(bidder)
            check_axe(bidder, "a bid's documents with a document")
            keys.click(bidder.get_by_role("link", name="Back to your bid"))
        keys.click(bidder.get_by_role("link", name="Back"))
        keys.click(bidder.get_by_role("link", name="Questions and published answers"))
        expect(bidder.get_by_text(ANSWER)).to_be_visible()  # published to every invitee, anonymised
        keys.click(bidder.locator(".nhsuk-breadcrumb").get_by_role("link", name=PROJECT))

    # Sealed: before the deadline the buyer cannot see how many bids there are.
    b.click(buyer.locator(".nhsuk-breadcrumb").get_by_role("link", name=PROJECT))
    expect(buyer.get_by_text("Valid bids")).to_have_count(0)

    # --- The response deadline passes; everyone taking part declares; the buyer opens the bids --------
    clock.past(in_app(live_server, lambda: _deadlines(competition_id))["response"])
    evaluators = {}
    for email in (EVALUATOR, EVALUATOR_2):
        evaluator = evaluators[email] = open_as(email, keyboard=True)
        e = Keyboard(evaluator)
        if email == EVALUATOR:
            check_axe(evaluator, "evaluator's dashboard")
            screenshot(evaluator, "dashboard-evaluator", fresh=True)
        e.click(evaluator.get_by_role("link", name=re.compile(rf"Declare your interests for {title.pattern}")))
        check_axe(evaluator, "declare an interest")
        e.check(evaluator.get_by_label("No, I have no interest to declare"))
        e.click(evaluator.get_by_role("button", name="Record my declaration"))
        assert "Declaration recorded" in success_banner(evaluator)
    buyer.reload()
    expect(buyer.locator(".nhsuk-tag", has_text="Closed")).to_be_visible()
    b.click(buyer.get_by_role("link", name="Declarations of interest and their assessment"))
    b.click(buyer.get_by_role("link", name="Declare your interests"))
    b.check(buyer.get_by_label("No, I have no interest to declare"))
    b.click(buyer.get_by_role("button", name="Record the declaration"))
    assert "Declaration recorded" in success_banner(buyer)
    check_axe(buyer, "conflicts assessment")
    b.click(buyer.get_by_role("button", name="Confirm the conflicts assessment"))
    assert "conflicts assessment is confirmed" in success_banner(buyer)
    b.click(buyer.locator(".nhsuk-breadcrumb").get_by_role("link", name=PROJECT))
    b.click(buyer.get_by_role("button", name="Start the evaluation"))
    assert "The evaluation has started" in success_banner(buyer)

    # --- Two evaluators score, each on their own ----------------------------------------------------
    for email, mark in ((EVALUATOR, "3"), (EVALUATOR_2, "4")):
        evaluator = evaluators[email]
        e = Keyboard(evaluator)
        evaluator.goto("/dashboard")  # back to their dashboard, as from the e-mail telling them it started
        e.click(evaluator.get_by_role("link", name=re.compile(rf"Score the bids of {title.pattern}")))
        check_axe(evaluator, "score the bids")
        expect(evaluator.get_by_role("link", name=BID_DOCUMENT)).to_be_visible()  # unsealed after the deadline
        # In page order (mark, then why), as a keyboard user goes down the form.
        for box in evaluator.locator("input[name^=mark_], textarea[name^=comment_]").all():
            e.fill(box, mark if box.evaluate("el => el.tagName") == "INPUT" else "Clear, evidenced and realistic.")
        e.click(evaluator.get_by_role("button", name="Submit my scores"))
        assert "Scores submitted" in success_banner(evaluator)

    # --- The buyer moderates each bid, announces the intention to award, then awards -------------
    buyer.reload()
    b.click(buyer.get_by_role("link", name="Evaluation and results"))
    check_axe(buyer, "evaluation and results")
    for name, mark in ((WIRRAL, "4"), (NEWCASTLE, "3")):
        b.click(buyer.get_by_role("link", name=f"Moderate {name}"))
        check_axe(buyer, "moderate a bid")
        for box in buyer.locator("input[name^=mark_], textarea[name^=rationale_]").all():
            b.fill(box, mark if box.evaluate("el => el.tagName") == "INPUT" else "Agreed at the moderation meeting.")
        b.click(buyer.get_by_role("button", name="Record the consensus scores"))
        assert "Consensus scores recorded" in success_banner(buyer)  # back on the results page
    screenshot(buyer, "evaluation-results", at=buyer.get_by_role("heading", name="Results"))
    b.click(buyer.get_by_role("link", name="Announce the intention to award"))
    check_axe(buyer, "intention to award (its reason)")
    b.fill(buyer.get_by_label("Reason for the award"), "The highest total score, within the budget.")
    b.click(buyer.get_by_role("button", name="Announce the intention to award"))
    assert "Intention to award announced" in success_banner(buyer)
    b.click(buyer.get_by_role("link", name="Review and publish it"))
    check_axe(buyer, "a notice to review and publish")
    b.check(buyer.get_by_label(re.compile("I have reviewed this notice")))
    b.click(buyer.get_by_role("button", name="Publish the notice"))
    assert "contract award notice is published" in success_banner(buyer)
    check_axe(buyer, "the public notices of a call-off")
    b.click(buyer.locator(".nhsuk-breadcrumb").get_by_role("link", name=PROJECT))
    expect(buyer.get_by_text(re.compile(r"Ends at the end of \w+day \d+ \w+ \d{4} — in \d+ working days"))).to_be_visible()

    wirral.reload()
    w.click(wirral.get_by_role("link", name="See the outcome and your scores"))
    check_axe(wirral, "outcome, as a bidder")

    clock.past(in_app(live_server, lambda: _deadlines(competition_id))["standstill"])
    buyer.reload()
    b.click(buyer.get_by_role("link", name="Make the award"))
    check_axe(buyer, "award form")
    b.fill(buyer.get_by_label("Contract value"), "98000")
    start = clock.now().date()
    for name, day in (("starts_on", start), ("ends_on", start.replace(year=start.year + 1))):
        for part in ("day", "month", "year"):
            b.fill(buyer.locator(f"input[name='{name}-{part}']"), str(getattr(day, part)))
    b.click(buyer.get_by_role("button", name="Make the award"))
    assert "Awarded" in success_banner(buyer)
    check_axe(buyer, "awarded competition")
    b.click(buyer.get_by_role("link", name="The contract and its management"))
    check_axe(buyer, "the contract")
    b.click(buyer.locator(".nhsuk-breadcrumb").get_by_role("link", name=PROJECT))
    b.click(buyer.get_by_role("link", name="The partnership and its milestones"))
    check_axe(buyer, "partnership")

    newcastle.reload()
    Keyboard(newcastle).click(newcastle.get_by_role("link", name="See the outcome and your scores"))
    expect(newcastle.get_by_text("Your bid was not successful.")).to_be_visible()
    screenshot(newcastle, "outcome")


def _deadlines(competition_id: int) -> dict:
    from app.competitions.models import Competition
    from app.extensions import db

    c = db.session.get(Competition, competition_id)
    return {"response": c.response_deadline, "standstill": c.standstill_ends_at}


