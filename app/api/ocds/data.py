"""Loading what OCDS publishes from the database, as the plain dicts app/api/ocds/releases.py shapes.

Only public facts: frameworks that are not drafts, exemplar memberships once admitted (never
applications), and call-off competitions from publication on, their bids only after the
response deadline.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.registry.models import Framework, Membership, Organisation

from . import calloff_data, releases as ocds
from .ids import framework_ocid, prefix

PUBLISHER_ODS = "X24"  # NHS England runs the frameworks and publishes the data
PUBLIC_STEPS = frozenset(ocds.MEMBERSHIP_AWARD_STATUS)


def org_dict(o: Organisation) -> dict:
    return {"ods_code": o.ods_code, "name": o.display_name, "official_name": o.name}


def publisher_org() -> dict:
    org = db.session.execute(select(Organisation).where(Organisation.ods_code == PUBLISHER_ODS)).unique() \
        .scalar_one_or_none()
    return org_dict(org) if org else {"ods_code": PUBLISHER_ODS, "name": "NHS England"}


def _steps(m: Membership) -> list[tuple[datetime, str]]:
    """A membership's public history: (when, status), the first admission dated as announced."""
    steps = []
    admitted_seen = False
    for e in m.events:
        if e.to_status not in PUBLIC_STEPS:
            continue
        when = e.decided_at
        if e.to_status == "admitted" and not admitted_seen and m.admitted_on is not None:
            admitted_at = ocds.as_datetime(m.admitted_on)
            when = min(admitted_at, when) if when else admitted_at
        admitted_seen = admitted_seen or e.to_status == "admitted"
        steps.append((when, e.to_status))
    if not steps and m.status in PUBLIC_STEPS:  # made without events (e.g. imported data)
        steps.append((m.admitted_on or m.updated_at, m.status))
    return steps


def framework_facts(fw: Framework) -> dict:
    memberships = db.session.execute(
        select(Membership).where(Membership.lot_id.in_([l.id for l in fw.lots])).order_by(Membership.id)
    ).unique().scalars().all()
    return {
        "ocid": framework_ocid(fw.slug), "slug": fw.slug, "name": fw.name, "description": fw.description,
        "status": fw.status, "starts_on": fw.starts_on, "ends_on": fw.ends_on, "created_at": fw.created_at,
        "source_url": fw.source_url, "min_invitees": fw.min_invitees, "quality_weight_min": fw.quality_weight_min,
        "quality_weight_max": fw.quality_weight_max, "standstill_days": fw.standstill_days,
        "max_calloff_months": fw.max_calloff_months, "buyer": publisher_org(),
        "lots": [{"number": l.number, "name": l.name} for l in fw.lots],
        "memberships": [dict(org_dict(m.organisation), lot=m.lot.number, admitted_on=m.admitted_on,
                             steps=_steps(m)) for m in memberships],
    }


def public_frameworks() -> list[Framework]:
    return list(db.session.execute(
        select(Framework).where(Framework.status != "draft").order_by(Framework.id)).scalars())


def framework_releases() -> dict[str, list[dict]]:
    """ocid → releases, for every public framework."""
    return {framework_ocid(f.slug): ocds.framework_releases(framework_facts(f)) for f in public_frameworks()}


def all_releases() -> dict[str, list[dict]]:
    return {**framework_releases(), **calloff_data.calloff_releases()}


def releases_for(ocid: str) -> list[dict] | None:
    """The releases of one process, or None when no public process has this ocid."""
    if ocid.startswith(prefix() + "-fw-"):
        slug = ocid[len(prefix()) + 4:]
        fw = db.session.execute(select(Framework).where(Framework.slug == slug)).scalar_one_or_none()
        if fw is None or fw.status == "draft":
            return None
        return ocds.framework_releases(framework_facts(fw))
    if ocid.startswith(prefix() + "-co-"):
        return calloff_data.releases_for_competition(ocid[len(prefix()) + 4:])
    return None
