"""Every governance page a commercial admin can open has one h1, captioned tables, and no inline
script or style (the CSP forbids them)."""
from __future__ import annotations

import re

from sqlalchemy import select

from app.governance.models import AdmissionApplication, CheckIn, FundingAgreement
from app.registry.models import Membership


def _pages(session):
    agreement = session.execute(select(FundingAgreement).where(FundingAgreement.status == "active")).scalars().first()
    checkin = session.execute(select(CheckIn).where(CheckIn.status == "submitted")).scalars().first()
    application = session.execute(select(AdmissionApplication).where(
        AdmissionApplication.status == "submitted")).unique().scalars().first()
    membership = session.execute(select(Membership).where(Membership.status == "admitted")).unique().scalars().first()
    return ["/governance/", "/governance/applications", f"/governance/applications/{application.id}",
            f"/governance/applications/{application.id}/assess", f"/governance/applications/{application.id}/decide",
            f"/governance/frameworks/{application.lot.framework.slug}/criteria", "/governance/exemplars",
            f"/governance/memberships/{membership.id}/review", "/governance/funding", "/governance/funding/agreements",
            "/governance/funding/programmes", "/governance/funding/agreements/new",
            f"/governance/funding/agreements/{agreement.id}", f"/governance/funding/agreements/{agreement.id}/edit",
            f"/governance/funding/agreements/{agreement.id}/conditions", f"/governance/funding/checkins/{checkin.id}",
            f"/governance/funding/tranches/{agreement.tranches[-1].id}/release"]


def test_pages_have_one_heading_captioned_tables_and_nothing_inline(client, login, people, db_session):
    login(people["commercial_admin"])
    for path in _pages(db_session):
        response = client.get(path)
        assert response.status_code == 200, path
        html = response.get_data(as_text=True)
        assert len(re.findall(r"<h1[\s>]", html)) == 1, path
        assert " style=" not in html, path
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert html.count("<table") == html.count("<caption"), path
        assert "<th>" not in html.replace('<th scope', ''), path


def test_the_trusts_pages_render_from_the_demo_accounts(client, login, db_session):
    from app.accounts.models import User

    for email in ("exemplar@demo.exemplar.nhs.uk", "buyer@demo.exemplar.nhs.uk"):
        user = db_session.execute(select(User).where(User.email == email)).scalar_one()
        login(user)
        for path in ("/governance/trust", "/governance/applications/mine", "/governance/funding/mine",
                     "/governance/partnerships/mine"):
            assert client.get(path).status_code == 200, (email, path)
        from flask import g
        g.pop("_login_user", None)
