"""Every main page type works on a phone: at 375 px wide nothing scrolls sideways (WCAG 1.4.10
reflow; wide tables scroll inside their own container), and axe-core finds nothing on the pages
whose layout changes most on a small screen."""
from __future__ import annotations

import pytest

from tests.browser.conftest import check_axe, in_app, no_sideways_scroll, screenshot

PHONE = 375


def _demo_ids() -> dict:
    from sqlalchemy import select

    from app.competitions.models import Competition
    from app.extensions import db
    from app.offers.models import Offer, Project
    from app.registry.models import Partnership

    def competition(title: str) -> int:
        return db.session.execute(select(Competition.id).where(Competition.title == title)).scalar_one()

    return {
        "awarded": competition("(demo) EPR optimisation partner"),
        "evaluation": competition("(demo) Clinical decision support roll-out"),
        "open": competition("(demo) Ambient voice pilot support"),
        "offer": db.session.execute(select(Offer.id).where(Offer.status == "published").order_by(Offer.id)).scalars().first(),
        "project": db.session.execute(select(Project.id).order_by(Project.id)).scalars().first(),
        "partnership": db.session.execute(select(Partnership.id).where(Partnership.competition_id.is_not(None))
                                          ).scalars().first(),
    }


PAGES = {
    None: ["/", "/organisations", "/organisations/RBL", "/frameworks/gde", "/frameworks/gde/lots/1", "/systems",
           "/offers", "/offers/{offer}", "/concentration/", "/data", "/open-data", "/sign-in"],
    "buyer@demo.exemplar.nhs.uk": ["/dashboard", "/projects", "/projects/{project}", "/projects/{project}/compare",
                                   "/competitions/", "/competitions/{open}", "/competitions/{evaluation}/evaluation",
                                   "/competitions/{awarded}", "/competitions/partnerships/{partnership}",
                                   "/competitions/new?project={project}", "/governance/funding/mine", "/account",
                                   "/account/api-tokens"],
    "exemplar@demo.exemplar.nhs.uk": ["/dashboard", "/my-offers", "/offers/new", "/competitions/{open}/bid",
                                      "/competitions/{open}/clarifications", "/competitions/{awarded}/outcome"],
    "evaluator@demo.exemplar.nhs.uk": ["/dashboard", "/competitions/{evaluation}/evaluate"],
    "admin@demo.exemplar.nhs.uk": ["/dashboard", "/concentration/dashboard", "/concentration/what-if",
                                   "/concentration/alert-rules", "/governance/", "/governance/funding",
                                   "/governance/applications", "/governance/exemplars", "/register/import",
                                   "/admin/users", "/audit/"],
}

#: Checked with axe-core at phone size too: the header menu, stacked tables and charts change most.
AXE_ON_PHONE = {"/", "/offers", "/dashboard", "/competitions/{evaluation}/evaluation"}


@pytest.mark.parametrize("email", list(PAGES), ids=lambda e: (e or "public").split("@")[0])
def test_main_pages_fit_a_phone_screen(open_as, live_server, email):
    ids = in_app(live_server, _demo_ids)
    page = open_as(email, width=PHONE)
    for path in PAGES[email]:
        url = path.format(**ids)
        response = page.goto(url)
        assert response.status == 200, f"{url} answered {response.status}"
        no_sideways_scroll(page, url)
        if path in AXE_ON_PHONE:
            check_axe(page, f"{url} at {PHONE} px" + (f" ({email.split('@')[0]})" if email else ""))
        if email is None and path == "/offers":
            screenshot(page, "phone-offers")
