"""Concentration figures through the JSON API: the public summary, from the concentration
domain's cached engine (app/concentration/dashboard.summary → services.engine)."""
from __future__ import annotations

from datetime import date

from marshmallow import Schema, fields

from app.concentration.metrics import WEIGHTINGS
from app.registry.vocab import SYSTEM_CATEGORIES

from .blueprint import v1
from .fields import IsoDate, Query, choice, day
from .core import needs

Str, Int, Num = fields.String, fields.Integer, fields.Float
#: The dates the figures can be asked for.
EARLIEST, LATEST = date(2000, 1, 1), date(2099, 12, 31)


class ConcentrationQuery(Query):
    category = choice("category", SYSTEM_CATEGORIES, "System category (default acute_epr)")
    as_of = day("as_of", "Date, YYYY-MM-DD, 2000 to 2099 (default today)", within=(EARLIEST, LATEST),
                pattern=r"^20[0-9]{2}-[0-9]{2}-[0-9]{2}$")
    weighting = choice("weighting", WEIGHTINGS, "Weighting (default organisation)")


class Share(Schema):
    label = Str(required=True)
    percent = Num(required=True)
    organisations = Int(required=True)
    weight = Num()


class Figures(Schema):
    as_of = IsoDate(required=True)
    scope = Str()
    computed_over = Str(required=True)
    organisations_in_scope = Int()
    organisations_with_system = Int()
    coverage_percent = Num(allow_none=True)
    systems = Int(required=True)
    hhi = Num(required=True)
    supplier_hhi = Num()
    cr1 = Num(required=True)
    cr3 = Num(required=True)
    effective_systems = Num(allow_none=True)
    system_shares = fields.List(fields.Nested(Share))
    supplier_shares = fields.List(fields.Nested(Share))


class TrendPoint(Schema):
    quarter = Str(required=True)
    at = IsoDate(required=True)
    hhi = Num(required=True)
    systems = Int()
    organisations_with_system = Int()


class Concentration(Schema):
    category = Str(required=True)
    label = Str()
    weighting = Str()
    figures = fields.Nested(Figures, required=True)
    rise_since_previous_quarter = Num(allow_none=True)
    trend = fields.List(fields.Nested(TrendPoint), required=True)


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


@v1.route("/concentration", tags=["Concentration"])
@needs("concentration.view_summary")
@v1.arguments(ConcentrationQuery, location="query")
@v1.response(200, Concentration)
def concentration(args):
    """Concentration figures for a system category on a date

    HHI, CR1/CR3, effective number of systems and shares for one system category and date (the
    public summary), with the quarterly trend and what the figures were computed over.
    """
    from app.concentration import dashboard
    from app.concentration.services import today

    category = args.get("category") or "acute_epr"
    weighting = args.get("weighting") or "organisation"
    s = dashboard.summary(category, args.get("as_of") or today(), weighting)
    return {
        "category": category,
        "label": s.label,
        "weighting": weighting,
        "figures": _figures(s.figures),
        "rise_since_previous_quarter": None if s.rise is None else round(s.rise, 4),
        "trend": [{"quarter": p.label, "at": p.at.isoformat(), "hhi": round(p.figures.hhi, 4),
                   "systems": p.figures.n_systems, "organisations_with_system": p.figures.orgs_with_system}
                  for p in s.series],
    }
