"""The register's organisations, suppliers and systems: the public pages, and the commercial team's
pages to add and end a trust's deployment of a system."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.permissions import can, require
from app.errors import DomainError
from app.extensions import db
from app.web import commit
from app.web.exports import csv_response
from app.web.formerrors import show_on_form
from app.web.pagecache import fragment
from app.web.querying import get_or_404, paginate

from .. import bp, services
from ..aliases import described, name_match, other_names
from ..models import Deployment, Membership, NoSystemFinding, Organisation, Supplier, System
from ..queries import OrgFilters, trusts_query
from ..vocab import SYSTEM_CATEGORIES, TRUST_TYPES
from .forms import DeploymentForm, EndDeploymentForm


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
        # The shared export vocabulary (docs/exports.md): codes with their words, names as pages show them.
        return csv_response("organisations.csv",
                            ["ods_code", "name", "official_name", "kind", "trust_type", "trust_type_name", "region",
                             "region_name", "icb", "icb_name", "town", "postcode", "opened_on"],
                            ([o.ods_code, o.display_name, o.name, o.kind, o.trust_type, TRUST_TYPES.get(o.trust_type),
                              o.region.ods_code if o.region else None, o.region.display_name if o.region else None,
                              o.icb.ods_code if o.icb else None, o.icb.display_name if o.icb else None, o.town,
                              o.postcode, o.opened_on] for o in rows))

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
    others = other_names(supplier_ids=[s.id for s, _n in rows])
    q, rows, why = _by_name(rows, others, "supplier")
    return render_template("registry/suppliers.html", rows=rows, q=q, why=why,
                           others={k: described(v) for k, v in others.items()})


def _by_name(rows, others, kind: str):
    """The rows whose name or other name (former names too: Cerner finds Oracle Health) has the
    words of ?q=, and why each matched."""
    q = " ".join(str(request.args.get("q") or "").split())[:100]
    if not q:
        return q, rows, {}
    why, kept = {}, []
    for row in rows:
        reason = name_match(q, row[0].name, others.get((kind, row[0].id), []))
        if reason is not None:
            kept.append(row)
            why[row[0].id] = reason
    return q, kept, why


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
    others = other_names(system_ids=[s.id for s, _n in rows])
    q, rows, why = _by_name(rows, others, "system")
    if request.args.get("format") == "csv":
        return csv_response("systems.csv", ["slug", "name", "supplier", "supplier_name", "category", "category_name",
                                            "standards", "live_organisations"],
                            ([s.slug, s.name, s.supplier.slug, s.supplier.name, s.category,
                              SYSTEM_CATEGORIES.get(s.category), "; ".join(s.standards), n] for s, n in rows))
    return render_template("registry/systems.html", rows=rows, q=q, why=why,
                           others={k: described(v) for k, v in others.items()})


@bp.route("/systems/<slug>")
def system(slug: str):
    sys_ = get_or_404(System, slug=slug)
    deployments = db.session.execute(
        select(Deployment).where(Deployment.system_id == sys_.id)
        .join(Organisation, Organisation.id == Deployment.organisation_id)
        .order_by(Deployment.status, Organisation.name)
    ).unique().scalars().all()
    return render_template("registry/system.html", system=sys_, deployments=deployments)


@bp.route("/organisations/<ods_code>/deployments/new", methods=["GET", "POST"])
def new_deployment(ods_code: str):
    require("registry.manage")
    org = get_or_404(Organisation, ods_code=ods_code.upper())
    form = DeploymentForm()
    systems = db.session.execute(select(System).order_by(System.name)).unique().scalars().all()
    form.system.choices = [("", "Choose a system")] + [(s.slug, f"{s.name} ({s.supplier.name})") for s in systems]
    if form.validate_on_submit():
        system = next(s for s in systems if s.slug == form.system.data) if any(
            s.slug == form.system.data for s in systems) else None
        if system is None:
            form.system.errors = ["Choose a system from the list"]
        else:
            try:
                services.add_deployment(org, system, status=form.status.data, confidence=form.confidence.data,
                                        since=form.since.data, until=form.until.data,
                                        source_url=form.source_url.data, notes=form.notes.data or None,
                                        source_text="Entered by the commercial team")
                commit()
                flash(f"{system.name} recorded for {org.display_name}.", "success")
                return redirect(url_for("registry.organisation", ods_code=org.ods_code))
            except DomainError as e:
                show_on_form(form, e)
    return render_template("registry/deployment_form.html", form=form, org=org)


@bp.route("/deployments/<int:deployment_id>/end", methods=["GET", "POST"])
def end_deployment(deployment_id: int):
    require("registry.manage")
    dep = db.get_or_404(Deployment, deployment_id)
    form = EndDeploymentForm()
    if form.validate_on_submit():
        try:
            services.end_deployment(dep, until=form.until.data, reason=form.reason.data)
            commit()
            flash(f"{dep.system.name} at {dep.organisation.display_name} marked as ended.", "success")
            return redirect(url_for("registry.organisation", ods_code=dep.organisation.ods_code))
        except DomainError as e:
            show_on_form(form, e)
    return render_template("registry/end_deployment.html", form=form, deployment=dep)
