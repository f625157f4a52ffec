"""Service offers through the JSON API: search with facets (the offers domain's own search), and
exemplar managers' create / update / publish / withdraw through the offers services."""
from __future__ import annotations

from flask import request, url_for
from flask.views import MethodView
from sqlalchemy import select

from app.accounts.permissions import has_role
from app.extensions import db
from app.offers import services as offers
from app.offers.models import CapabilityCategory, Offer
from app.offers.vocab import PRICING_MODELS, VAT_TREATMENTS
from app.offers.search.query import SearchQuery
from app.offers.search import search
from app.offers.text import links
from app.registry.models import Framework, Lot, Organisation, System
from app.web import commit

from . import offers_schemas as s
from .blueprint import v1
from .core import ApiError, allow, api_user, iso, needs, page_payload, writes

TAGS = ["Offers"]


def offer_json(o: Offer, version=None) -> dict:
    v = version or o.current_version
    return {
        "id": o.id,
        "status": o.status,
        "organisation": o.organisation.ods_code,
        "organisation_name": o.organisation.display_name,
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
        "pricing_model_name": PRICING_MODELS[v.pricing_model],
        "price_pence": v.price_pence,
        "vat": v.vat,
        "vat_name": VAT_TREATMENTS[v.vat],
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


@v1.route("/offers", tags=TAGS)
@needs("offers.search")
@v1.arguments(s.OfferQuery, location="query")
@v1.response(200, s.OfferPage)
def offers_search(args):
    """Search published offers, with facets and counts

    Published offers of admitted exemplars: words, facets (repeat a key for several values), sort
    and pagination, as on the search page. Facet counts are exact up to 1,000 matches; beyond
    that they count the first 1,000 in the result order, and `facets_counted` says how many.
    """
    page, per_page = args["page"], args["per_page"]
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
        data["matched"] = hit.matched
        items.append(data)
    facets = {key: [{"value": f.value, "label": f.label, "count": f.count, "chosen": f.chosen} for f in values]
              for key, values in results.facets.items()}
    # Facet counts are exact up to app.offers.search_facets.FACET_COUNT_LIMIT matches; beyond that they
    # count the first ones in the result order, and facets_counted says how many were counted.
    return page_payload(items, page, per_page, results.total,
                        {"facets": facets, "facets_counted": results.facets_counted,
                         "did_you_mean": results.did_you_mean})


def _offer_or_404(offer_id: int) -> Offer:
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        raise ApiError(404, "Not found.")
    allow("offers.view", offer, hide=True)
    return offer


def _editable(offer_id: int) -> Offer:
    offer = _offer_or_404(offer_id)
    allow("offers.edit", offer)
    return offer


def _content(data: dict, current: dict | None) -> offers.OfferContent:
    """The offer content from a checked body; with `current`, fields left out keep their value."""
    values = dict(current or {})
    for name in s.TEXT_LIMITS:
        if name in data:
            values[name] = data[name] or ""
    for name in ("price_pence", "capacity_per_quarter", "capacity_committed", "lead_time_weeks",
                 "pricing_model", "vat"):
        if name in data:
            values[name] = data[name]
    if "category" in data:
        slug = data["category"]
        category = db.session.execute(select(CapabilityCategory).where(CapabilityCategory.slug == slug)).scalar_one_or_none()
        if category is None:
            raise ApiError(422, f"No capability has the slug {slug}.", "category")
        values["category"] = category
    for name, model, key in (("systems", System, System.slug), ("regions", Organisation, Organisation.ods_code)):
        if name in data:
            wanted = data[name]
            found = db.session.execute(select(model).where(key.in_(wanted))).unique().scalars().all()
            if len(found) != len(set(wanted)):
                unknown = sorted(set(wanted) - {getattr(f, key.key) for f in found})
                raise ApiError(422, f"Unknown {name}: {', '.join(unknown)}.", name)
            values[name] = list(found)
    for name in ("evidence_links", "blueprint_links"):
        if name in data:
            values[name] = "\n".join(data[name])
    missing = [n for n in s.REQUIRED_CONTENT if values.get(n) in (None, "")]
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


# One rule for both methods: werkzeug's matcher answered 405 for PATCH on very large ids when GET
# and PATCH were two rules of the same path.
@v1.route("/offers/<int:offer_id>", endpoint="offer", tags=TAGS)
class OfferResource(MethodView):
    @v1.response(200, s.Offer)
    def get(self, offer_id: int):
        """One offer

        Drafts only for their own trust, the commercial team and auditors (404 for anyone else).
        """
        return offer_json(_offer_or_404(offer_id))

    @v1.doc(operationId="update_offer")
    @writes()
    @v1.arguments(s.OfferChanges)
    @v1.response(200, s.Offer)
    def patch(self, data, offer_id: int):
        """Change an offer

        The offer's trust, with a write token. Fields left out keep their value; a published offer
        gets a new version.
        """
        o = _editable(offer_id)
        offers.update_offer(o, _content(data, _current_values(o)), actor=api_user())
        commit()
        return offer_json(o)


@v1.route("/offers", methods=["POST"], tags=TAGS)
@writes("offers.create")
@v1.arguments(s.OfferInput)
@v1.response(201, s.Offer, headers={"Location": {"schema": {"type": "string"}, "description": "The new offer"}})
def create_offer(data):
    """Create a draft offer for your trust

    An exemplar manager, with a write token. The offer stays a draft, seen only by its trust and
    the commercial team, until it is published.
    """
    lot = db.session.execute(select(Lot).join(Framework).where(Framework.slug == data["framework"],
                                                               Lot.number == data["lot"])).unique().scalar_one_or_none()
    if lot is None:
        raise ApiError(422, f"No lot {data['lot']} on a framework called {data['framework']}.", "lot")
    user = api_user()
    created = offers.create_offer(user.organisation, lot, _content(data, None), actor=user)
    commit()
    return offer_json(created), 201, {"Location": url_for("api.v1.offer", offer_id=created.id)}


@v1.route("/offers/<int:offer_id>/publish", methods=["POST"], tags=TAGS)
@writes()
@v1.response(200, s.Offer)
def publish_offer(offer_id: int):
    """Publish an offer

    The offer's trust, with a write token. Only an admitted exemplar's offer can be published (409
    otherwise).
    """
    o = _editable(offer_id)
    offers.publish_offer(o, actor=api_user())
    commit()
    return offer_json(o)


@v1.route("/offers/<int:offer_id>/withdraw", methods=["POST"], tags=TAGS)
@writes()
@v1.arguments(s.WithdrawInput, required=False)
@v1.response(200, s.Offer)
def withdraw_offer(data, offer_id: int):
    """Withdraw a published offer

    The offer's trust, with a write token, with an optional reason. It leaves the search at once.
    """
    o = _editable(offer_id)
    offers.withdraw_offer(o, reason=data.get("reason") or "", actor=api_user())
    commit()
    return offer_json(o)
