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


class Sources(Schema):
    rows = Int(required=True)
    dated = Str()
    high = Int()
    medium = Int()
    low = Int()
    unrated = Int()
    foi_2024_only = Int(required=True)


class Figures(Schema):
    as_of = IsoDate(required=True)
    scope = Str()
    computed_over = Str(required=True)
    organisations_in_scope = Int()
    organisations_with_system = Int()
    organisations_without_system = Int()
    organisations_not_known = Int()
    coverage_percent = Num(required=True, allow_none=True)
    sources = fields.Nested(Sources, required=True)
    unit = Str()
    suppliers = Int()
    systems = Int(required=True)
    hhi = Num(required=True)
    hhi_low = Num(allow_none=True)
    hhi_high = Num(allow_none=True)
    sensitivity = Num()
    supplier_hhi = Num()
    system_hhi = Num()
    cr1 = Num(required=True)
    cr3 = Num(required=True)
    effective_number = Num(allow_none=True)
    effective_systems = Num(allow_none=True)
    system_shares = fields.List(fields.Nested(Share))
    supplier_shares = fields.List(fields.Nested(Share))


class TrendPoint(Schema):
    quarter = Str(required=True)
    at = IsoDate(required=True)
    hhi = Num(required=True)
    hhi_low = Num(allow_none=True)
    hhi_high = Num(allow_none=True)
    systems = Int()
    organisations_with_system = Int()
    coverage_percent = Num(allow_none=True)


class Concentration(Schema):
    category = Str(required=True)
    label = Str()
    weighting = Str()
    figures = fields.Nested(Figures, required=True)
    rise_since_previous_quarter = Num(allow_none=True)
    trend = fields.List(fields.Nested(TrendPoint), required=True)


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


@v1.route("/concentration", tags=["Concentration"])
@needs("concentration.view_summary")
@v1.arguments(ConcentrationQuery, location="query")
@v1.response(200, Concentration)
def concentration(args):
    """Concentration figures for a system category on a date

    HHI by supplier with the range it could take whatever the unknown organisations run, CR1/CR3,
    effective number and shares for one system category and date (the public summary), with the
    quarterly trend, coverage and the sources the figures rest on.
    """
    from app.concentration.services import dashboard, today

    category = args.get("category") or "acute_epr"
    weighting = args.get("weighting") or "organisation"
    s = dashboard.summary(category, args.get("as_of") or today(), weighting)
    return {
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
    }
