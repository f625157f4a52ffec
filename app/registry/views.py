"""Public register pages: organisations, suppliers, systems, frameworks, lots and exemplars."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.permissions import can
from app.exports import csv_response
from app.extensions import db
from app.pagecache import fragment
from app.querying import get_or_404, paginate
from app.web import nav_item

from .models import Deployment, Framework, Lot, Membership, NoSystemFinding, Organisation, Supplier, System
from .queries import OrgFilters, trusts_query
from .vocab import CONFIDENCE, FRAMEWORK_STATUSES, ORG_KINDS, STANDARDS, SYSTEM_CATEGORIES, TRUST_TYPES

bp = Blueprint("registry", __name__)

nav_item("registry.organisations", "Register", 10, prefix="/organisations")
nav_item("registry.frameworks", "Frameworks", 20, prefix="/frameworks")
nav_item("registry.systems", "Systems", 30, prefix="/systems")


@bp.app_context_processor
def _vocab():
    return {"kinds": ORG_KINDS, "trust_types": TRUST_TYPES, "confidence": CONFIDENCE,
            "categories": SYSTEM_CATEGORIES, "framework_statuses": FRAMEWORK_STATUSES}


@bp.app_template_filter("standard_label")
def _standard_label(code: str) -> str:
    return STANDARDS.get(code, code)


def _regions_and_icbs():
    # Only the code and name the filter lists show: whole organisations, each with its region and
    # ICB joined, cost more than the rest of the page once there are hundreds of ICBs.
    cols = (Organisation.ods_code, Organisation.name)
    regions = db.session.execute(
        select(*cols).where(Organisation.kind == "region").order_by(Organisation.name)
    ).all()
    icbs = db.session.execute(
        select(*cols).where(Organisation.kind == "icb").order_by(Organisation.name)
    ).all()
    return regions, icbs


@bp.route("/organisations")
def organisations():
    filters = OrgFilters.from_args(request.args)
    stmt = trusts_query(filters)
    if request.args.get("format") == "csv":
        rows = db.session.execute(stmt).unique().scalars()
        return csv_response("organisations.csv",
                            ["ods_code", "name", "type", "region", "icb", "town", "postcode", "opened_on"],
                            ([o.ods_code, o.name, o.trust_type, o.region.name if o.region else "",
                              o.icb.name if o.icb else "", o.town, o.postcode, o.opened_on] for o in rows))

    def make() -> str:
        page = paginate(stmt)
        regions, icbs = _regions_and_icbs()
        return render_template("registry/_organisations_list.html", page=page, filters=filters, regions=regions,
                               icbs=icbs)

    # The list is the same for every visitor: signed-in users (whose pages are never kept whole)
    # get it from the fragment cache, and only the layout around it is made for them.
    return render_template("registry/organisations.html", content=fragment("registry.organisations", make))


@bp.route("/organisations/<ods_code>")
def organisation(ods_code: str):
    org = get_or_404(Organisation, ods_code=ods_code.upper())
    deployments = db.session.execute(
        select(Deployment).where(Deployment.organisation_id == org.id)
        .order_by(Deployment.status, Deployment.id)
    ).unique().scalars().all()
    memberships = db.session.execute(
        select(Membership).where(Membership.organisation_id == org.id).order_by(Membership.id)
    ).unique().scalars().all()
    no_system = db.session.execute(
        select(NoSystemFinding).where(NoSystemFinding.organisation_id == org.id).order_by(NoSystemFinding.known_from)
    ).unique().scalars().all()
    members = []
    if org.kind in ("region", "icb"):
        col = Organisation.region_id if org.kind == "region" else Organisation.icb_id
        members = db.session.execute(
            select(Organisation).where(col == org.id).order_by(Organisation.name)
        ).unique().scalars().all()
    return render_template("registry/organisation.html", org=org, deployments=deployments,
                           memberships=memberships, members=members, no_system=no_system,
                           may_manage=can(current_user, "registry.manage"))


@bp.route("/suppliers")
def suppliers():
    rows = db.session.execute(
        select(Supplier, func.count(func.distinct(Deployment.organisation_id)))
        .outerjoin(System, System.supplier_id == Supplier.id)
        .outerjoin(Deployment, (Deployment.system_id == System.id) & (Deployment.status.in_(("live", "retiring"))))
        .group_by(Supplier.id).order_by(Supplier.name)
    ).all()
    return render_template("registry/suppliers.html", rows=rows)


@bp.route("/suppliers/<slug>")
def supplier(slug: str):
    sup = db.session.execute(
        select(Supplier).where(Supplier.slug == slug).options(selectinload(Supplier.systems))
    ).scalar_one_or_none()
    if sup is None:
        abort(404)
    return render_template("registry/supplier.html", supplier=sup)


@bp.route("/systems")
def systems():
    live_orgs = (
        select(Deployment.system_id, func.count(func.distinct(Deployment.organisation_id)).label("n"))
        .where(Deployment.status.in_(("live", "retiring"))).group_by(Deployment.system_id).subquery()
    )
    rows = db.session.execute(
        select(System, func.coalesce(live_orgs.c.n, 0))
        .outerjoin(live_orgs, live_orgs.c.system_id == System.id)
        .order_by(System.category, System.name)
    ).unique().all()
    if request.args.get("format") == "csv":
        return csv_response("systems.csv", ["slug", "name", "supplier", "category", "standards", "live_organisations"],
                            ([s.slug, s.name, s.supplier.name, s.category, ";".join(s.standards), n] for s, n in rows))
    return render_template("registry/systems.html", rows=rows)


@bp.route("/systems/<slug>")
def system(slug: str):
    sys_ = get_or_404(System, slug=slug)
    deployments = db.session.execute(
        select(Deployment).where(Deployment.system_id == sys_.id)
        .join(Organisation, Organisation.id == Deployment.organisation_id)
        .order_by(Deployment.status, Organisation.name)
    ).unique().scalars().all()
    return render_template("registry/system.html", system=sys_, deployments=deployments)


def _visible_frameworks():
    stmt = select(Framework).order_by(Framework.starts_on.desc().nullslast(), Framework.name)
    if not can(current_user, "registry.view_drafts"):
        stmt = stmt.where(Framework.status != "draft")
    return stmt


def framework_or_404(slug: str) -> Framework:
    fw = get_or_404(Framework, slug=slug)
    if fw.status == "draft" and not can(current_user, "registry.view_drafts"):
        abort(404)
    return fw


@bp.route("/frameworks")
def frameworks():
    # The lots in one query, not one per framework (the list shows each framework's lot count).
    rows = db.session.execute(_visible_frameworks().options(selectinload(Framework.lots))).scalars().all()
    counts = dict(db.session.execute(
        select(Lot.framework_id, func.count(Membership.id)).join(Membership, Membership.lot_id == Lot.id)
        .where(Membership.status == "admitted").group_by(Lot.framework_id)
    ).all())
    return render_template("registry/frameworks.html", frameworks=rows, counts=counts,
                           may_manage=can(current_user, "registry.manage"))


@bp.route("/frameworks/<slug>")
def framework(slug: str):
    fw = framework_or_404(slug)
    counts = dict(db.session.execute(
        select(Membership.lot_id, func.count(Membership.id)).join(Lot, Lot.id == Membership.lot_id)
        .where(Lot.framework_id == fw.id, Membership.status == "admitted").group_by(Membership.lot_id)
    ).all())
    return render_template("registry/framework.html", framework=fw, counts=counts,
                           may_manage=can(current_user, "registry.manage"),
                           may_oversee=can(current_user, "governance.oversee"))


def lot_or_404(fw: Framework, number: int) -> Lot:
    lot = next((l for l in fw.lots if l.number == number), None)
    if lot is None:
        abort(404)
    return lot


@bp.route("/frameworks/<slug>/lots/<int:number>")
def lot(slug: str, number: int):
    fw = framework_or_404(slug)
    lot_ = lot_or_404(fw, number)
    may_manage = can(current_user, "registry.manage")
    stmt = select(Membership).where(Membership.lot_id == lot_.id).join(
        Organisation, Organisation.id == Membership.organisation_id).order_by(Organisation.name)
    if not may_manage:
        stmt = stmt.where(Membership.status.in_(("admitted", "suspended")))
    memberships = db.session.execute(stmt).unique().scalars().all()
    return render_template("registry/lot.html", framework=fw, lot=lot_, memberships=memberships,
                           may_manage=may_manage)


@bp.route("/exemplars")
def exemplars():
    memberships = db.session.execute(
        select(Membership).where(Membership.status == "admitted")
        .join(Lot, Lot.id == Membership.lot_id).join(Framework, Framework.id == Lot.framework_id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(Framework.status != "draft")
        .order_by(Framework.name, Lot.number, Organisation.name)
    ).unique().scalars().all()
    if request.args.get("format") == "csv":
        return csv_response("exemplars.csv", ["framework", "lot", "ods_code", "organisation", "name_at_admission",
                                              "admitted_on"],
                            ([m.lot.framework.name, m.lot.label, m.organisation.ods_code, m.organisation.display_name,
                              m.name_at_admission, m.admitted_on] for m in memberships))
    return render_template("registry/exemplars.html", memberships=memberships)


from . import admin  # noqa: E402,F401  (admin routes on the same blueprint)
from app.api import registry_io  # noqa: E402,F401  (imports/exports: `flask registry import ...`, upload pages)
