"""Offer schemas: the search's parameters and answer, an offer, and what an exemplar sends to make
or change one. The server requires the text fields it cannot do without to be non-blank, and the
document says so (minLength 1 and a pattern of one non-space character)."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.offers.search.query import FACETS, MAX_VALUE_LENGTH, MAX_VALUES, SORTS
from app.offers.vocab import OFFER_STATUSES, PRICING_MODELS, VAT_TREATMENTS

from .fields import Body, IsoDateTime, Paged, Text, Whole, choice, one_of, page_of, strings, text
from .registry_schemas import Q_MAX, SLUG, enum

Str, Int = fields.String, fields.Integer
MAX_PENCE = 10**9
TEXT_LIMITS = {"title": 200, "summary": 500, "description": 20000, "contact_name": 200, "contact_email": 254}
#: The content an offer cannot be without (checked again after a change, on the offer as changed).
REQUIRED_CONTENT = ("title", "summary", "category", "pricing_model", "price_pence", "vat", "capacity_per_quarter",
                    "lead_time_weeks", "contact_name", "contact_email")


class Offer(Schema):
    id = Int(required=True)
    status = enum(OFFER_STATUSES, required=True)
    organisation = Str(required=True)
    organisation_name = Str()
    framework = Str(required=True)
    lot = Int(required=True)
    lot_label = Str()
    version = Int(required=True)
    title = Str(required=True)
    summary = Str(required=True)
    description = Str()
    category = Str(required=True)
    category_name = Str()
    pricing_model = enum(PRICING_MODELS, required=True)
    pricing_model_name = Str()
    price_pence = Int(required=True)
    vat = enum(VAT_TREATMENTS, required=True)
    vat_name = Str()
    capacity_per_quarter = Int()
    capacity_committed = Int()
    capacity_free = Int()
    lead_time_weeks = Int()
    systems = fields.List(Str())
    regions = fields.List(Str())
    evidence_links = fields.List(Str())
    blueprint_links = fields.List(Str())
    contact_name = Str()
    contact_email = Str()
    published_at = IsoDateTime(allow_none=True)
    withdrawn_at = IsoDateTime(allow_none=True)
    updated_at = IsoDateTime(allow_none=True)
    url = Str()
    html_url = Str()
    score = fields.Float(metadata={"description": "Search relevance (search results only)"})
    fit = Int(metadata={"description": "Fit for the follower buyer's organisation (their search results only)"})
    matched = fields.List(Str(), metadata={
        "description": "Why the offer matched other than by the words as typed (search results only), e.g. "
                       "'Oracle Health, formerly Cerner' or 'electronic, the nearest word to elctronic'"})


class FacetValue(Schema):
    value = Str(required=True)
    label = Str(required=True)
    count = Int(required=True)
    chosen = fields.Boolean(required=True)


Facets = Schema.from_dict({key: fields.List(fields.Nested(FacetValue)) for key in FACETS}, name="Facets")

OfferPage = page_of(Offer, "OfferPage", facets=fields.Nested(Facets), facets_counted=Int(metadata={
    "description": "How many of the matches the facet counts are of: the total, or the first 1,000 in the "
                   "result order when there are more"}), did_you_mean=Str(allow_none=True, metadata={
    "description": "The words with each one no offer uses replaced by the nearest word the offers use, "
                   "or null"}))

FACET_VALUE = r"^[A-Za-z0-9_.:-]+$"


def _facet(key: str, label: str) -> fields.List:
    message = f"{key} values must be short codes (letters, digits, _ . : -)."
    return fields.List(
        fields.String(validate=[validate.Length(max=MAX_VALUE_LENGTH, error=message),
                                validate.Regexp(FACET_VALUE, error=message)]),
        validate=validate.Length(max=MAX_VALUES, error=f"At most {MAX_VALUES} {key} values."),
        metadata={"description": f"{label} (repeat for several)"})


OfferQuery = type("OfferQuery", (Paged,), {
    "q": text("q", Q_MAX, "Words"),
    "sort": choice("sort", SORTS, "Sort order (fit: for a follower buyer's token; relevance for anyone else)"),
    **{key: _facet(key, label) for key, label in FACETS.items()},
})


def _content_fields(*, required: bool) -> dict[str, fields.Field]:
    """The offer's content; `required`: as for a new offer (the fields it cannot be without)."""
    def need(name: str) -> bool:
        return required and name in REQUIRED_CONTENT

    def whole(name: str, **kw) -> Whole:
        return Whole(name, maximum=MAX_PENCE, required=need(name), **kw)

    out: dict[str, fields.Field] = {
        name: Text(name, limit, required=need(name), nonblank=name in REQUIRED_CONTENT)
        for name, limit in TEXT_LIMITS.items()}
    out.update(
        category=Text("category", SLUG, required=need("category"), nonblank=True,
                      description="The slug of a capability"),
        pricing_model=one_of("pricing_model", PRICING_MODELS, required=need("pricing_model")),
        price_pence=whole("price_pence"), vat=one_of("vat", VAT_TREATMENTS, required=need("vat")),
        capacity_per_quarter=whole("capacity_per_quarter"), capacity_committed=whole("capacity_committed"),
        lead_time_weeks=whole("lead_time_weeks"),
        systems=strings("systems", SLUG, "systems must be a list of short strings.", description="System slugs"),
        regions=strings("regions", SLUG, "regions must be a list of short strings.",
                        description="ODS codes of the regions served"),
        evidence_links=strings("evidence_links", 500, "evidence_links must be a list of web addresses."),
        blueprint_links=strings("blueprint_links", 500, "blueprint_links must be a list of web addresses."),
    )
    return out


OfferInput = type("OfferInput", (Body,), {
    "framework": Text("framework", SLUG, required=True, description="The framework's slug"),
    "lot": Whole("lot", minimum=1, maximum=99, required=True),
    **_content_fields(required=True),
})
OfferInput.__doc__ = "A new draft offer for the token's trust."

OfferChanges = type("OfferChanges", (Body,), _content_fields(required=False))
OfferChanges.__doc__ = "Changes to an offer: fields left out keep their value."


class WithdrawInput(Body):
    """Why the offer is withdrawn (optional: the body may be left out)."""

    OPTIONAL_BODY = True
    reason = Text("reason", 2000)
