"""The register through the JSON API: public reads, and deployments for the commercial team."""
from __future__ import annotations

from flask import g, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from app.accounts.permissions import can
from app.extensions import db
from app.web.querying import like_pattern
from app.registry import services as registry
from app.registry.models import Deployment, Framework, Lot, Membership, Organisation, Supplier, System
from app.web import commit

from . import registry_schemas as s
from . import serializers as ser
from .blueprint import v1
from .core import ApiError, api_user, needs, needs_token, paginate_list, paginated, writes

TAGS = ["Register"]
PUBLIC_MEMBERSHIP = ("admitted", "suspended")



@v1.route("/organisations", tags=TAGS)
@needs("registry.view")
@v1.arguments(s.OrganisationQuery, location="query")
@v1.response(200, s.OrganisationPage)
def organisations(args):
    """Organisations (trusts, ICBs, regions), by ODS code

    Filter by words in the name or ODS code (`q`), kind, trust type, region or ICB.
    """
    stmt = select(Organisation)
    if q := args.get("q"):
        pattern = like_pattern(q)
        stmt = stmt.where(or_(Organisation.name.ilike(pattern, escape="\\"),
                              Organisation.ods_code.ilike(pattern, escape="\\")))
    if kind := args.get("kind"):
        stmt = stmt.where(Organisation.kind == kind)
    if trust_type := args.get("type"):
        stmt = stmt.where(Organisation.trust_type == trust_type)
    if region := args.get("region"):
        r = aliased(Organisation)
        stmt = stmt.join(r, Organisation.region_id == r.id).where(r.ods_code == region.upper())
    if icb := args.get("icb"):
        i = aliased(Organisation)
        stmt = stmt.join(i, Organisation.icb_id == i.id).where(i.ods_code == icb.upper())
    return paginated(stmt.order_by(Organisation.ods_code), ser.organisation, args)


def _org_or_404(ods_code: str) -> Organisation:
    org = db.session.execute(
        select(Organisation).where(Organisation.ods_code == ods_code.upper()[:10])).unique().scalar_one_or_none()
    if org is None:
        raise ApiError(404, f"No organisation has ODS code {ods_code[:10]}.")
    return org


def _public_memberships(stmt):
    if not can(api_user(), "registry.manage"):
        stmt = stmt.join(Lot, Lot.id == Membership.lot_id).join(Framework, Framework.id == Lot.framework_id) \
            .where(Membership.status.in_(PUBLIC_MEMBERSHIP), Framework.status != "draft")
    return stmt


@v1.route("/organisations/<ods_code>", tags=TAGS)
@needs("registry.view")
@v1.response(200, s.OrganisationDetail)
def organisation(ods_code: str):
    """One organisation with its deployments and memberships

    Memberships are the public ones (admitted and suspended) unless the token's user is on the
    commercial team.
    """
    org = _org_or_404(ods_code)
    deployments = db.session.execute(
        select(Deployment).where(Deployment.organisation_id == org.id).order_by(Deployment.id)).unique().scalars()
    memberships = db.session.execute(_public_memberships(
        select(Membership).where(Membership.organisation_id == org.id)).order_by(Membership.id)).unique().scalars()
    data = ser.organisation(org)
    data["deployments"] = [ser.deployment(d) for d in deployments]
    data["memberships"] = [ser.membership(m) for m in memberships]
    return data


@v1.route("/suppliers", tags=TAGS)
@needs("registry.view")
@v1.arguments(s.Paged, location="query")
@v1.response(200, s.SupplierPage)
def suppliers(args):
    """Suppliers

    Every supplier of a clinical system in the register, by name, with the slugs of its systems.
    """
    rows = db.session.execute(select(Supplier).order_by(Supplier.name, Supplier.id)).scalars().all()
    return paginate_list(rows, ser.supplier, args)


@v1.route("/suppliers/<slug>", tags=TAGS)
@needs("registry.view")
@v1.response(200, s.SupplierDetail)
def supplier(slug: str):
    """One supplier with its systems

    The supplier's systems in full, as `GET /systems/{slug}` gives them.
    """
    found = db.session.execute(select(Supplier).where(Supplier.slug == slug)).scalar_one_or_none()
    if found is None:
        raise ApiError(404, "No supplier has this slug.")
    data = ser.supplier(found, systems=False)
    data["systems"] = [ser.system(x) for x in found.systems]
    return data


def _live_counts() -> dict[int, int]:
    return dict(db.session.execute(
        select(Deployment.system_id, func.count(func.distinct(Deployment.organisation_id)))
        .where(Deployment.status.in_(("live", "retiring"))).group_by(Deployment.system_id)).all())


@v1.route("/systems", tags=TAGS)
@needs("registry.view")
@v1.arguments(s.SystemQuery, location="query")
@v1.response(200, s.SystemPage)
def systems(args):
    """Clinical systems

    By category and name; `live_organisations` counts the organisations running each one live
    (or retiring it).
    """
    stmt = select(System).order_by(System.category, System.name, System.id)
    if category := args.get("category"):
        stmt = stmt.where(System.category == category)
    if supplier_slug := args.get("supplier"):
        stmt = stmt.join(Supplier, Supplier.id == System.supplier_id).where(Supplier.slug == supplier_slug)
    counts = _live_counts()
    return paginated(stmt, lambda x: ser.system(x, counts.get(x.id, 0)), args)


@v1.route("/systems/<slug>", tags=TAGS)
@needs("registry.view")
@v1.response(200, s.System)
def system(slug: str):
    """One system

    With the number of organisations running it live (or retiring it).
    """
    found = db.session.execute(select(System).where(System.slug == slug)).unique().scalar_one_or_none()
    if found is None:
        raise ApiError(404, "No system has this slug.")
    return ser.system(found, _live_counts().get(found.id, 0))


@v1.route("/deployments", tags=TAGS)
@needs("registry.view")
@v1.arguments(s.DeploymentQuery, location="query")
@v1.response(200, s.DeploymentPage)
def deployments(args):
    """Deployments: which trust runs which system

    A partial, sourced map: each deployment keeps its status, dates, source and confidence.
    """
    stmt = select(Deployment).order_by(Deployment.id)
    if org := args.get("organisation"):
        stmt = stmt.join(Organisation, Organisation.id == Deployment.organisation_id) \
            .where(Organisation.ods_code == org.upper())
    if system_slug := args.get("system"):
        stmt = stmt.join(System, System.id == Deployment.system_id).where(System.slug == system_slug)
    if status := args.get("status"):
        stmt = stmt.where(Deployment.status == status)
    if confidence := args.get("confidence"):
        stmt = stmt.where(Deployment.confidence == confidence)
    return paginated(stmt, ser.deployment, args)


def _deployment_or_404(deployment_id: int) -> Deployment:
    dep = db.session.get(Deployment, deployment_id)
    if dep is None:
        raise ApiError(404, "No deployment has this id.")
    return dep


@v1.route("/deployments/<int:deployment_id>", tags=TAGS)
@needs("registry.view")
@v1.response(200, s.Deployment)
def deployment(deployment_id: int):
    """One deployment

    With its source and how confident the register is of it.
    """
    return ser.deployment(_deployment_or_404(deployment_id))


@v1.route("/deployments", methods=["POST"], tags=TAGS)
@writes("registry.manage")
@v1.arguments(s.DeploymentInput)
@v1.response(201, s.Deployment, headers={"Location": {"schema": {"type": "string"},
                                                      "description": "The new deployment"}})
def create_deployment(data):
    """Record a deployment

    Commercial team, with a write token. The organisation and system must be in the register.
    """
    org = db.session.execute(select(Organisation).where(Organisation.ods_code == data["organisation"].upper())) \
        .unique().scalar_one_or_none()
    if org is None:
        raise ApiError(422, f"No organisation has ODS code {data['organisation']}.", "organisation")
    system_ = db.session.execute(select(System).where(System.slug == data["system"])).unique().scalar_one_or_none()
    if system_ is None:
        raise ApiError(422, f"No system has the slug {data['system']}.", "system")
    dep = registry.add_deployment(
        org, system_, status=data["status"], confidence=data.get("confidence") or "unrated",
        since=data.get("since"), until=data.get("until"), source_url=data["source_url"], notes=data.get("notes"),
        source_text="Entered through the API", actor=api_user())
    commit()
    return ser.deployment(dep), 201, {"Location": url_for("api.v1.deployment", deployment_id=dep.id)}


@v1.route("/deployments/<int:deployment_id>/end", methods=["POST"], tags=TAGS)
@writes("registry.manage")
@v1.arguments(s.EndDeploymentInput)
@v1.response(200, s.Deployment)
def end_deployment(data, deployment_id: int):
    """End a deployment

    Commercial team, with a write token: the date it ended and why. Ending it twice is a 409.
    """
    dep = _deployment_or_404(deployment_id)
    registry.end_deployment(dep, until=data["until"], reason=data["reason"], actor=api_user())
    commit()
    return ser.deployment(dep)


def _visible_frameworks():
    stmt = select(Framework).order_by(Framework.starts_on.desc().nullslast(), Framework.name, Framework.id)
    if not can(api_user(), "registry.view_drafts"):
        stmt = stmt.where(Framework.status != "draft")
    return stmt


def _framework_or_404(slug: str) -> Framework:
    fw = db.session.execute(select(Framework).where(Framework.slug == slug)).scalar_one_or_none()
    if fw is None or (fw.status == "draft" and not can(api_user(), "registry.view_drafts")):
        raise ApiError(404, "No framework has this slug.")
    return fw


def _admitted_counts(framework_id: int | None = None) -> dict[int, int]:
    stmt = select(Membership.lot_id, func.count(Membership.id)).where(Membership.status == "admitted") \
        .group_by(Membership.lot_id)
    if framework_id is not None:
        stmt = stmt.join(Lot, Lot.id == Membership.lot_id).where(Lot.framework_id == framework_id)
    return dict(db.session.execute(stmt).all())


@v1.route("/frameworks", tags=TAGS)
@needs("registry.view")
@v1.arguments(s.FrameworkQuery, location="query")
@v1.response(200, s.FrameworkPage)
def frameworks(args):
    """Frameworks

    Newest first. Drafts only for the commercial team and auditors.
    """
    stmt = _visible_frameworks()
    if status := args.get("status"):
        stmt = stmt.where(Framework.status == status)
    return paginated(stmt, ser.framework, args)


@v1.route("/frameworks/<slug>", tags=TAGS)
@needs("registry.view")
@v1.response(200, s.FrameworkDetail)
def framework(slug: str):
    """One framework with its call-off rules and lots

    The rules every call-off under it follows (quality weighting, invitees, days), its award
    criteria and its lots with the number of admitted exemplars.
    """
    fw = _framework_or_404(slug)
    return ser.framework(fw, _admitted_counts(fw.id), detail=True)


def _lot_or_404(fw: Framework, number: int) -> Lot:
    lot_ = next((x for x in fw.lots if x.number == number), None)
    if lot_ is None:
        raise ApiError(404, "This framework has no lot with this number.")
    return lot_


@v1.route("/frameworks/<slug>/lots", tags=TAGS)
@needs("registry.view")
@v1.arguments(s.Paged, location="query")
@v1.response(200, s.LotPage)
def lots(args, slug: str):
    """The lots of a framework

    With the number of exemplars admitted to each.
    """
    fw = _framework_or_404(slug)
    counts = _admitted_counts(fw.id)
    return paginate_list(list(fw.lots), lambda x: ser.lot(x, counts.get(x.id, 0)), args)


@v1.route("/frameworks/<slug>/lots/<int:number>", tags=TAGS)
@needs("registry.view")
@v1.response(200, s.LotDetail)
def lot(slug: str, number: int):
    """One lot with its exemplars

    Its memberships: the public ones (admitted and suspended) unless the token's user is on the
    commercial team.
    """
    fw = _framework_or_404(slug)
    lot_ = _lot_or_404(fw, number)
    data = ser.lot(lot_, _admitted_counts(fw.id).get(lot_.id, 0))
    members = db.session.execute(_public_memberships(
        select(Membership).where(Membership.lot_id == lot_.id)).order_by(Membership.id)).unique().scalars()
    data["memberships"] = [ser.membership(m) for m in members]
    return data


@v1.route("/memberships", tags=TAGS)
@needs("registry.view")
@v1.arguments(s.MembershipQuery, location="query")
@v1.response(200, s.MembershipPage)
def memberships(args):
    """Exemplar memberships

    Admitted and suspended ones; every status (applications too) for the commercial team.
    """
    stmt = _public_memberships(select(Membership))
    if fw_slug := args.get("framework"):
        fw = _framework_or_404(fw_slug)
        stmt = stmt.where(Membership.lot_id.in_([x.id for x in fw.lots]))
    if status := args.get("status"):
        stmt = stmt.where(Membership.status == status)
    if org := args.get("organisation"):
        o = aliased(Organisation)
        stmt = stmt.join(o, o.id == Membership.organisation_id).where(o.ods_code == org.upper())
    return paginated(stmt.order_by(Membership.id), ser.membership, args)


@v1.route("/me", tags=["Tokens"])
@needs_token()
@v1.response(200, s.Me)
def me():
    """The token's user

    Whose token it is and what it may do: a cheap way for a client to check its token.
    """
    user, token = api_user(), g.api_token
    return {"email": user.email, "name": user.name, "organisation": user.organisation.ods_code,
            "roles": sorted(user.roles), "token": {"prefix": token.prefix, "name": token.name, "scope": token.scope}}
