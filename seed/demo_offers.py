"""Demo content for the offers domain: service offers by the seeded exemplars, and a follower's
project with a shortlist.

Every offer is marked "(demo)": the facts behind it (who is an exemplar, which system a trust
runs) come from the sourced seed data; prices, capacity and text are made up. An offer names a
system only when the exemplar runs it live according to the deployments in the database; an
exemplar with no sourced live system offers only capabilities that are not about a system.
Idempotent: an offer is matched on its exemplar and its first version's title.
"""
from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.offers import services
from app.offers.projects import services as shortlists
from app.offers.models import CapabilityCategory, Offer, OfferVersion, Project
from app.registry.models import Membership, Organisation, System

#: Capabilities not about a system, handed out in turn so the demo covers the catalogue.
GENERAL = ["change-management-training", "cyber-security", "clinical-decision-support-ai", "ambient-voice",
           "digital-medicines", "federated-data-platform", "infrastructure", "vcse-support"]

GENERAL_TEXT = {
    "change-management-training": ("Clinical change and training for go-live", "super-user networks, floor-walking rotas and training design"),
    "cyber-security": ("Cyber resilience review and DSPT support", "a cyber resilience review, DSPT evidence and an incident exercise"),
    "clinical-decision-support-ai": ("Assuring clinical decision support and AI", "clinical safety cases (DCB0129/0160) for decision support and AI tools"),
    "ambient-voice": ("Ambient voice technology pilot in outpatients", "governance, clinical safety and evaluation of an ambient voice pilot"),
    "digital-medicines": ("Closed-loop medicines administration", "electronic prescribing, barcode medicines administration and dm+d mapping"),
    "federated-data-platform": ("Federated data platform: elective recovery use case", "putting FDP products to work on waiting lists and theatre scheduling"),
    "infrastructure": ("Clinical device and network readiness", "device estate, Wi-Fi surveys and single sign-on ahead of an EPR go-live"),
    "vcse-support": ("Digital inclusion with VCSE partners", "working with local voluntary groups on patient portal uptake"),
}


def _description(what: str, org_name: str) -> str:
    return (
        f"**Demo content** — not a real offer by {org_name}.\n\n"
        f"We share what we learned as a Global Digital Exemplar: {what}.\n\n"
        "What you get:\n\n"
        "- a discovery workshop with your clinical and digital leads\n"
        "- our blueprints and templates, adapted to your trust\n"
        "- fortnightly check-ins for the length of the engagement\n"
    )


def _offer(loader, org: Organisation, membership: Membership, cat: CapabilityCategory, title: str,
           summary: str, what: str, systems: list[System], n: int) -> Offer | None:
    existing = db.session.execute(
        select(Offer.id).join(OfferVersion, OfferVersion.offer_id == Offer.id)
        .where(Offer.organisation_id == org.id, OfferVersion.number == 1, OfferVersion.title == title)
    ).first()
    loader.report.add("offer", existing is None)
    if existing is not None:
        return None
    model = ("day_rate", "fixed_price", "per_bed")[n % 3]
    price = {"day_rate": 65_000 + (n * 7_500) % 55_000, "fixed_price": 2_500_000 + (n * 1_350_000) % 15_000_000,
             "per_bed": 4_000 + (n * 1_100) % 8_000}[model]
    capacity = 1 + n % 4
    content = services.OfferContent(
        title=title, summary=summary, description=_description(what, org.display_name), category=cat,
        systems=systems, regions=[org.region] if org.region is not None else [], pricing_model=model,
        price_pence=price, vat=("outside_scope", "exclusive")[n % 2], capacity_per_quarter=capacity,
        capacity_committed=n % (capacity + 1) if n % 5 else capacity, lead_time_weeks=2 + (n * 3) % 11,
        evidence_links="https://www.england.nhs.uk/digitaltechnology/connecteddigitalsystems/exemplars/",
        blueprint_links="", contact_name="Exemplar team (demo)",
        contact_email=f"exemplar.{org.ods_code.lower()}@demo.exemplar.nhs.uk",
    )
    offer = services.create_offer(org, membership.lot, content)
    if membership.status == "admitted" and membership.lot.framework.status not in ("draft", "expired"):
        services.publish_offer(offer)
    return offer


def load(loader) -> None:
    """Add this domain's demo content (idempotent); the caller commits."""
    cats = {c.slug: c for c in db.session.execute(select(CapabilityCategory)).scalars()}
    if not cats:
        return
    memberships = db.session.execute(
        select(Membership).where(Membership.status == "admitted").order_by(Membership.lot_id, Membership.id)
    ).unique().scalars().all()
    systems = {s.id: s for s in db.session.execute(select(System)).unique().scalars()}
    n = 0
    for m in memberships:
        org = m.organisation
        live = sorted((systems[i] for i in services.live_system_ids(org)), key=lambda s: s.name)
        # A system-specific offer for each system the exemplar runs live (in-house builds excepted).
        for system in live:
            if system.supplier.slug == "in-house":
                continue  # an in-house build is nobody else's to adopt
            n += 1
            named = system.name.removesuffix(" (product not stated)")  # the supplier's EPR, product unknown
            _offer(loader, org, m, cats["epr-optimisation"], f"{named} optimisation (demo)",
                   f"Demo offer: help to get more from {named}, from a trust that runs it live.",
                   f"optimising {named} — build, order sets, workflows and benefits tracking", [system], n)
        n += 1
        slug = GENERAL[n % len(GENERAL)]
        title, what = GENERAL_TEXT[slug]
        _offer(loader, org, m, cats[slug], f"{title} (demo)", f"Demo offer: {what}.", what, [], n)
    db.session.flush()
    _demo_project(loader)


def _demo_project(loader) -> None:
    """The demo buyer's trust (RJR) keeps a project with one shortlisted offer of its
    fast-follower exemplar (RBL), when both exist."""
    follower, exemplar = loader.orgs.get("RJR"), loader.orgs.get("RBL")
    if follower is None or exemplar is None:
        return
    name = "EPR optimisation partner (demo)"
    project = db.session.execute(select(Project).where(Project.organisation_id == follower.id,
                                                       Project.name == name)).scalar_one_or_none()
    loader.report.add("project", project is None)
    if project is not None:
        return
    project = shortlists.create_project(follower, name=name, search_query="q=optimisation&capacity=available")
    offer = db.session.execute(
        select(Offer).where(Offer.organisation_id == exemplar.id, Offer.status == "published").order_by(Offer.id)
    ).unique().scalars().first()
    if offer is not None and services.is_visible(offer):
        shortlists.add_to_shortlist(project, offer, reason="Demo: our fast-follower exemplar, same region (demo).")
