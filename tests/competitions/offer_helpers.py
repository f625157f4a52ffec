"""Making a published offer for tests (the offers domain's models, used as data)."""
from __future__ import annotations

import itertools

from app.offers.models import CapabilityCategory, Offer, OfferVersion
from app.offers.vocab import PRICING_MODELS, VAT_TREATMENTS

_n = itertools.count(1)


def make_offer(make, org, lot, price_pence: int = 120_000):
    session = make.session
    category = session.query(CapabilityCategory).first()
    if category is None:
        category = CapabilityCategory(slug=f"cat-{next(_n)}", name=f"Category {next(_n)}")
        session.add(category)
    offer = Offer(organisation_id=org.id, lot_id=lot.id, status="published")
    session.add(offer)
    session.flush()
    version = OfferVersion(offer_id=offer.id, number=1, title="Go-live support", summary="We help you go live",
                           category_id=category.id, pricing_model=next(iter(PRICING_MODELS)), price_pence=price_pence, vat=next(iter(VAT_TREATMENTS)),
                           capacity_per_quarter=2, lead_time_weeks=4, contact_name="A Person",
                           contact_email="a@example.nhs.uk")
    session.add(version)
    session.flush()
    offer.current_version_id = version.id
    session.flush()
    return offer
