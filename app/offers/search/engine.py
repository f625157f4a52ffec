"""Searching published offers: one interface, two full-text backends.

    results = search(SearchQuery.from_args(request.args), follower_org=org, per_page=20)

`search` answers the same `SearchResults` on SQLite (an FTS5 table, ranked by bm25) and on
PostgreSQL (a weighted tsvector with a GIN index, ranked by ts_rank_cd). Only the full-text part
differs (`Fts5Backend`, `PostgresBackend`); filters, facets, sorts and paging are shared SQL.

Only offers that are published, whose exemplar is admitted to the offer's lot right now, are
found: the membership status is read at query time, so a suspension hides offers at once.

The number of queries is fixed whatever the data size: track records (2), the follower's
systems (1), the total, the facet counts and the page's ids in one UNION query (the hits computed
once), and the page's offers with their eager loads (a few). Facet counts are exact up to
FACET_COUNT_LIMIT hits and count the first FACET_COUNT_LIMIT in the page's order beyond it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup
from sqlalchemy import and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.registry.models import Deployment, Framework, Lot, Membership, Organisation, Supplier, System, SystemStandard
from app.web.querying import Paged

from ..models import CapabilityCategory, Offer, OfferVersion, offer_version_regions, offer_version_systems
from ..rules import FIT_POINTS, FitReasons, fit, price_band_bounds, record_points
from ..text import excerpt, highlight, tokens
from . import facets as search_facets
from . import vocabulary
from .expand import Expansion, expand, reasons_for
from .backends import backend_for, rebuild_index  # noqa: F401  (part of this module's interface)
from .facets import CAPACITY_LABELS, FacetValue, counts_and_page, facet_values  # noqa: F401  (interface)
from .query import SearchQuery

MAX_EXPORT_ROWS = 5000


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------

@dataclass
class Hit:
    offer: Offer
    version: OfferVersion
    score: float
    title: Markup
    summary: Markup
    snippet: Markup | None
    fit: FitReasons | None
    track: Any | None  # app.registry.track_record.TrackRecord
    #: Why the hit matched other than by the words as typed: "Oracle Health, formerly Cerner".
    matched: list[str] = field(default_factory=list)


@dataclass
class SearchResults(Paged):
    """A page of hits, the facets with counts, and enough to draw pagination."""

    query: SearchQuery
    words: list[str]
    hits: list[Hit]
    total: int
    per_page: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    #: How many hits the facet counts are over: the total, or FACET_COUNT_LIMIT when there are more.
    facets_counted: int = 0
    #: The words with their other names, spellings and typo corrections.
    expansion: Expansion = field(default_factory=Expansion)

    @property
    def did_you_mean(self) -> str | None:
        """The search with each word the offers do not use replaced by their nearest word."""
        return self.expansion.did_you_mean()

    @property
    def facets_partial(self) -> bool:
        """Whether the facet counts are of the first FACET_COUNT_LIMIT hits rather than of all."""
        return self.facets_counted < self.total

    @property
    def page(self) -> int:
        return self.query.page



@dataclass(frozen=True)
class FollowerProfile:
    """What best fit compares against: the systems a follower runs or plans, and its region."""

    organisation_id: int | None
    system_ids: frozenset[int]
    region_id: int | None


def follower_profile(org: Organisation | None) -> FollowerProfile:
    """The follower's current (not historical) live, retiring or planned systems, and region (1 query)."""
    if org is None:
        return FollowerProfile(None, frozenset(), None)
    ids = db.session.execute(
        select(Deployment.system_id).where(Deployment.organisation_id == org.id,
                                           Deployment.status.in_(("live", "planned", "retiring")),
                                           Deployment.historical.is_(False))
    ).scalars().all()
    return FollowerProfile(org.id, frozenset(ids), org.region_id)


# ---------------------------------------------------------------------------
# The query
# ---------------------------------------------------------------------------

def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _filters(query: SearchQuery) -> list:
    """SQL conditions for the chosen facet values (values within a facet are alternatives)."""
    V, O = OfferVersion, Offer
    ovs, ovr = offer_version_systems, offer_version_regions
    conds = []
    if query.capability:
        conds.append(V.category_id.in_(select(CapabilityCategory.id).where(CapabilityCategory.slug.in_(query.capability))))
    if query.system:
        conds.append(exists().where(ovs.c.offer_version_id == V.id, ovs.c.system_id == System.id,
                                    System.slug.in_(query.system)))
    if query.supplier:
        conds.append(exists().where(ovs.c.offer_version_id == V.id, ovs.c.system_id == System.id,
                                    System.supplier_id == Supplier.id, Supplier.slug.in_(query.supplier)))
    if query.lot:
        pairs = []
        for key in query.lot:
            slug, _, number = key.rpartition("-")
            if slug and number.isdecimal():
                pairs.append(and_(Framework.slug == slug, Lot.number == int(number)))
        conds.append(O.lot_id.in_(select(Lot.id).join(Framework, Framework.id == Lot.framework_id)
                                  .where(or_(*pairs) if pairs else literal(False))))
    if query.region:
        conds.append(exists().where(ovr.c.offer_version_id == V.id, ovr.c.region_id == Organisation.id,
                                    Organisation.ods_code.in_(query.region)))
    if query.pricing:
        conds.append(V.pricing_model.in_(query.pricing))
    if query.band:
        ranges = []
        for key in query.band:
            bounds = price_band_bounds(key)
            if bounds:
                model, lower, upper = bounds
                cond = and_(V.pricing_model == model, V.price_pence >= lower)
                ranges.append(cond if upper is None else and_(cond, V.price_pence < upper))
        conds.append(or_(*ranges) if ranges else literal(False))
    if query.capacity:
        free = V.capacity_committed < V.capacity_per_quarter
        wanted = [free if v == "available" else ~free for v in query.capacity if v in CAPACITY_LABELS]
        conds.append(or_(*wanted) if wanted else literal(False))
    if query.standard:
        conds.append(exists().where(ovs.c.offer_version_id == V.id,
                                    SystemStandard.system_id == ovs.c.system_id,
                                    SystemStandard.standard.in_(query.standard)))
    return conds


def visible_offers_condition():
    """Published, and the exemplar admitted to the offer's lot now (for joins from Offer)."""
    return and_(
        Offer.status == "published",
        exists().where(Membership.lot_id == Offer.lot_id, Membership.organisation_id == Offer.organisation_id,
                       Membership.status == "admitted"),
    )


def _fit_expression(profile: FollowerProfile, track_points: dict[int, int]):
    V, O = OfferVersion, Offer
    ovs, ovr = offer_version_systems, offer_version_regions
    parts = [case((V.capacity_committed < V.capacity_per_quarter, FIT_POINTS["capacity"]), else_=0)]
    if profile.system_ids:
        parts.append(case((exists().where(ovs.c.offer_version_id == V.id, ovs.c.system_id.in_(profile.system_ids)),
                           FIT_POINTS["system"]), else_=0))
    if profile.region_id is not None:
        parts.append(case((exists().where(ovr.c.offer_version_id == V.id, ovr.c.region_id == profile.region_id),
                           FIT_POINTS["region"]), else_=0))
    if track_points:
        parts.append(case(track_points, value=O.organisation_id, else_=0))
    total = parts[0]
    for p in parts[1:]:
        total = total + p
    return total


def _base(query: SearchQuery, expansion: Expansion):
    """The filtered hits as a subquery: offer, version, score and tier columns."""
    V, O = OfferVersion, Offer
    stmt = select(O.id.label("offer_id"), V.id.label("version_id"), O.organisation_id, O.lot_id,
                  V.category_id, V.pricing_model, V.price_pence, V.lead_time_weeks,
                  V.capacity_per_quarter, V.capacity_committed, O.published_at)
    stmt = stmt.join(V, V.id == O.current_version_id).where(visible_offers_condition(), *_filters(query))
    if expansion.groups:
        fts = backend_for(_dialect()).match(expansion.phrases, expansion.exact_phrases)
        stmt = stmt.join(fts, fts.c.version_id == V.id).add_columns(fts.c.score.label("score"),
                                                                    fts.c.tier.label("tier"))
    else:
        stmt = stmt.add_columns(literal(0.0).label("score"), literal(0).label("tier"))
    return stmt


def expand_query(words: list[str]) -> Expansion:
    """The search's words with their other names, spellings and typo corrections (a few small
    queries: the aliases, which words the offers use, and the nearest words to each one they do
    not)."""
    if not words:
        return Expansion()
    from app.registry.aliases import all_aliases

    return expand(words, all_aliases(), vocabulary.known(words), vocabulary.nearest)


_MD_MARKS = re.compile(r"[*_#>`\[\]]+")


def search(query: SearchQuery, *, follower_org: Organisation | None = None, per_page: int = 20,
           facets: bool = True, everything: bool = False) -> SearchResults:
    """Published, visible offers matching the query: one page of hits (or, with `everything`, up
    to MAX_EXPORT_ROWS for an export), the total, and facet counts over the hits (over the first
    FACET_COUNT_LIMIT in the page's order when there are more: `SearchResults.facets_partial`)."""
    from app.registry.services import track_records_for

    words = tokens(query.q)
    expansion = expand_query(words)
    profile = follower_profile(follower_org)
    # Every exemplar's track record is needed only to sort by best fit; otherwise the page's
    # exemplars' are enough (read once the page is known: at G-Cloud scale, reading every
    # partnership and milestone on each search cost more than the search itself).
    records = track_records_for(None) if query.sort == "fit" else {}
    points = {i: record_points(r) for i, r in records.items()}

    base = _base(query, expansion)
    if query.sort == "fit":
        base = base.add_columns(_fit_expression(profile, points).label("fit"))
    # A CTE, not a subquery: the counts-and-page statement reads the hits many times, and a CTE
    # used more than once is computed once (materialised) by both SQLite and PostgreSQL.
    hits = base.cte("hits")

    # (column, descending) pairs: the page's order, then newest first and the id to break ties.
    if query.sort == "price":
        order = [(hits.c.price_pence, False), (hits.c.lead_time_weeks, False)]
    elif query.sort == "lead_time":
        order = [(hits.c.lead_time_weeks, False), (hits.c.price_pence, False)]
    elif query.sort == "fit":
        order = [(hits.c.fit, True), (hits.c.score, True)]
    else:
        # A match only through a typo's correction (tier 1) comes after every other match.
        order = [(hits.c.tier, False), (hits.c.score, True)]
    order += [(hits.c.published_at, True), (hits.c.offer_id, False)]
    limit, offset = (MAX_EXPORT_ROWS, 0) if everything else (per_page, (query.page - 1) * per_page)

    if facets:
        total, counts, rows = counts_and_page(hits, order, limit, offset)
        facets_found = facet_values(query, counts)
    else:
        total = db.session.execute(select(func.count()).select_from(hits)).scalar_one()
        facets_found = {}
        ids_stmt = (select(hits.c.offer_id, hits.c.score)
                    .order_by(*[c.desc() if desc else c for c, desc in order]).limit(limit).offset(offset))
        rows = db.session.execute(ids_stmt).all()

    hits_out: list[Hit] = []
    marked = expansion.highlight_words
    if rows:
        offers = {o.id: o for o in db.session.execute(
            select(Offer).where(Offer.id.in_([offer_id for offer_id, _score in rows]))
            .options(selectinload(Offer.current_version).selectinload(OfferVersion.systems)
                     .selectinload(System.standard_rows))
        ).unique().scalars()}
        if query.sort != "fit":
            records = track_records_for(sorted({o.organisation_id for o in offers.values()}))
            points = {i: record_points(r) for i, r in records.items()}
        for offer_id, score in rows:
            offer = offers[offer_id]
            v = offer.current_version
            in_description = marked and any(w in (v.description or "").lower() for w in marked)
            record = records.get(offer.organisation_id)
            reasons = None
            if follower_org is not None:
                reasons = fit([s.id for s in v.systems], profile.system_ids, v.capacity_free,
                              [r.id for r in v.regions], profile.region_id, points.get(offer.organisation_id, 0))
            hits_out.append(Hit(
                offer=offer, version=v, score=float(score or 0),
                title=highlight(v.title, marked), summary=highlight(v.summary, marked),
                snippet=highlight(excerpt(_MD_MARKS.sub(" ", v.description), marked), marked) if in_description else None,
                fit=reasons, track=record,
                matched=reasons_for(expansion, v.title, v.summary, v.search_text, v.description),
            ))
    counted = min(int(total), search_facets.FACET_COUNT_LIMIT) if facets else int(total)
    return SearchResults(query=query, words=words, hits=hits_out, total=int(total), per_page=per_page,
                         facets=facets_found, facets_counted=counted, expansion=expansion)

