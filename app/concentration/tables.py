"""The data tables under each chart, shared by the pages and their CSV downloads (one source, so
what is read is what is downloaded)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from app.registry.vocab import SYSTEM_CATEGORIES

from .dashboard import Dashboard, Summary
from .metrics import Share


@dataclass(frozen=True)
class Table:
    name: str
    caption: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]


def _r(x: float | None, places: int = 1) -> float | None:
    return None if x is None else round(x, places)


def _shares(name: str, caption: str, what: str, shares: Sequence[Share]) -> Table:
    return Table(name, caption, (what, "Organisations", "Weight", "Share (%)"),
                 [(s.label, s.organisations, _r(s.weight, 2), _r(s.percent)) for s in shares])


def public_tables(s: Summary) -> dict[str, Table]:
    """Tables of the public summary: shares per system and supplier, and the HHI trend."""
    over = s.figures.computed_over
    return {
        "systems": _shares("systems", f"Share per system, {s.label} ({over})", "System", s.figures.system_shares),
        "suppliers": _shares("suppliers", f"Share per supplier, {s.label} ({over})", "Supplier",
                             s.figures.supplier_shares),
        "trend": Table("trend", f"HHI by quarter, {s.label}",
                       ("Quarter", "Measured on", "HHI", "Systems in use", "Effective systems",
                        "Organisations with a known system", "Organisations in scope"),
                       [(p.label, p.at.isoformat(), _r(p.figures.hhi) if p.figures.orgs_with_system else None,
                         p.figures.n_systems, _r(p.figures.effective_systems), p.figures.orgs_with_system,
                         p.figures.orgs_in_scope) for p in s.series]),
    }


def dashboard_tables(d: Dashboard) -> dict[str, Table]:
    """Every table of the commercial dashboard."""
    tables = public_tables(d)
    p = d.projection
    if p is not None:
        now = {x.label: x for x in p.now.system_shares}
        after = {x.label: x for x in p.projected.system_shares}
        labels = sorted(set(now) | set(after), key=lambda k: (-(after[k].percent if k in after else 0), k))
        tables["projection"] = Table(
            "projection", f"Share per system now and if every follower adopted its exemplar's system, {d.label}",
            ("System", "Share now (%)", "Share projected (%)"),
            [(k, _r(now[k].percent) if k in now else 0.0, _r(after[k].percent) if k in after else 0.0)
             for k in labels])
    tables["alerts"] = Table("alerts", f"Alerts, {d.label}", ("Severity", "Alert", "Rule", "Source", "Verified"),
                             [(a.rule.severity, a.message, a.rule.name, " ; ".join(a.rule.source_urls) or a.rule.regime,
                               a.rule.verified) for a in d.alerts])
    tables["shut-out"] = Table("shut-out", f"Systems in use with no admitted exemplar on a live framework, {d.label}",
                               ("System",), [(s.name,) for s in d.shut_out])
    tables["load"] = Table("load", "Exemplar load: active partnerships against declared capacity per quarter",
                           ("Exemplar", "Active partnerships", "Declared capacity per quarter", "Over capacity"),
                           [(r.name, r.partnerships, r.capacity_per_quarter, r.over_capacity) for r in d.load])
    tables["negotiation"] = Table("negotiation", "Suppliers in use at two or more organisations (all categories): "
                                  "candidates for national negotiation",
                                  ("Supplier", "Organisations", "Systems"),
                                  [(r.name, r.organisations, ", ".join(r.systems)) for r in d.suppliers])
    if d.network is not None:
        names = dict(d.network.exemplars) | dict(d.network.followers)
        tables["network"] = Table("network", "Partnerships: follower → exemplar", ("Follower", "Exemplar"),
                                  sorted((names[f], names[e]) for f, e in d.network.edges))
        tables["components"] = Table("components", "Connected groups of the follower network",
                                     ("Group", "Organisations", "Members"),
                                     [(i + 1, len(c), "; ".join(c)) for i, c in enumerate(d.network.components)])
    tables["historical"] = Table("historical", f"Historical records, not counted, {d.label}",
                                 ("Organisation", "ODS code", "System", "Status in source", "Status as of",
                                  "Confidence"),
                                 [(h.organisation, h.ods_code, h.system, h.status, h.status_as_of, h.confidence)
                                  for h in d.historical])
    return tables


def category_label(category: str) -> str:
    """The category's name on screen."""
    return SYSTEM_CATEGORIES.get(category, category)
