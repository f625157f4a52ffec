"""The register through the JSON API: public reads, and deployments for the commercial team."""
from __future__ import annotations

from flask import url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.querying import like_pattern
from app.registry import services as registry
from app.registry.models import Deployment, Framework, Lot, Membership, Organisation, Supplier, System
from app.registry.vocab import (
    CONFIDENCE,
    DEPLOYMENT_STATUSES,
    FRAMEWORK_STATUSES,
    MEMBERSHIP_STATUSES,
    ORG_KINDS,
    SYSTEM_CATEGORIES,
    TRUST_TYPES,
)
from app.web import commit

from . import serializers as ser
from .core import (
    ApiError,
    allow,
    api_user,
    body_date,
    body_str,
    json_body,
    ok,
    paginate_list,
    paginated,
    require_write,
    str_arg,
)
from .views import v1
from app.accounts.permissions import can

PUBLIC_MEMBERSHIP = ("admitted", "suspended")


@v1.get("/organisations")
def organisations():
    allow("registry.view")
    q, kind = str_arg("q"), str_arg("kind", ORG_KINDS)
    trust_type, region, icb = str_arg("type", TRUST_TYPES), str_arg("region", max_length=10), str_arg("icb", max_length=10)
    stmt = select(Organisation)
    if q:
        pattern = like_pattern(q)
        stmt = stmt.where(or_(Organisation.name.ilike(pattern, escape="\\"),
                              Organisation.ods_code.ilike(pattern, escape="\\")))
    if kind:
        stmt = stmt.where(Organisation.kind == kind)
    if trust_type:
        stmt = stmt.where(Organisation.trust_type == trust_type)
    if region:
        r = aliased(Organisation)
        stmt = stmt.join(r, Organisation.region_id == r.id).where(r.ods_code == region.upper())
    if icb:
        i = aliased(Organisation)
        stmt = stmt.join(i, Organisation.icb_id == i.id).where(i.ods_code == icb.upper())
    return ok(paginated(stmt.order_by(Organisation.ods_code), ser.organisation))


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


@v1.get("/organisations/<ods_code>")
def organisation(ods_code: str):
    allow("registry.view")
    org = _org_or_404(ods_code)
    deployments = db.session.execute(
        select(Deployment).where(Deployment.organisation_id == org.id).order_by(Deployment.id)).unique().scalars()
    memberships = db.session.execute(_public_memberships(
        select(Membership).where(Membership.organisation_id == org.id)).order_by(Membership.id)).unique().scalars()
    data = ser.organisation(org)
    data["deployments"] = [ser.deployment(d) for d in deployments]
    data["memberships"] = [ser.membership(m) for m in memberships]
    return ok(data)


@v1.get("/suppliers")
def suppliers():
    allow("registry.view")
    rows = db.session.execute(select(Supplier).order_by(Supplier.name, Supplier.id)).scalars().all()
    return ok(paginate_list(rows, ser.supplier))


@v1.get("/suppliers/<slug>")
def supplier(slug: str):
    allow("registry.view")
    s = db.session.execute(select(Supplier).where(Supplier.slug == slug)).scalar_one_or_none()
    if s is None:
        raise ApiError(404, "No supplier has this slug.")
    data = ser.supplier(s, systems=False)
    data["systems"] = [ser.system(x) for x in s.systems]
    return ok(data)


def _live_counts() -> dict[int, int]:
    return dict(db.session.execute(
        select(Deployment.system_id, func.count(func.distinct(Deployment.organisation_id)))
        .where(Deployment.status.in_(("live", "retiring"))).group_by(Deployment.system_id)).all())


@v1.get("/systems")
def systems():
    allow("registry.view")
    category, supplier_slug = str_arg("category", SYSTEM_CATEGORIES), str_arg("supplier", max_length=60)
    stmt = select(System).order_by(System.category, System.name, System.id)
    if category:
        stmt = stmt.where(System.category == category)
    if supplier_slug:
        stmt = stmt.join(Supplier, Supplier.id == System.supplier_id).where(Supplier.slug == supplier_slug)
    counts = _live_counts()
    return ok(paginated(stmt, lambda s: ser.system(s, counts.get(s.id, 0))))


@v1.get("/systems/<slug>")
def system(slug: str):
    allow("registry.view")
    s = db.session.execute(select(System).where(System.slug == slug)).unique().scalar_one_or_none()
    if s is None:
        raise ApiError(404, "No system has this slug.")
    return ok(ser.system(s, _live_counts().get(s.id, 0)))


@v1.get("/deployments")
def deployments():
    allow("registry.view")
    org, system_slug = str_arg("organisation", max_length=10), str_arg("system", max_length=60)
    status, confidence = str_arg("status", DEPLOYMENT_STATUSES), str_arg("confidence", CONFIDENCE)
    stmt = select(Deployment).order_by(Deployment.id)
    if org:
        stmt = stmt.join(Organisation, Organisation.id == Deployment.organisation_id) \
            .where(Organisation.ods_code == org.upper())
    if system_slug:
        stmt = stmt.join(System, System.id == Deployment.system_id).where(System.slug == system_slug)
    if status:
        stmt = stmt.where(Deployment.status == status)
    if confidence:
        stmt = stmt.where(Deployment.confidence == confidence)
    return ok(paginated(stmt, ser.deployment))


@v1.get("/deployments/<int:deployment_id>")
def deployment(deployment_id: int):
    allow("registry.view")
    dep = db.session.get(Deployment, deployment_id)
    if dep is None:
        raise ApiError(404, "No deployment has this id.")
    return ok(ser.deployment(dep))


@v1.post("/deployments")
def create_deployment():
    require_write()
    allow("registry.manage")
    body = json_body()
    ods_code = body_str(body, "organisation", required=True, max_length=10)
    slug = body_str(body, "system", required=True, max_length=60)
    status = body_str(body, "status", required=True, max_length=20)
    if status not in DEPLOYMENT_STATUSES:
        raise ApiError(422, f"status must be one of: {', '.join(DEPLOYMENT_STATUSES)}.", "status")
    confidence = body_str(body, "confidence", max_length=10) or "unrated"
    if confidence not in CONFIDENCE:
        raise ApiError(422, f"confidence must be one of: {', '.join(CONFIDENCE)}.", "confidence")
    source_url = body_str(body, "source_url", required=True, max_length=500)
    if not source_url.lower().startswith(("https://", "http://")):
        raise ApiError(422, "source_url must be a web address starting with https://.", "source_url")
    org = db.session.execute(select(Organisation).where(Organisation.ods_code == ods_code.upper())).unique() \
        .scalar_one_or_none()
    if org is None:
        raise ApiError(422, f"No organisation has ODS code {ods_code}.", "organisation")
    system_ = db.session.execute(select(System).where(System.slug == slug)).unique().scalar_one_or_none()
    if system_ is None:
        raise ApiError(422, f"No system has the slug {slug}.", "system")
    dep = registry.add_deployment(
        org, system_, status=status, confidence=confidence, since=body_date(body, "since"),
        until=body_date(body, "until"), source_url=source_url, notes=body_str(body, "notes"),
        source_text="Entered through the API", actor=api_user())
    commit()
    return ok(ser.deployment(dep), 201, {"Location": url_for("api.v1.deployment", deployment_id=dep.id)})


@v1.post("/deployments/<int:deployment_id>/end")
def end_deployment(deployment_id: int):
    require_write()
    allow("registry.manage")
    dep = db.session.get(Deployment, deployment_id)
    if dep is None:
        raise ApiError(404, "No deployment has this id.")
    body = json_body()
    until = body_date(body, "until", required=True)
    reason = body_str(body, "reason", required=True)
    registry.end_deployment(dep, until=until, reason=reason, actor=api_user())
    commit()
    return ok(ser.deployment(dep))


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


@v1.get("/frameworks")
def frameworks():
    allow("registry.view")
    status = str_arg("status", FRAMEWORK_STATUSES)
    stmt = _visible_frameworks()
    if status:
        stmt = stmt.where(Framework.status == status)
    return ok(paginated(stmt, ser.framework))


@v1.get("/frameworks/<slug>")
def framework(slug: str):
    allow("registry.view")
    fw = _framework_or_404(slug)
    return ok(ser.framework(fw, _admitted_counts(fw.id), detail=True))


def _lot_or_404(fw: Framework, number: int) -> Lot:
    lot = next((l for l in fw.lots if l.number == number), None)
    if lot is None:
        raise ApiError(404, "This framework has no lot with this number.")
    return lot


@v1.get("/frameworks/<slug>/lots")
def lots(slug: str):
    allow("registry.view")
    fw = _framework_or_404(slug)
    counts = _admitted_counts(fw.id)
    return ok(paginate_list(list(fw.lots), lambda l: ser.lot(l, counts.get(l.id, 0))))


@v1.get("/frameworks/<slug>/lots/<int:number>")
def lot(slug: str, number: int):
    allow("registry.view")
    fw = _framework_or_404(slug)
    lot_ = _lot_or_404(fw, number)
    data = ser.lot(lot_, _admitted_counts(fw.id).get(lot_.id, 0))
    members = db.session.execute(_public_memberships(
        select(Membership).where(Membership.lot_id == lot_.id)).order_by(Membership.id)).unique().scalars()
    data["memberships"] = [ser.membership(m) for m in members]
    return ok(data)


@v1.get("/memberships")
def memberships():
    allow("registry.view")
    fw_slug, status = str_arg("framework", max_length=60), str_arg("status", MEMBERSHIP_STATUSES)
    org = str_arg("organisation", max_length=10)
    stmt = _public_memberships(select(Membership))
    if fw_slug:
        fw = _framework_or_404(fw_slug)
        stmt = stmt.where(Membership.lot_id.in_([l.id for l in fw.lots]))
    if status:
        stmt = stmt.where(Membership.status == status)
    if org:
        o = aliased(Organisation)
        stmt = stmt.join(o, o.id == Membership.organisation_id).where(o.ods_code == org.upper())
    return ok(paginated(stmt.order_by(Membership.id), ser.membership))


@v1.get("/me")
def me():
    """Who the token belongs to: a cheap way for a client to check its token."""
    user = api_user()
    if user is None:
        raise ApiError(401, "Send a token with ‘Authorization: Bearer <token>’.")
    from flask import g

    token = g.api_token
    return ok({"email": user.email, "name": user.name, "organisation": user.organisation.ods_code,
               "roles": sorted(user.roles), "token": {"prefix": token.prefix, "name": token.name,
                                                      "scope": token.scope}})
