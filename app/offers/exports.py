"""An offer as every export gives it: one vocabulary for the API, the CSV downloads and the
SQLite open-data file (the same field names, codes and words).

The rule, for every export of the app (docs/exports.md):
* a controlled value is given as its code, the same code the API takes (`day_rate`, `exclusive`,
  `cyber-security`, `acute_epr`), with its words beside it in `<field>_name`;
* an organisation by its ODS code, with `<field>_name` the name as every page shows it (title case);
* a list as a list (JSON arrays in the API and the SQLite file; "; "-joined in a CSV cell);
* nothing given is null (an empty cell in a CSV), never an empty string.
"""
from __future__ import annotations

from typing import Any

from .models import Offer, OfferVersion
from .vocab import PRICING_MODELS, VAT_TREATMENTS

#: The fields of an offer record, in order (a CSV writes price_pence as price_gbp, exact pounds).
FIELDS = ("offer_id", "version", "title", "organisation", "organisation_name", "framework", "lot", "lot_label",
          "category", "category_name", "systems", "system_names", "suppliers", "supplier_names", "regions",
          "region_names", "pricing_model", "pricing_model_name", "price_pence", "vat", "vat_name",
          "capacity_per_quarter", "capacity_committed", "capacity_free", "lead_time_weeks", "published_at")


def offer_record(offer: Offer, v: OfferVersion) -> dict[str, Any]:
    """One offer version in the shared vocabulary (lists as lists, money in integer pence)."""
    systems = sorted(v.systems, key=lambda s: s.slug)
    suppliers = sorted({s.supplier.slug: s.supplier for s in systems}.values(), key=lambda s: s.slug)
    regions = sorted(v.regions, key=lambda r: r.ods_code)
    return {
        "offer_id": offer.id, "version": v.number, "title": v.title,
        "organisation": offer.organisation.ods_code, "organisation_name": offer.organisation.display_name,
        "framework": offer.lot.framework.slug, "lot": offer.lot.number, "lot_label": offer.lot.label,
        "category": v.category.slug, "category_name": v.category.name,
        "systems": [s.slug for s in systems], "system_names": [s.name for s in systems],
        "suppliers": [s.slug for s in suppliers], "supplier_names": [s.name for s in suppliers],
        "regions": [r.ods_code for r in regions], "region_names": [r.display_name for r in regions],
        "pricing_model": v.pricing_model, "pricing_model_name": PRICING_MODELS[v.pricing_model],
        "price_pence": v.price_pence, "vat": v.vat, "vat_name": VAT_TREATMENTS[v.vat],
        "capacity_per_quarter": v.capacity_per_quarter, "capacity_committed": v.capacity_committed,
        "capacity_free": v.capacity_free, "lead_time_weeks": v.lead_time_weeks,
        "published_at": offer.published_at,
    }
