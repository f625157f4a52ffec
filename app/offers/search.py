"""Searching published offers: one interface, two full-text backends.

    results = search(SearchQuery.from_args(request.args), follower_org=org, per_page=20)

`search` answers the same `SearchResults` on SQLite (an FTS5 table, ranked by bm25) and on
PostgreSQL (a weighted tsvector with a GIN index, ranked by ts_rank_cd). Only the full-text part
differs (`Fts5Backend`, `PostgresBackend`); filters, facets, sorts and paging are shared SQL.

Only offers that are published, whose exemplar is admitted to the offer's lot right now, are
found: the membership status is read at query time, so a suspension hides offers at once.

The number of queries is fixed whatever the data size: track records (2), the follower's
systems (1), facet counts and the total in one grouped UNION query, the page's ids (1), and the
page's offers with their eager loads (a few).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from markupsafe import Markup
from sqlalchemy import String, and_, case, cast, exists, func, literal, or_, select, union_all
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.registry.models import Deployment, Framework, Lot, Membership, Organisation, Supplier, System, SystemStandard
from app.registry.vocab import STANDARDS

from .models import CapabilityCategory, Offer, OfferVersion, offer_version_regions, offer_version_systems
from .query import FACETS, SearchQuery
from .rules import FIT_POINTS, PRICE_BANDS, FitReasons, fit, price_band_bounds, price_band_label, track_record_points
from .search_backends import backend_for, rebuild_index  # noqa: F401  (part of this module's interface)
from .text import excerpt, highlight, tokens
from .vocab import PRICING_MODELS

CAPACITY_LABELS = {"available": "Capacity available this quarter", "full": "No capacity free"}
MAX_EXPORT_ROWS = 5000


# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    chosen: bool


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


@dataclass
class SearchResults:
    """A page of hits, the facets with counts, and enough to draw pagination."""

    query: SearchQuery
    words: list[str]
    hits: list[Hit]
    total: int
    per_page: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)

    @property
    def page(self) -> int:
        return self.query.page

    @property
    def pages(self) -> int:
        return max(1, ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


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


def _base(query: SearchQuery, words: list[str]):
    """The filtered hits as a subquery: offer, version and score columns."""
    V, O = OfferVersion, Offer
    stmt = select(O.id.label("offer_id"), V.id.label("version_id"), O.organisation_id, O.lot_id,
                  V.category_id, V.pricing_model, V.price_pence, V.lead_time_weeks,
                  V.capacity_per_quarter, V.capacity_committed, O.published_at)
    stmt = stmt.join(V, V.id == O.current_version_id).where(visible_offers_condition(), *_filters(query))
    if words:
        fts = backend_for(_dialect()).match(words)
        stmt = stmt.join(fts, fts.c.version_id == V.id).add_columns(fts.c.score.label("score"))
    else:
        stmt = stmt.add_columns(literal(0.0).label("score"))
    return stmt


def _facet_counts(hits) -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """The total and (value, label, count) per facet, in one grouped UNION query."""
    ovs, ovr = offer_version_systems, offer_version_regions
    n = func.count(func.distinct(hits.c.offer_id))
    lot_key = Framework.slug + "-" + cast(Lot.number, String)
    lot_label = "Lot " + cast(Lot.number, String) + ": " + Lot.name
    free = hits.c.capacity_committed < hits.c.capacity_per_quarter
    # "+ 0" keeps the planner from walking every system's offers by ix_offer_version_systems_system_id
    # (SQLite cannot size the hits): the joins start from the hits, so a rare term costs little.
    system_of = ovs.c.system_id + 0
    band = case(*[(and_(hits.c.pricing_model == model, hits.c.price_pence < upper) if upper is not None
                   else hits.c.pricing_model == model, f"{model}-{i}")
                  for model, bands in PRICE_BANDS.items() for i, (upper, _l) in enumerate(bands)], else_="other")

    def q(facet, key, label, *joins, group=None):
        stmt = select(literal(facet).label("facet"), cast(key, String).label("value"),
                      cast(label, String).label("label"), n.label("n")).select_from(hits)
        for target, on in joins:
            stmt = stmt.join(target, on)
        return stmt.group_by(*(group or (key, label)))

    parts = [
        select(literal("_total").label("facet"), cast(literal(""), String).label("value"),
               cast(literal(""), String).label("label"), n.label("n")).select_from(hits),
        q("capability", CapabilityCategory.slug, CapabilityCategory.name,
          (CapabilityCategory, CapabilityCategory.id == hits.c.category_id)),
        q("system", System.slug, System.name, (ovs, ovs.c.offer_version_id == hits.c.version_id),
          (System, System.id == system_of)),
        q("supplier", Supplier.slug, Supplier.name, (ovs, ovs.c.offer_version_id == hits.c.version_id),
          (System, System.id == system_of), (Supplier, Supplier.id == System.supplier_id)),
        q("lot", lot_key, lot_label, (Lot, Lot.id == hits.c.lot_id), (Framework, Framework.id == Lot.framework_id),
          group=(Framework.slug, Lot.number, Lot.name)),
        q("region", Organisation.ods_code, Organisation.name, (ovr, ovr.c.offer_version_id == hits.c.version_id),
          (Organisation, Organisation.id == ovr.c.region_id)),
        q("pricing", hits.c.pricing_model, hits.c.pricing_model),
        q("band", band, band),
        q("capacity", case((free, "available"), else_="full"), case((free, "available"), else_="full")),
        q("standard", SystemStandard.standard, SystemStandard.standard,
          (ovs, ovs.c.offer_version_id == hits.c.version_id),
          (SystemStandard, SystemStandard.system_id == ovs.c.system_id)),
    ]
    total = 0
    out: dict[str, list[tuple[str, str, int]]] = {k: [] for k in FACETS}
    for facet, value, label, count in db.session.execute(union_all(*parts)).all():
        if facet == "_total":
            total = int(count)
        else:
            out[facet].append((value, label, int(count)))
    return total, out


def _label(facet: str, value: str, label: str | None) -> str:
    if facet == "pricing":
        return PRICING_MODELS.get(value, value)
    if facet == "band":
        return price_band_label(value)
    if facet == "capacity":
        return CAPACITY_LABELS.get(value, value)
    if facet == "standard":
        return STANDARDS.get(value, value)
    if facet == "region" and label:
        return label.title().replace("Nhs", "NHS").replace(" And ", " and ").replace(" Of ", " of ")
    return label or value


def _facets(query: SearchQuery, counts: dict[str, list[tuple[str, str, int]]]) -> dict[str, list[FacetValue]]:
    facets: dict[str, list[FacetValue]] = {}
    for key in FACETS:
        chosen = set(getattr(query, key))
        values = [FacetValue(v, _label(key, v, lbl), c, v in chosen) for v, lbl, c in counts.get(key, [])]
        seen = {fv.value for fv in values}
        # A chosen value with no hits stays on screen so it can be unticked.
        missing = sorted(chosen - seen)
        names = _names(key, missing) if missing else {}
        values += [FacetValue(v, _label(key, v, names.get(v)), 0, True) for v in missing]
        values.sort(key=lambda fv: (-fv.count, fv.label))
        facets[key] = values
    return facets


def _names(facet: str, values: list[str]) -> dict[str, str]:
    """Names of chosen values that have no hits (one small query, only when there are any)."""
    lookups = {
        "capability": (CapabilityCategory.slug, CapabilityCategory.name),
        "system": (System.slug, System.name),
        "supplier": (Supplier.slug, Supplier.name),
        "region": (Organisation.ods_code, Organisation.name),
    }
    if facet not in lookups:
        return {}
    key, name = lookups[facet]
    return dict(db.session.execute(select(key, name).where(key.in_(values))).all())


_MD_MARKS = re.compile(r"[*_#>`\[\]]+")


def search(query: SearchQuery, *, follower_org: Organisation | None = None, per_page: int = 20,
           facets: bool = True, everything: bool = False) -> SearchResults:
    """Published, visible offers matching the query: one page of hits (or, with `everything`, up
    to MAX_EXPORT_ROWS for an export), facet counts over all hits, and the total."""
    from app.registry.services import track_records_for

    words = tokens(query.q)
    profile = follower_profile(follower_org)
    # Every exemplar's track record is needed only to sort by best fit; otherwise the page's
    # exemplars' are enough (read once the page is known: at G-Cloud scale, reading every
    # partnership and milestone on each search cost more than the search itself).
    records = track_records_for(None) if query.sort == "fit" else {}
    points = {i: track_record_points(r.followers_served, r.go_lives, r.go_lives_on_time) for i, r in records.items()}

    base = _base(query, words)
    if query.sort == "fit":
        base = base.add_columns(_fit_expression(profile, points).label("fit"))
    # A CTE, not a subquery: the facet query reads the hits ten times, and a CTE used more than
    # once is computed once (materialised) by both SQLite and PostgreSQL, not once per facet.
    hits = base.cte("hits")

    if facets:
        total, counts = _facet_counts(hits)
        facet_values = _facets(query, counts)
    else:
        total = db.session.execute(select(func.count()).select_from(hits)).scalar_one()
        facet_values = {}

    order = {
        "price": [hits.c.price_pence, hits.c.lead_time_weeks],
        "lead_time": [hits.c.lead_time_weeks, hits.c.price_pence],
        "fit": [hits.c.fit.desc() if query.sort == "fit" else hits.c.score.desc(), hits.c.score.desc()],
    }.get(query.sort, [hits.c.score.desc()])
    ids_stmt = select(hits.c.offer_id, hits.c.score).order_by(*order, hits.c.published_at.desc(), hits.c.offer_id)
    if everything:
        ids_stmt = ids_stmt.limit(MAX_EXPORT_ROWS)
    else:
        ids_stmt = ids_stmt.limit(per_page).offset((query.page - 1) * per_page)
    rows = db.session.execute(ids_stmt).all()

    hits_out: list[Hit] = []
    if rows:
        offers = {o.id: o for o in db.session.execute(
            select(Offer).where(Offer.id.in_([r.offer_id for r in rows]))
            .options(selectinload(Offer.current_version).selectinload(OfferVersion.systems)
                     .selectinload(System.standard_rows))
        ).unique().scalars()}
        if query.sort != "fit":
            records = track_records_for(sorted({o.organisation_id for o in offers.values()}))
            points = {i: track_record_points(r.followers_served, r.go_lives, r.go_lives_on_time)
                      for i, r in records.items()}
        for offer_id, score in rows:
            offer = offers[offer_id]
            v = offer.current_version
            in_description = words and any(w in (v.description or "").lower() for w in words)
            record = records.get(offer.organisation_id)
            reasons = None
            if follower_org is not None:
                reasons = fit([s.id for s in v.systems], profile.system_ids, v.capacity_free,
                              [r.id for r in v.regions], profile.region_id, points.get(offer.organisation_id, 0))
            hits_out.append(Hit(
                offer=offer, version=v, score=float(score or 0),
                title=highlight(v.title, words), summary=highlight(v.summary, words),
                snippet=highlight(excerpt(_MD_MARKS.sub(" ", v.description), words), words) if in_description else None,
                fit=reasons, track=record,
            ))
    return SearchResults(query=query, words=words, hits=hits_out, total=int(total), per_page=per_page,
                         facets=facet_values)

