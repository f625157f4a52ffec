"""Changes to offers and to the capability catalogue. Each service checks the rules, changes
state, records the audit entry and flushes; the caller commits.

Projects and shortlists are in app/offers/projects/services.py.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from app import signals
from app.audit.services import record, snapshot
from app.concentration import market
from app.errors import DomainError, NotAllowed, Problems
from app.extensions import db
from app.models_base import utcnow
from app.registry.models import Deployment, Lot, Membership, Organisation, System

from .models import CapabilityCategory, Offer, OfferVersion
from .search import vocabulary
from .rules import check_offer_transition, diff_versions, edit_makes_new_version
from .text import links
from .vocab import PRICING_MODELS, VAT_TREATMENTS

#: Membership statuses that let a trust draft offers on a lot (publishing needs "admitted").
DRAFTING_STATUSES = ("applied", "admitted", "suspended")


@dataclass
class OfferContent:
    """What an exemplar writes in an offer (one version's content)."""

    title: str
    summary: str
    category: CapabilityCategory
    pricing_model: str
    price_pence: int
    vat: str
    capacity_per_quarter: int
    lead_time_weeks: int
    contact_name: str
    contact_email: str
    description: str = ""
    capacity_committed: int = 0
    systems: list[System] = field(default_factory=list)
    regions: list[Organisation] = field(default_factory=list)
    evidence_links: str = ""
    blueprint_links: str = ""


_SCALARS = ("title", "summary", "description", "pricing_model", "price_pence", "vat", "capacity_per_quarter",
            "capacity_committed", "lead_time_weeks", "evidence_links", "blueprint_links", "contact_name",
            "contact_email")


# ---------------------------------------------------------------------------
# Reading helpers the views and other domains use
# ---------------------------------------------------------------------------

def live_system_ids(organisation: Organisation) -> set[int]:
    """The systems an organisation runs live now (its sourced, current deployments)."""
    return set(db.session.execute(
        select(Deployment.system_id).where(Deployment.organisation_id == organisation.id,
                                           Deployment.status == "live", Deployment.historical.is_(False))
    ).scalars())


def membership_status(organisation_id: int, lot_id: int) -> str | None:
    """The organisation's membership status on the lot, or None."""
    return db.session.execute(
        select(Membership.status).where(Membership.organisation_id == organisation_id, Membership.lot_id == lot_id)
    ).scalar_one_or_none()


def is_visible(offer: Offer) -> bool:
    """Published, and its exemplar admitted to the offer's lot now: what the public may see."""
    return offer.status == "published" and membership_status(offer.organisation_id, offer.lot_id) == "admitted"


def version_values(v: OfferVersion) -> dict[str, Any]:
    """A version's content as plain values, for comparing versions and for audit entries."""
    values = {k: getattr(v, k) for k in _SCALARS}
    values["category"] = v.category.name if v.category else None
    values["systems"] = sorted(s.name for s in v.systems)
    values["regions"] = sorted(r.name for r in v.regions)
    return values


def version_history(offer: Offer) -> list[tuple[OfferVersion, list]]:
    """Each version of an offer, newest first, with what changed from the one before it."""
    versions = list(offer.versions)
    out = []
    previous = None
    for v in versions:
        values = version_values(v)
        out.append((v, diff_versions(previous, values)))
        previous = values
    return list(reversed(out))


# ---------------------------------------------------------------------------
# Offers
# ---------------------------------------------------------------------------

def _check_actor(actor, organisation_id: int) -> None:
    # Views check permissions first; this is the second line of defence.
    if actor is not None and getattr(actor, "organisation_id", None) != organisation_id:
        raise NotAllowed("You can only manage your own organisation's offers.")


def _clean(content: OfferContent) -> OfferContent:
    for k in ("title", "summary", "description", "contact_name", "contact_email", "evidence_links", "blueprint_links"):
        setattr(content, k, (getattr(content, k) or "").strip())
    return content


def content_problems(organisation: Organisation, c: OfferContent) -> list[tuple[str | None, str]]:
    """Every problem with an offer's content at once, as (field, message): the form shows them all
    on one submission. Tolerates what a form could not read (None): a value missing here is one
    the form has already said is wrong."""
    p = Problems()
    text = {k: (getattr(c, k) or "").strip() for k in ("title", "summary", "contact_name", "contact_email")}
    if not text["title"]:
        p.add("Enter a title.", "title")
    if not text["summary"]:
        p.add("Enter a summary.", "summary")
    if c.category is None or not c.category.active:
        p.add("Choose a capability from the catalogue.", "category")
    if c.pricing_model not in PRICING_MODELS:
        p.add("Choose a pricing model.", "pricing_model")
    if c.price_pence is None or c.price_pence < 0:
        p.add("Enter the price in pounds, £0 or more.", "price")
    if c.vat not in VAT_TREATMENTS:
        p.add("Choose how VAT applies to the price.", "vat")
    if c.capacity_per_quarter is None or c.capacity_per_quarter < 0:
        p.add("Followers you can take on per quarter must be 0 or more.", "capacity_per_quarter")
    if c.capacity_committed is None or c.capacity_committed < 0:
        p.add("Followers already committed this quarter must be 0 or more.", "capacity_committed")
    elif c.capacity_per_quarter is not None and c.capacity_committed > c.capacity_per_quarter:
        p.add("Followers already committed this quarter cannot be more than the followers you can take on "
              "per quarter.", "capacity_committed")
    if c.lead_time_weeks is None or c.lead_time_weeks < 0:
        p.add("Lead time must be 0 weeks or more.", "lead_time_weeks")
    for name in ("evidence_links", "blueprint_links"):
        value = getattr(c, name) or ""
        lines = [line.strip() for line in value.splitlines() if line.strip()]
        if len(links(value)) != len(lines):
            p.add("Enter one web address per line, each starting with https://", name)
    if any(r.kind != "region" for r in c.regions):
        p.add("Regions served must be NHS England regions.", "regions")
    if c.category is not None and c.category.system_specific and not c.systems:
        p.add(f"{c.category.name} is about a system: choose the system your trust runs.", "systems")
    runs = live_system_ids(organisation)
    strangers = [s.name for s in c.systems if s.id not in runs]
    if strangers:
        p.add(f"Your trust does not run {', '.join(sorted(strangers))} live in the register. "
              "Offers may name only systems your trust runs live.", "systems")
    if not text["contact_name"]:
        p.add("Enter a contact name.", "contact_name")
    if "@" not in text["contact_email"]:
        p.add("Enter a contact email address, like name@nhs.net.", "contact_email")
    return p.items


def _check_content(organisation: Organisation, c: OfferContent) -> None:
    problems = Problems()
    problems.items = content_problems(organisation, c)
    problems.raise_if_any()


def _search_text(organisation: Organisation, lot: Lot, c: OfferContent) -> str:
    """Words a searcher may use that the text may not contain."""
    parts = [c.category.name, organisation.name, organisation.ods_code, lot.name]
    for s in c.systems:
        parts += [s.name, s.supplier.name]
    parts += [r.name for r in c.regions]
    return " ".join(" ".join(parts).split())


def _fill(version: OfferVersion, offer_org: Organisation, lot: Lot, c: OfferContent) -> None:
    for k in _SCALARS:
        setattr(version, k, getattr(c, k))
    version.category = c.category
    version.systems = sorted(set(c.systems), key=lambda s: s.name)
    version.regions = sorted(set(c.regions), key=lambda r: r.name)
    version.search_text = _search_text(offer_org, lot, c)


def create_offer(organisation: Organisation, lot: Lot, content: OfferContent, *, actor=None) -> Offer:
    """Create a draft offer (version 1) for an exemplar trust on a lot it belongs to."""
    _check_actor(actor, organisation.id)
    if organisation.kind != "trust":
        raise DomainError("Only NHS trusts can offer services.")
    if membership_status(organisation.id, lot.id) not in DRAFTING_STATUSES:
        raise DomainError("Your trust is not a member of this lot.", field="lot")
    c = _clean(content)
    _check_content(organisation, c)
    offer = Offer(organisation=organisation, lot=lot, status="draft", created_at=utcnow(), updated_at=utcnow())
    db.session.add(offer)
    version = OfferVersion(offer=offer, number=1, created_at=utcnow(), created_by_id=getattr(actor, "id", None))
    _fill(version, organisation, lot, c)
    db.session.add(version)
    db.session.flush()
    offer.current_version = version
    record("offer.create", offer, after={**snapshot(offer), "version": version_values(version)},
           summary=f"{organisation.ods_code} drafted offer ‘{version.title}’", actor=actor)
    return offer


def update_offer(offer: Offer, content: OfferContent, *, actor=None) -> OfferVersion:
    """Change an offer's content. An offer that has ever been published gets a new version (the
    old one stays for those who saw it); a draft never published is changed in place. Saving
    with nothing changed changes nothing."""
    _check_actor(actor, offer.organisation_id)
    c = _clean(content)
    _check_content(offer.organisation, c)
    current = offer.current_version
    before = version_values(current)
    after = {**{k: getattr(c, k) for k in _SCALARS}, "category": c.category.name,
             "systems": sorted(s.name for s in c.systems), "regions": sorted(r.name for r in c.regions)}
    changes = diff_versions(before, after)
    if not changes:
        return current
    words_before = vocabulary.version_words(current) if offer.status == "published" else set()
    if edit_makes_new_version(offer.ever_published):
        number = (db.session.execute(select(func.max(OfferVersion.number)).where(OfferVersion.offer_id == offer.id))
                  .scalar_one() or 0) + 1
        version = OfferVersion(offer=offer, number=number, created_at=utcnow(), created_by_id=getattr(actor, "id", None))
        _fill(version, offer.organisation, offer.lot, c)
        db.session.add(version)
        db.session.flush()
        offer.current_version = version
    else:
        version = current
        _fill(version, offer.organisation, offer.lot, c)
    offer.updated_at = utcnow()
    if offer.status == "published":  # the spelling vocabulary follows the published text
        words_after = vocabulary.version_words(version)
        vocabulary.count_words(words_before - words_after, -1)
        vocabulary.count_words(words_after - words_before, +1)
    record("offer.update", offer, before={"version": before}, after={"version": version_values(version),
                                                                      "version_number": version.number},
           summary=f"Offer ‘{version.title}’ v{version.number}: changed {', '.join(ch.label for ch in changes)}",
           actor=actor)
    signals.data_changed.send("offer")
    return version


def publish_offer(offer: Offer, *, actor=None) -> Offer:
    """Publish a draft or withdrawn offer. Only an exemplar admitted to the offer's lot may."""
    _check_actor(actor, offer.organisation_id)
    check_offer_transition(offer.status, "published")
    status = membership_status(offer.organisation_id, offer.lot_id)
    if status != "admitted":
        raise DomainError(f"Only an exemplar admitted to {offer.lot.label} can publish offers on it "
                          f"(your trust is {status or 'not a member'}).")
    if offer.lot.framework.status in ("draft", "expired"):
        raise DomainError(f"The framework is {offer.lot.framework.status}: offers on it cannot be published.")
    before = snapshot(offer)
    offer.status = "published"
    now = utcnow()
    offer.published_at = offer.published_at or now
    offer.withdrawn_at = None
    offer.updated_at = now
    vocabulary.count_version(offer.current_version, +1)
    record("offer.publish", offer, before=before, after=snapshot(offer),
           summary=f"Published offer ‘{offer.current_version.title}’ v{offer.current_version.number}", actor=actor)
    # Declared capacity of published offers feeds the concentration figures (exemplar load).
    signals.data_changed.send("offer")
    return offer


def withdraw_offer(offer: Offer, *, reason: str = "", actor=None) -> Offer:
    """Take a published offer out of search. Shortlists keep the version they saw."""
    _check_actor(actor, offer.organisation_id)
    check_offer_transition(offer.status, "withdrawn")
    before = snapshot(offer)
    offer.status = "withdrawn"
    offer.withdrawn_at = utcnow()
    offer.updated_at = offer.withdrawn_at
    vocabulary.count_version(offer.current_version, -1)
    record("offer.withdraw", offer, before=before, after=snapshot(offer),
           summary=f"Withdrew offer ‘{offer.current_version.title}’" + (f": {reason.strip()}" if reason.strip() else ""),
           actor=actor)
    signals.data_changed.send("offer")
    return offer


# ---------------------------------------------------------------------------
# The capability catalogue
# ---------------------------------------------------------------------------

def _slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:60] or "capability"


def create_category(*, name: str, description: str = "", system_specific: bool = False, actor=None) -> CapabilityCategory:
    """Add a capability to the catalogue."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name.", field="name")
    slug = _slugify(name)
    taken = db.session.execute(select(CapabilityCategory.id).where(
        (CapabilityCategory.slug == slug) | (func.lower(CapabilityCategory.name) == name.lower()))).first()
    if taken:
        raise DomainError("The catalogue already has a capability with this name.", field="name")
    position = (db.session.execute(select(func.max(CapabilityCategory.position))).scalar_one() or 0) + 1
    cat = CapabilityCategory(slug=slug, name=name, description=(description or "").strip(),
                             system_specific=bool(system_specific), position=position, active=True)
    db.session.add(cat)
    record("capability.create", cat, after=snapshot(cat), summary=f"Added capability ‘{name}’", actor=actor)
    return cat


def update_category(cat: CapabilityCategory, *, name: str, description: str, system_specific: bool,
                    active: bool, actor=None) -> CapabilityCategory:
    """Rename, describe, or retire a capability (a retired one cannot be chosen for new content;
    offers that use it keep it). The slug stays, so saved searches keep working."""
    name = " ".join((name or "").split())
    if not name:
        raise DomainError("Enter a name.", field="name")
    clash = db.session.execute(select(CapabilityCategory.id).where(
        func.lower(CapabilityCategory.name) == name.lower(), CapabilityCategory.id != cat.id)).first()
    if clash:
        raise DomainError("The catalogue already has a capability with this name.", field="name")
    before = snapshot(cat)
    cat.name, cat.description = name, (description or "").strip()
    cat.system_specific, cat.active = bool(system_specific), bool(active)
    record("capability.update", cat, before=before, after=snapshot(cat), summary=f"Updated capability ‘{name}’",
           actor=actor)
    return cat


def capacities_by_exemplar() -> dict[int, int]:
    """Declared capacity per quarter of each exemplar organisation: the sum over its published
    offers' current versions. Provided to the concentration figures (exemplar load)."""
    rows = db.session.execute(
        select(Offer.organisation_id, func.sum(OfferVersion.capacity_per_quarter))
        .join(OfferVersion, OfferVersion.id == Offer.current_version_id)
        .where(Offer.status == "published")
        .group_by(Offer.organisation_id)
    )
    return {org_id: int(total or 0) for org_id, total in rows}


market.provide("capacities", capacities_by_exemplar)
