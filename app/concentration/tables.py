"""The data tables under each chart, shared by the pages and their CSV downloads (one source, so
what is read is what is downloaded). Each table carries what its figures were computed over: the
page shows it in the caption, the CSV in columns of its own on every row.

A page shows at most `TOP_ROWS` rows of a table (its largest or first rows, and its totals); the
whole table is a page of its own, filtered and paginated (`Table.matching`, views/tables.py), and
its CSV. So no page grows with the register: at G-Cloud size the network table alone is thousands
of rows."""
from __future__ import annotations

from dataclasses import dataclass, field
from html import escape
from typing import Any, Sequence

from markupsafe import Markup

from app.web.formatting import hhi_points, number
from app.registry.vocab import SYSTEM_CATEGORIES

from .metrics import Figures, Share
from .services.dashboard import Dashboard, Summary


#: Most rows of a table on a page that shows many tables (the rest: the table's own page and CSV).
TOP_ROWS = 10
#: Most names of a list in one cell ("A; B; C"); the CSV has them all.
CELL_NAMES = 12


@dataclass(frozen=True)
class Table:
    name: str
    caption: str
    header: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    #: (label, value) pairs every row of the CSV repeats: coverage, scope, sources.
    context: tuple[tuple[str, Any], ...] = field(default=())
    #: Rows shown after every page of rows (totals, coverage): never cut, never filtered out.
    foot: list[tuple[Any, ...]] = field(default_factory=list)
    #: Most rows a page of many tables shows; None for a table bounded by what it is (20 quarters).
    top: int | None = TOP_ROWS

    def csv(self) -> tuple[tuple[str, ...], list[tuple[Any, ...]]]:
        """Header and rows of the download, with the context columns appended."""
        labels = tuple(k for k, _ in self.context)
        values = tuple(v for _, v in self.context)
        return self.header + labels, [row + values for row in self.rows + self.foot]

    @property
    def cut(self) -> bool:
        """Whether a page of many tables shows only the first rows of this one."""
        return self.top is not None and len(self.rows) > self.top

    @property
    def html_rows(self) -> int:
        """How many rows a page of many tables shows."""
        return len(self.rows) if self.top is None else min(self.top, len(self.rows))

    def matching(self, text: str) -> list[tuple[Any, ...]]:
        """The rows any of whose cells contains `text` (as shown, case ignored); every row for ''."""
        needle = text.strip().casefold()
        if not needle:
            return self.rows
        return [row for row in self.rows if any(needle in _cell(v)[0].casefold() for v in row)]

    def html(self, rows: Sequence[tuple[Any, ...]] | None = None) -> Markup:
        """The NHS.UK responsive table, as the design system's table macro writes it (numbers with
        thousands separators, right-aligned; Yes/No for true/false). Written here because the macro
        took a second for a dashboard's fifteen tables and two thousand cells. Shows `rows` (a page
        of them) or the first `top`, then the foot rows."""
        shown = list(self.rows[:self.html_rows] if rows is None else rows) + self.foot
        cells = [[_cell(v) for v in row] for row in shown]
        numeric_column = [bool(cells) and all(row[i][1] for row in cells if i < len(row))
                          for i in range(len(self.header))]
        out = ['<table class="nhsuk-table nhsuk-table--responsive" role="table">',
               f'<caption class="nhsuk-table__caption nhsuk-table__caption--s">{escape(self.caption)}</caption>',
               '<thead class="nhsuk-table__head" role="rowgroup"><tr class="nhsuk-table__row" role="row">']
        for h, numeric in zip(self.header, numeric_column):
            cls = "nhsuk-table__header nhsuk-table__header--numeric" if numeric else "nhsuk-table__header"
            out.append(f'<th class="{cls}" scope="col" role="columnheader">{escape(h)}</th>')
        out.append('</tr></thead><tbody class="nhsuk-table__body">')
        for row in cells:
            out.append('<tr class="nhsuk-table__row" role="row">')
            for h, (text, numeric) in zip(self.header, row):
                cls = "nhsuk-table__cell nhsuk-table__cell--numeric" if numeric else "nhsuk-table__cell"
                out.append(f'<td class="{cls}" role="cell"><span class="nhsuk-table__heading" aria-hidden="true">'
                           f'{escape(h)} </span>{text}</td>')
            out.append("</tr>")
        out.append("</tbody></table>")
        return Markup("".join(out))


def _cell(value: Any) -> tuple[str, bool]:
    """A value as escaped cell text, and whether it is a number. A long list of names
    ("A; B; …") shows its first `CELL_NAMES` and how many more."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("Yes" if value else "No"), False
    if isinstance(value, (int, float)):
        return escape(number(value)), True
    text = str(value)
    names = text.split("; ")
    if len(names) > CELL_NAMES:
        text = "; ".join(names[:CELL_NAMES]) + f"; and {number(len(names) - CELL_NAMES)} more"
    return escape(text), False


def _r(x: float | None, places: int = 1) -> float | None:
    return None if x is None else round(x, places)


def context(f: Figures) -> tuple[tuple[str, Any], ...]:
    """What a figure was computed over, as CSV columns."""
    s = f.sources
    return (("Figures as of", f.as_of.isoformat()), ("Trusts in scope", f.orgs_in_scope),
            ("Known: with a system", f.orgs_with_system), ("Known: with none", f.orgs_without_system),
            ("Not known", f.unknown), ("Coverage (%)", _r(f.coverage)), ("Sources dated", s.dated),
            ("Rows of medium, low or no stated confidence", s.weaker),
            ("Rows resting on the 2024 FOI list alone", s.foi_2024_only))


def _shares(name: str, caption: str, what: str, shares: Sequence[Share], f: Figures) -> Table:
    return Table(name, caption, (what, "Trusts", "Weight", "Share (%)"),
                 [(s.label, s.organisations, _r(s.weight, 2), _r(s.percent)) for s in shares], context(f))


def _trend_row(p) -> tuple:
    f = p.figures
    b = f.suppliers.bounds
    shown = f.orgs_with_system > 0
    return (p.label + (" (projected)" if p.projected else ""), p.at.isoformat(),
            hhi_points(f.suppliers.hhi) if shown else None, hhi_points(b.low), hhi_points(b.high), f.suppliers.n,
            _r(f.suppliers.effective), f.orgs_with_system, f.orgs_without_system, f.unknown, _r(f.coverage),
            f.sources.foi_2024_only)


TREND_HEADER = ("Quarter", "Measured on", "HHI by supplier", "HHI could be from", "HHI could be up to",
                "Suppliers in use", "Effective number of suppliers", "Trusts with a system", "Trusts with none",
                "Trusts not known", "Coverage (%)", "Rows resting on the 2024 FOI list alone")


def supplier_counts_by_quarter(s: Summary, top: int = 8) -> Table:
    """Trusts per supplier, quarter by quarter, for the largest suppliers now: the market moving."""
    now = [x.label for x in s.figures.suppliers.shares[:top]]
    rows = []
    for p in s.series:
        counts = {x.label: x.organisations for x in p.figures.suppliers.shares}
        rows.append((p.label, *[counts.get(k, 0) for k in now], sum(counts.values()) - sum(counts.get(k, 0) for k in now),
                     p.figures.orgs_with_system))
    return Table("suppliers-by-quarter", f"Trusts per supplier by quarter, {s.label} (the {len(now)} largest now)",
                 ("Quarter", *now, "Other suppliers", "Trusts with a system"), rows, context(s.figures), top=None)


def regions_table(s: Summary) -> Table:
    """Trusts per supplier in each NHS England region, with each region's coverage."""
    t = s.regions
    cols = [c.name for c in t.columns]
    rows = [(r.supplier, *r.counts, r.total) for r in t.rows]
    every = list(t.columns) + [t.england]
    foot = [("Known to have no system", *[c.without_system for c in every]),
            ("Not known", *[c.unknown for c in every]),
            ("Trusts in scope", *[c.in_scope for c in every]),
            ("Coverage (%)", *[_r(c.coverage) for c in every])]
    return Table("regions", f"Trusts per supplier by NHS England region, {s.label} ({s.figures.computed_over})",
                 ("Supplier", *cols, "England"), rows, context(s.figures), foot)


def public_tables(s: Summary) -> dict[str, Table]:
    """Tables of the public summary: shares by supplier and system, the trend, the regions."""
    f = s.figures
    over = f.computed_over
    tables = {
        "suppliers": _shares("suppliers", f"Share per supplier, {s.label} ({over})", "Supplier", f.suppliers.shares, f),
        "systems": _shares("systems", f"Share per system, {s.label} ({over})", "System", f.systems.shares, f),
        "trend": Table("trend", f"HHI by supplier by quarter, with the range it could take, {s.label}", TREND_HEADER,
                       [_trend_row(p) for p in s.series], context(f), top=None),
        "suppliers-by-quarter": supplier_counts_by_quarter(s),
    }
    if s.regions is not None:
        tables["regions"] = regions_table(s)
    return tables


def _projection_tables(d: Dashboard, tables: dict[str, Table]) -> None:
    p = d.projection
    now = {x.label: x for x in p.now.suppliers.shares}
    pipe = {x.label: x for x in p.with_pipeline.suppliers.shares}
    after = {x.label: x for x in p.projected.suppliers.shares}
    labels = sorted(set(now) | set(pipe) | set(after), key=lambda k: (-(after[k].percent if k in after else 0), k))

    def pct(rows, k):
        return _r(rows[k].percent) if k in rows else 0.0

    tables["projection"] = Table(
        "projection", f"Share per supplier now, with the contracted pipeline live, and if every follower then "
                      f"adopted its exemplar's system, {d.label}",
        ("Supplier", "Share now (%)", "With the pipeline (%)", "With the pipeline and followers (%)"),
        [(k, pct(now, k), pct(pipe, k), pct(after, k)) for k in labels], context(p.now))
    tables["pipeline"] = Table(
        "pipeline", f"The contracted pipeline the projection rests on, {d.label}",
        ("Trust", "ODS code", "System planned", "Supplier", "Runs now", "Planned go-live", "Source as of",
         "Confidence", "2024 FOI list alone"),
        [(r.organisation, r.ods_code, r.system, r.supplier, r.runs_now,
          (r.expected_on.isoformat() + (" (passed; not confirmed live)" if r.overdue else "")) if r.expected_on
          else "Not stated", r.status_as_of, r.confidence, r.foi_2024_only) for r in p.pipeline])
    tables["projected-trend"] = Table(
        "projected-trend", f"HHI by supplier in the quarters ahead as the pipeline goes live at its planned dates, "
                           f"{d.label}", TREND_HEADER, [_trend_row(q) for q in p.series], context(p.now), top=None)


def alerts_table(d: Dashboard) -> Table:
    """The alerts fired (the rules as they are now: not part of a stored build)."""
    fired = d.assessment.alerts if d.assessment else ()
    return Table("alerts", f"Alerts, {d.label}" + (f" ({d.assessment.note})" if d.assessment and d.assessment.note
                                                   else ""),
                 ("Severity", "Alert", "Rule", "Regime", "Kind of source", "Verified", "Source"),
                 [(a.rule.severity, a.message, a.rule.name, a.rule.regime, a.rule.source_kind,
                   a.rule.is_verified, " ; ".join(a.rule.source_urls)) for a in fired], context(d.figures),
                 top=None)  # one row per active rule


def dashboard_tables(d: Dashboard) -> dict[str, Table]:
    """Every table of the commercial dashboard."""
    tables = public_tables(d)
    if d.projection is not None:
        _projection_tables(d, tables)
    tables["alerts"] = alerts_table(d)
    tables["shut-out"] = Table("shut-out", f"Systems in use with no admitted exemplar on a live framework, {d.label}",
                               ("System",), [(s.name,) for s in d.shut_out])
    tables["load"] = Table("load", "Exemplar load: active partnerships against declared capacity per quarter",
                           ("Exemplar", "Active partnerships", "Declared capacity per quarter", "Over capacity"),
                           [(r.name, r.partnerships, r.capacity_per_quarter, r.over_capacity) for r in d.load])
    tables["negotiation"] = Table("negotiation", "Suppliers in use at two or more organisations (all categories): "
                                  "candidates for national negotiation",
                                  ("Supplier", "Organisations", "Systems"),
                                  [(r.name, r.organisations, "; ".join(r.systems)) for r in d.suppliers])
    if d.network is not None:
        names = dict(d.network.exemplars) | dict(d.network.followers)
        tables["network"] = Table("network", "Partnerships: follower → exemplar, each pair once",
                                  ("Follower", "Exemplar", "Active partnerships"),
                                  sorted((names[f], names[e], d.network.counts.get((f, e), 1))
                                         for f, e in d.network.edges))
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
