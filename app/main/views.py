"""The home page and each role's dashboard."""
from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.competitions.calendar import deadline_phrase
from app.extensions import db
from app.registry.models import Deployment, Framework, Membership, Organisation, System
from app.web import dashboard_panels

from . import bp


@bp.app_template_filter("deadline_phrase")
def deadline_phrase_filter(when, verb: str = "closes") -> str:
    """{{ c.response_deadline | deadline_phrase }} → "closes midday, Monday 7 December 2026 — in
    4 working days", counted from the competitions' clock (which tests can move)."""
    from app.competitions import clock

    return deadline_phrase(when, clock.now(), verb)


@bp.route("/")
def home():
    counts = {
        "trusts": db.session.scalar(select(func.count()).select_from(Organisation).where(Organisation.kind == "trust")),
        "systems": db.session.scalar(select(func.count()).select_from(System)),
        "deployments": db.session.scalar(select(func.count()).select_from(Deployment)),
        "exemplars": db.session.scalar(
            select(func.count(func.distinct(Membership.organisation_id))).where(Membership.status == "admitted")
        ),
        "frameworks": db.session.scalar(select(func.count()).select_from(Framework).where(Framework.status != "draft")),
    }
    return render_template("main/home.html", counts=counts)


@bp.route("/dashboard")
@login_required
def dashboard():
    from app.competitions import clock

    return render_template("main/dashboard.html", user=current_user, panels=dashboard_panels(current_user),
                           now=clock.now())


@bp.route("/data")
def data():
    deployments = db.session.scalar(select(func.count()).select_from(Deployment))
    trusts = db.session.scalar(select(func.count(func.distinct(Deployment.organisation_id))))
    return render_template("main/data.html", deployments=deployments, trusts_with_system=trusts)


@bp.route("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")
