"""Service offers through the JSON API: search with facets (the offers domain's own search), and
exemplar managers' create / update / publish / withdraw through the offers services."""
from __future__ import annotations

from flask import request, url_for
from sqlalchemy import select

from app.extensions import db
from app.offers import services as offers
from app.offers.models import CapabilityCategory, Offer
from app.offers.query import FACETS, MAX_QUERY_LENGTH, SORTS, SearchQuery
from app.offers.search import search
from app.offers.text import links
from app.offers.vocab import PRICING_MODELS, VAT_TREATMENTS
from app.registry.models import Framework, Lot, Organisation, System
from app.web import commit
from app.accounts.permissions import has_role

from .core import ApiError, allow, api_user, body_int, body_str, iso, json_body, ok, page_args, page_payload, \
    require_write, str_arg
from .views import v1

TEXT_FIELDS = {"title": 200, "summary": 500, "description": 20000, "contact_name": 200, "contact_email": 254}
INT_FIELDS = ("price_pence", "capacity_per_quarter", "capacity_committed", "lead_time_weeks")


def offer_json(o: Offer, version=None) -> dict:
    v = version or o.current_version
    return {
        "id": o.id,
        "status": o.status,
        "organisation": o.organisation.ods_code,
        "organisation_name": o.organisation.name,
        "framework": o.lot.framework.slug,
        "lot": o.lot.number,
        "lot_label": o.lot.label,
        "version": v.number,
        "title": v.title,
        "summary": v.summary,
        "description": v.description,
        "category": v.category.slug,
        "category_name": v.category.name,
        "pricing_model": v.pricing_model,
        "price_pence": v.price_pence,
        "vat": v.vat,
        "capacity_per_quarter": v.capacity_per_quarter,
        "capacity_committed": v.capacity_committed,
        "capacity_free": v.capacity_free,
        "lead_time_weeks": v.lead_time_weeks,
        "systems": [s.slug for s in v.systems],
        "regions": [r.ods_code for r in v.regions],
        "evidence_links": links(v.evidence_links),
        "blueprint_links": links(v.blueprint_links),
        "contact_name": v.contact_name,
        "contact_email": v.contact_email,
        "published_at": iso(o.published_at),
        "withdrawn_at": iso(o.withdrawn_at),
        "updated_at": iso(o.updated_at),
        "url": url_for("api.v1.offer", offer_id=o.id),
        "html_url": url_for("offers.offer", offer_id=o.id),
    }


@v1.get("/offers")
def offers_search():
    """Published offers of admitted exemplars: words, facets (repeat a key for several values),
    sort and pagination, as on the search page."""
    allow("offers.search")
    page, per_page = page_args()
    str_arg("q", max_length=MAX_QUERY_LENGTH)
    str_arg("sort", SORTS)
    query = SearchQuery.from_args(request.args).with_page(page)
    user = api_user()
    follower = user.organisation if user is not None and has_role(user, "follower_buyer") else None
    if query.sort == "fit" and follower is None:
        query = query.with_sort("relevance").with_page(page)  # best fit is for a follower; others get relevance, as on the page
    results = search(query, follower_org=follower, per_page=per_page)
    items = []
    for hit in results.hits:
        data = offer_json(hit.offer, hit.version)
        data["score"] = round(hit.score, 4)
        if hit.fit is not None:
            data["fit"] = hit.fit.score
        items.append(data)
    facets = {key: [{"value": f.value, "label": f.label, "count": f.count, "chosen": f.chosen} for f in values]
              for key, values in results.facets.items()}
    # Facet counts are exact up to app.offers.search_facets.FACET_COUNT_LIMIT matches; beyond that they
    # count the first ones in the result order, and facets_counted says how many were counted.
    return ok(page_payload(items, page, per_page, results.total,
                           {"facets": facets, "facets_counted": results.facets_counted}))


def _offer_or_404(offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        raise ApiError(404, "Not found.")
    allow("offers.view", offer, hide=True)
    return offer


@v1.route("/offers/<int:offer_id>", methods=["GET", "PATCH"])
def offer(offer_id: int):
    # One rule for both methods: werkzeug's matcher answered 405 for PATCH on very large ids when
    # GET and PATCH were two rules of the same path.
    if request.method == "PATCH":
        return update_offer(offer_id)
    return ok(offer_json(_offer_or_404(offer_id)))


def _content(body: dict, current: dict | None) -> offers.OfferContent:
    """The offer content from a JSON body; with `current`, fields left out keep their value."""
    values = dict(current or {})
    for name, limit in TEXT_FIELDS.items():
        if name in body:
            values[name] = body_str(body, name, max_length=limit) or ""
    for name in INT_FIELDS:
        if name in body:
            values[name] = body_int(body, name, required=True, maximum=10**9)
    for name, vocab in (("pricing_model", PRICING_MODELS), ("vat", VAT_TREATMENTS)):
        if name in body:
            value = body_str(body, name, max_length=20)
            if value not in vocab:
                raise ApiError(422, f"{name} must be one of: {', '.join(vocab)}.", name)
            values[name] = value
    if "category" in body:
        slug = body_str(body, "category", required=True, max_length=60)
        category = db.session.execute(select(CapabilityCategory).where(CapabilityCategory.slug == slug)).scalar_one_or_none()
        if category is None:
            raise ApiError(422, f"No capability has the slug {slug}.", "category")
        values["category"] = category
    for name, model, key in (("systems", System, System.slug), ("regions", Organisation, Organisation.ods_code)):
        if name in body:
            wanted = body[name]
            if not isinstance(wanted, list) or not all(isinstance(x, str) and len(x) <= 60 for x in wanted):
                raise ApiError(422, f"{name} must be a list of short strings.", name)
            found = db.session.execute(select(model).where(key.in_(wanted))).unique().scalars().all()
            if len(found) != len(set(wanted)):
                raise ApiError(422, f"Unknown {name}: {', '.join(sorted(set(wanted) - {getattr(f, key.key) for f in found}))}.",
                               name)
            values[name] = list(found)
    for name in ("evidence_links", "blueprint_links"):
        if name in body:
            wanted = body[name]
            if not isinstance(wanted, list) or not all(isinstance(x, str) and len(x) <= 500 for x in wanted):
                raise ApiError(422, f"{name} must be a list of web addresses.", name)
            values[name] = "\n".join(wanted)
    missing = [n for n in ("title", "summary", "category", "pricing_model", "price_pence", "vat",
                           "capacity_per_quarter", "lead_time_weeks", "contact_name", "contact_email")
               if values.get(n) in (None, "")]
    if missing:
        raise ApiError(422, f"Enter {missing[0].replace('_', ' ')}.", missing[0])
    return offers.OfferContent(**values)


def _current_values(o: Offer) -> dict:
    v = o.current_version
    return {"title": v.title, "summary": v.summary, "description": v.description, "category": v.category,
            "pricing_model": v.pricing_model, "price_pence": v.price_pence, "vat": v.vat,
            "capacity_per_quarter": v.capacity_per_quarter, "capacity_committed": v.capacity_committed,
            "lead_time_weeks": v.lead_time_weeks, "contact_name": v.contact_name, "contact_email": v.contact_email,
            "systems": list(v.systems), "regions": list(v.regions), "evidence_links": v.evidence_links,
            "blueprint_links": v.blueprint_links}


@v1.post("/offers")
def create_offer():
    require_write()
    allow("offers.create")
    body = json_body()
    fw_slug = body_str(body, "framework", required=True, max_length=60)
    number = body_int(body, "lot", required=True, minimum=1, maximum=99)
    lot = db.session.execute(select(Lot).join(Framework).where(Framework.slug == fw_slug, Lot.number == number)) \
        .unique().scalar_one_or_none()
    if lot is None:
        raise ApiError(422, f"No lot {number} on a framework called {fw_slug}.", "lot")
    user = api_user()
    created = offers.create_offer(user.organisation, lot, _content(body, None), actor=user)
    commit()
    return ok(offer_json(created), 201, {"Location": url_for("api.v1.offer", offer_id=created.id)})


def update_offer(offer_id: int):
    require_write()
    o = _offer_or_404(offer_id)
    allow("offers.edit", o)
    body = json_body()
    offers.update_offer(o, _content(body, _current_values(o)), actor=api_user())
    commit()
    return ok(offer_json(o))


@v1.post("/offers/<int:offer_id>/publish")
def publish_offer(offer_id: int):
    require_write()
    o = _offer_or_404(offer_id)
    allow("offers.edit", o)
    offers.publish_offer(o, actor=api_user())
    commit()
    return ok(offer_json(o))


@v1.post("/offers/<int:offer_id>/withdraw")
def withdraw_offer(offer_id: int):
    require_write()
    o = _offer_or_404(offer_id)
    allow("offers.edit", o)
    body = request.get_json(silent=True) or {}
    reason = body_str(body, "reason", max_length=2000) if isinstance(body, dict) else None
    offers.withdraw_offer(o, reason=reason or "", actor=api_user())
    commit()
    return ok(offer_json(o))


__all__ = ["FACETS", "offer_json"]
