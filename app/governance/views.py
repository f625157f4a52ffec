"""Pages of the governance domain: the commercial team's overview, a trust's own hub, and the
dashboard panel. The subjects' pages (admission/, reviews/, funding/, checkins/) join the same
blueprint when this module imports them, at the end."""
from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select

from app.accounts.permissions import can, require
from app.extensions import db
from app.web import dashboard_panel, nav_item

from . import bp, queries
from .admission.models import AdmissionApplication
from .clock import london_today
from .funding.models import FundingAgreement

nav_item("governance.overview", "Governance", 70, prefix="/governance",
         visible=lambda user: can(user, "governance.oversee"))
nav_item("governance.trust_home", "Applications and funding", 71, prefix="/governance",
         visible=lambda user: can(user, "governance.trust_pages") and not can(user, "governance.oversee"))


@bp.route("/")
def overview():
    """The commercial team's landing page: what needs attention and where to go."""
    require("governance.oversee")
    today = london_today()
    pending = db.session.scalar(select(func.count()).select_from(AdmissionApplication)
                                .where(AdmissionApplication.status == "submitted"))
    agreements = db.session.scalar(select(func.count()).select_from(FundingAgreement)
                                   .where(FundingAgreement.status == "active"))
    reviews_due = queries.reviews_due_count(today)
    by_programme = queries.totals("programme")
    return render_template(
        "governance/overview.html", pending=pending, active_agreements=agreements,
        to_review=queries.checkins_to_review(), overdue=queries.overdue_checkins(today),
        reds=queries.agreements_with_red(), reviews_due=reviews_due,
        by_programme=by_programme, programme_total=queries.grand_total(by_programme), may_manage=can(current_user, "governance.manage"))


@bp.route("/trust")
def trust_home():
    """A trust's hub: its applications, its funding, its partnerships."""
    require("governance.trust_pages")
    org = current_user.organisation
    today = london_today()
    applications = db.session.execute(
        queries.applications_stmt(organisation_id=org.id).limit(5)).unique().scalars().all()
    agreements = db.session.execute(
        select(FundingAgreement).where(FundingAgreement.organisation_id == org.id)
        .order_by(FundingAgreement.status, FundingAgreement.reference)).unique().scalars().all()
    return render_template("governance/trust_home.html", org=org, applications=applications,
                           agreements=agreements, overdue=queries.overdue_checkins(today, org.id))


@dashboard_panel(70)
def _dashboard(user):
    """What needs the user's attention in governance, on the signed-in dashboard."""
    if can(user, "governance.oversee"):
        today = london_today()
        pending = db.session.scalar(select(func.count()).select_from(AdmissionApplication)
                                    .where(AdmissionApplication.status == "submitted"))
        items = [
            {"text": f"Applications waiting for a decision: {pending}",
             "href": url_for("governance.applications", status="submitted")},
            {"text": f"Check-ins waiting for review: {len(queries.checkins_to_review())}",
             "href": url_for("governance.funding") + "#to-review"},
            {"text": f"Overdue check-ins: {len(queries.overdue_checkins(today))}",
             "href": url_for("governance.funding") + "#overdue"},
            {"text": f"Exemplar reviews due: {queries.reviews_due_count(today)}",
             "href": url_for("governance.exemplars")},
        ]
        return {"title": "Governance and funding", "items": items}
    if can(user, "governance.trust_pages"):
        overdue = queries.overdue_checkins(london_today(), user.organisation_id)
        items = [
            {"text": "My applications", "href": url_for("governance.my_applications"),
             "hint": "Apply to join a framework lot and see decisions"},
            {"text": "Funding", "href": url_for("governance.my_funding"),
             "hint": f"Your funding agreements and quarterly check-ins ({len(overdue)} overdue)"
             if overdue else "Your funding agreements and quarterly check-ins"},
            {"text": "Partnerships", "href": url_for("governance.my_partnerships"),
             "hint": "Rate your partnerships with exemplars and see feedback"},
        ]
        return {"title": "Applications and funding", "items": items}
    return None


from .admission import evidence as _evidence  # noqa: E402,F401  (the subjects' pages)
from .admission import views as _admission  # noqa: E402,F401
from .checkins import views as _checkins  # noqa: E402,F401
from .funding import views as _funding  # noqa: E402,F401
from .reviews import views as _reviews  # noqa: E402,F401
