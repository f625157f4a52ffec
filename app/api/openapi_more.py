"""The OpenAPI paths and schemas of the offers, concentration and competitions parts of the API."""
from __future__ import annotations

from typing import Any

from .openapi import (
    BOOL, CODE, DATE, INT, NINT, NSTR, NUM, SLUG, STR, TEXT, get, json_content, nullable, obj, ok, page_of, path,
    post, query, ref, _enum, WRITE_ERRORS, REQUIRED_AUTH,
)

S = dict[str, Any]
NDT = nullable({"type": "string", "format": "date-time"})
NNUM = nullable(NUM)


def _offer_schemas() -> S:
    from app.offers.query import FACETS
    from app.offers.vocab import OFFER_STATUSES, PRICING_MODELS, VAT_TREATMENTS

    strings = {"type": "array", "items": STR}
    offer = obj(["id", "status", "organisation", "framework", "lot", "version", "title", "summary", "category",
                 "pricing_model", "price_pence", "vat"],
                id=INT, status=_enum(OFFER_STATUSES), organisation=STR, organisation_name=STR, framework=STR,
                lot=INT, lot_label=STR, version=INT, title=STR, summary=STR, description=STR, category=STR,
                category_name=STR, pricing_model=_enum(PRICING_MODELS), price_pence=INT, vat=_enum(VAT_TREATMENTS),
                capacity_per_quarter=INT, capacity_committed=INT, capacity_free=INT, lead_time_weeks=INT,
                systems=strings, regions=strings, evidence_links=strings, blueprint_links=strings,
                contact_name=STR, contact_email=STR, published_at=NDT, withdrawn_at=NDT, updated_at=NDT,
                url=STR, html_url=STR, score=NUM, fit=INT)
    facet_value = obj(["value", "label", "count", "chosen"], value=STR, label=STR, count=INT, chosen=BOOL)
    page = page_of("Offer")
    page["properties"]["facets"] = {"type": "object", "properties": {
        k: {"type": "array", "items": facet_value} for k in FACETS}}
    page["properties"]["facets_counted"] = {
        **INT, "description": "How many of the matches the facet counts are of: the total, or the first "
                              "1,000 in the result order when there are more"}
    short = lambda n: {"type": "string", "maxLength": n}  # noqa: E731
    content = dict(
        title=short(200), summary=short(500), description=short(20000), category=SLUG,
        pricing_model=_enum(PRICING_MODELS), price_pence={"type": "integer", "minimum": 0, "maximum": 10**9},
        vat=_enum(VAT_TREATMENTS), capacity_per_quarter={"type": "integer", "minimum": 0, "maximum": 10**9},
        capacity_committed={"type": "integer", "minimum": 0, "maximum": 10**9},
        lead_time_weeks={"type": "integer", "minimum": 0, "maximum": 10**9},
        contact_name=short(200), contact_email=short(254),
        systems={"type": "array", "items": SLUG}, regions={"type": "array", "items": CODE},
        evidence_links={"type": "array", "items": short(500)}, blueprint_links={"type": "array", "items": short(500)},
    )
    return {
        "Offer": offer,
        "OfferPage": page,
        "OfferInput": obj(["framework", "lot", "title", "summary", "category", "pricing_model", "price_pence", "vat",
                           "capacity_per_quarter", "lead_time_weeks", "contact_name", "contact_email"],
                          framework=SLUG, lot={"type": "integer", "minimum": 1, "maximum": 99}, **content),
        "OfferChanges": {"type": "object", "properties": content},
        "WithdrawInput": {"type": "object", "properties": {"reason": short(2000)}},
    }


def _concentration_schemas() -> S:
    share = obj(["label", "percent", "organisations"], label=STR, percent=NUM, organisations=INT, weight=NUM)
    sources = obj(["rows", "foi_2024_only"], rows=INT, dated=STR, high=INT, medium=INT, low=INT, unrated=INT,
                  foi_2024_only=INT)
    figures = obj(["as_of", "hhi", "cr1", "cr3", "systems", "computed_over", "coverage_percent", "sources"],
                  as_of=DATE, scope=STR, computed_over=STR, organisations_in_scope=INT, organisations_with_system=INT,
                  organisations_without_system=INT, organisations_not_known=INT, coverage_percent=NNUM,
                  sources=sources, unit=STR, suppliers=INT, systems=INT, hhi=NUM, hhi_low=NNUM, hhi_high=NNUM,
                  sensitivity=NUM, supplier_hhi=NUM, system_hhi=NUM, cr1=NUM, cr3=NUM, effective_number=NNUM,
                  effective_systems=NNUM, system_shares={"type": "array", "items": share},
                  supplier_shares={"type": "array", "items": share})
    return {"Concentration": obj(
        ["category", "figures", "trend"], category=STR, label=STR, weighting=STR, figures=figures,
        rise_since_previous_quarter=NNUM,
        trend={"type": "array", "items": obj(["quarter", "at", "hhi"], quarter=STR, at=DATE, hhi=NUM, hhi_low=NNUM,
                                             hhi_high=NNUM, systems=INT, organisations_with_system=INT,
                                             coverage_percent=NNUM)})}


def more_paths() -> S:
    from app.concentration.metrics import WEIGHTINGS
    from app.offers.query import FACETS, SORTS
    from app.registry.vocab import SYSTEM_CATEGORIES

    from .competitions_api import openapi_paths

    facet_params = [{"name": k, "in": "query", "required": False, "description": f"{label} (repeat for several)",
                     "style": "form", "explode": True,
                     "schema": {"type": "array", "maxItems": 20, "items": {"type": "string", "maxLength": 60,
                                                                          "pattern": "^[A-Za-z0-9_.:-]+$"}}}
                    for k, label in FACETS.items()]
    t = "Offers"
    offer_id = [path("offer_id", INT)]

    def with_params(op: S, params: list[S]) -> S:
        for method in op.values():
            method["parameters"] = params + method.get("parameters", [])
        return op

    return {
        "/offers": {**get("Search published offers, with facets and counts", t, ok(ref("OfferPage")), [
            query("q", "Words", TEXT), query("sort", "Sort order (fit: for a follower buyer's token; relevance for anyone else)", _enum(SORTS)),
            *facet_params], paged=True),
            **post("Create a draft offer for your trust (exemplar manager, write token)", t, ref("OfferInput"),
                   {"description": "Created", "content": json_content(ref("Offer"))}, "201")},
        "/offers/{offer_id}": {**get("One offer (drafts only for their own trust and the commercial team)", t,
                                     ok(ref("Offer")), offer_id),
                               "patch": {**post("Change an offer; fields left out keep their value", t,
                                                ref("OfferChanges"), ok(ref("Offer")))["post"],
                                         "parameters": offer_id}},
        "/offers/{offer_id}/publish": with_params(post("Publish an offer", t, None, ok(ref("Offer"))), offer_id),
        "/offers/{offer_id}/withdraw": with_params({"post": {
            **post("Withdraw a published offer", t, None, ok(ref("Offer")))["post"],
            "requestBody": {"required": False, "content": json_content(ref("WithdrawInput"))}}}, offer_id),
        "/concentration": get("Concentration figures for a system category on a date (public summary)",
                              "Concentration", ok(ref("Concentration")), [
                                  query("category", "System category", _enum(SYSTEM_CATEGORIES)),
                                  query("as_of", "Date, YYYY-MM-DD, 2000 to 2099 (default today)", {
                                      "type": "string", "format": "date", "pattern": "^20[0-9]{2}-[0-9]{2}-[0-9]{2}$"}),
                                  query("weighting", "Weighting", _enum(WEIGHTINGS))]),
        **openapi_paths(),
    }


def more_schemas() -> S:
    from .competitions_api import openapi_schemas

    return {**_offer_schemas(), **_concentration_schemas(), **openapi_schemas()}


__all__ = ["more_paths", "more_schemas", "NINT", "NSTR", "REQUIRED_AUTH", "WRITE_ERRORS"]
