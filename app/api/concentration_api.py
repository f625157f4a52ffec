"""Concentration figures through the JSON API: the public summary, from the concentration
domain's cached engine (app/concentration/dashboard.summary → services.engine)."""
from __future__ import annotations

from datetime import date

from app.registry.vocab import SYSTEM_CATEGORIES

from .core import ApiError, allow, date_arg, ok, str_arg
from .views import v1


def _figures(f) -> dict:
    def shares(rows):
        return [{"label": s.label, "percent": round(s.percent, 4), "organisations": s.organisations,
                 "weight": round(s.weight, 6)} for s in rows]

    return {
        "as_of": f.as_of.isoformat(),
        "scope": f.scope,
        "computed_over": f.computed_over,
        "organisations_in_scope": f.orgs_in_scope,
        "organisations_with_system": f.orgs_with_system,
        "coverage_percent": None if f.coverage is None else round(f.coverage, 4),
        "systems": f.n_systems,
        "hhi": round(f.hhi, 4),
        "supplier_hhi": round(f.supplier_hhi, 4),
        "cr1": round(f.cr1, 4),
        "cr3": round(f.cr3, 4),
        "effective_systems": None if f.effective_systems is None else round(f.effective_systems, 4),
        "system_shares": shares(f.system_shares),
        "supplier_shares": shares(f.supplier_shares),
    }


@v1.get("/concentration")
def concentration():
    """HHI, CR1/CR3, effective number of systems and shares for one system category and date, with
    the quarterly trend and what the figures were computed over."""
    from app.concentration import dashboard
    from app.concentration.metrics import WEIGHTINGS
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
        "trend": [{"quarter": p.label, "at": p.at.isoformat(), "hhi": round(p.figures.hhi, 4),
                   "systems": p.figures.n_systems, "organisations_with_system": p.figures.orgs_with_system}
                  for p in s.series],
    })
