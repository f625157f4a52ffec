"""Facet counts of offer search (engine.py): one grouped SELECT per facet, and the
statement that answers the total, the facet counts and the page's ids at once.

Facet counts are exact up to FACET_COUNT_LIMIT hits; beyond it they count the first
FACET_COUNT_LIMIT hits in the page's order, and the page says so (SearchResults.facets_partial).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, String, and_, case, cast, func, literal, select, union_all

from app.extensions import db
from app.registry.models import Framework, Lot, Organisation, Supplier, System, SystemStandard
from app.registry.vocab import STANDARDS

from ..models import CapabilityCategory, offer_version_regions, offer_version_systems
from ..rules import PRICE_BANDS, price_band_label
from ..vocab import PRICING_MODELS
from .query import FACETS, SearchQuery

CAPACITY_LABELS = {"available": "Capacity available this quarter", "full": "No capacity free"}
#: Facet counts are exact up to this many hits. Beyond it they count the first this-many hits in
#: the page's order (the page says so): counting every hit of a term that matches most offers cost
#: several times the ranked full-text query itself (see docs/performance.md). The total, the
#: ranking and the pages stay exact.
FACET_COUNT_LIMIT = 1000


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    chosen: bool


def _facet_parts(hits) -> list:
    """One grouped SELECT per facet over `hits`: (facet, value, label, n, score) rows."""
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
    no_score = cast(literal(None), Float).label("score")

    def q(facet, key, label, *joins, group=None):
        stmt = select(literal(facet).label("facet"), cast(key, String).label("value"),
                      cast(label, String).label("label"), n.label("n"), no_score).select_from(hits)
        for target, on in joins:
            stmt = stmt.join(target, on)
        return stmt.group_by(*(group or (key, label)))

    return [
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


def counts_and_page(hits, order: list[tuple[Any, bool]], limit: int, offset: int):
    """The total, (value, label, count) per facet and the page's (offer_id, score) rows, in ONE
    statement: the hits are a CTE used several times, so they are computed once (materialised),
    where a statement for the counts and another for the page computed them twice.

    The facets count the first FACET_COUNT_LIMIT hits in the page's order (all of them when there
    are fewer); the total counts every hit."""
    def ordered(keys):
        return [k.desc() if desc else k for k, (_c, desc) in zip(keys, order)]

    counted = (select(hits).order_by(*ordered([c for c, _d in order]))
               .limit(FACET_COUNT_LIMIT).cte("counted"))
    # A page within the counted hits is taken from them (already sorted, and few), else from all.
    source = counted if offset + limit <= FACET_COUNT_LIMIT else hits
    keys = [source.c[c.name].label(f"k{i}") for i, (c, _d) in enumerate(order)]
    page = (select(source.c.offer_id, source.c.score, *keys)
            .order_by(*ordered([source.c[c.name] for c, _d in order])).limit(limit).offset(offset).subquery("page"))
    page_keys = [page.c[f"k{i}"] for i in range(len(order))]
    blank = cast(literal(""), String)
    parts = [
        select(literal("_total").label("facet"), blank.label("value"), blank.label("label"),
               func.count().label("n"), cast(literal(None), Float).label("score")).select_from(hits),
        *_facet_parts(counted),
        # The page's rows, numbered in the page's order (a UNION keeps no order of its own).
        select(literal("_page").label("facet"), cast(page.c.offer_id, String).label("value"), blank.label("label"),
               func.row_number().over(order_by=ordered(page_keys)).label("n"),
               cast(page.c.score, Float).label("score")),
    ]
    total = 0
    out: dict[str, list[tuple[str, str, int]]] = {k: [] for k in FACETS}
    rows: list[tuple[int, int, float]] = []
    for facet, value, label, count, score in db.session.execute(union_all(*parts)).all():
        if facet == "_total":
            total = int(count)
        elif facet == "_page":
            rows.append((int(count), int(value), score))
        else:
            out[facet].append((value, label, int(count)))
    return total, out, [(offer_id, score) for _n, offer_id, score in sorted(rows)]


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


def facet_values(query: SearchQuery, counts: dict[str, list[tuple[str, str, int]]]) -> dict[str, list[FacetValue]]:
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
