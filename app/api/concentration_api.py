"""Concentration figures through the JSON API: the public summary, from the concentration
domain's cached engine (app/concentration/dashboard.summary → services.engine)."""
from __future__ import annotations

from datetime import date

from app.registry.vocab import SYSTEM_CATEGORIES

from .core import ApiError, allow, date_arg, ok, str_arg
from .views import v1


def _r(x: float | None, places: int = 4) -> float | None:
    return None if x is None else round(x, places)


def _figures(f) -> dict:
    """The figures by supplier (the headline, as on the pages), with their range, what they were
    computed over and what they rest on; the figures by system beside them."""
    def shares(rows):
        return [{"label": s.label, "percent": round(s.percent, 4), "organisations": s.organisations,
                 "weight": round(s.weight, 6)} for s in rows]

    c, b, src = f.suppliers, f.suppliers.bounds, f.sources
    return {
        "as_of": f.as_of.isoformat(),
        "scope": f.scope,
        "computed_over": f.computed_over,
        "organisations_in_scope": f.orgs_in_scope,
        "organisations_with_system": f.orgs_with_system,
        "organisations_without_system": f.orgs_without_system,
        "organisations_not_known": f.unknown,
        "coverage_percent": _r(f.coverage),
        "sources": {"rows": src.rows, "dated": src.dated, "high": src.high, "medium": src.medium, "low": src.low,
                    "unrated": src.unrated, "foi_2024_only": src.foi_2024_only},
        "unit": "supplier",
        "suppliers": c.n,
        "systems": f.systems.n,
        "hhi": round(c.hhi, 4),
        "hhi_low": _r(b.low),
        "hhi_high": _r(b.high),
        "sensitivity": round(c.sensitivity.largest, 4),
        "supplier_hhi": round(c.hhi, 4),
        "system_hhi": round(f.systems.hhi, 4),
        "cr1": round(c.cr1, 4),
        "cr3": round(c.cr3, 4),
        "effective_number": _r(c.effective),
        "effective_systems": _r(f.systems.effective),
        "system_shares": shares(f.systems.shares),
        "supplier_shares": shares(c.shares),
    }


@v1.get("/concentration")
def concentration():
    """HHI (by supplier, with the range it could take), CR1/CR3, effective number and shares for one
    system category and date, with the quarterly trend, coverage and sources."""
    from app.concentration.metrics import WEIGHTINGS
    from app.concentration.services import dashboard
    from app.concentration.services import today

    allow("concentration.view_summary")
    category = str_arg("category", SYSTEM_CATEGORIES) or "acute_epr"
    weighting = str_arg("weighting", WEIGHTINGS) or "organisation"
    as_of = date_arg("as_of") or today()
    if not date(2000, 1, 1) <= as_of <= date(2099, 12, 31):
        raise ApiError(400, "as_of must be a date from 2000 to 2099.", "as_of")
    s = dashboard.summary(category, as_of, weighting)
    return ok({
        "category": category,
        "label": s.label,
        "weighting": weighting,
        "figures": _figures(s.figures),
        "rise_since_previous_quarter": None if s.rise is None else round(s.rise, 4),
        "trend": [{"quarter": p.label, "at": p.at.isoformat(), "hhi": round(p.figures.suppliers.hhi, 4),
                   "hhi_low": _r(p.figures.suppliers.bounds.low), "hhi_high": _r(p.figures.suppliers.bounds.high),
                   "systems": p.figures.systems.n, "organisations_with_system": p.figures.orgs_with_system,
                   "coverage_percent": _r(p.figures.coverage)}
                  for p in s.series],
    })
