"""`flask concentration …`: the figures on the command line, and loading the default alert rules."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import date

import click

from app.extensions import db
from app.registry.vocab import SYSTEM_CATEGORIES

from . import metrics as m
from . import wording
from .services import alert_rules, engine, today
from . import bp


def _as_of(ctx, param, value: str | None) -> date:
    if not value:
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use the format YYYY-MM-DD, for example 2024-03-31") from None


def figures_dict(f: m.Figures) -> dict:
    """The figures as JSON-ready values, with coverage, the range and what they were computed over."""
    d = asdict(f)
    d["as_of"] = f.as_of.isoformat()
    d["coverage"] = f.coverage
    d["known"] = f.known
    d["unknown"] = f.unknown
    d["computed_over"] = f.computed_over
    d["in_words"] = [wording.hhi_sentence(f.suppliers), wording.sensitivity_sentence(f.suppliers),
                     wording.coverage_sentence(f), wording.sources_sentence(f)]
    return d


def _table(f: m.Figures) -> str:
    c = f.suppliers
    eff = "n/a" if c.effective is None else f"{c.effective:.2f}"
    lines = [
        f"{SYSTEM_CATEGORIES[f.category]} on {f.as_of.isoformat()} ({m.WEIGHTINGS[f.weighting].lower()})",
        f"  computed over: {f.computed_over}",
        f"  {wording.hhi_sentence(c)}",
        f"  {wording.sensitivity_sentence(c)}",
        f"  {wording.sources_sentence(f)}",
        f"  suppliers in use: {c.n}   CR1: {c.cr1:.1f}%   CR3: {c.cr3:.1f}%   effective number of suppliers: {eff}",
        f"  by system: {f.systems.n} systems, HHI {f.systems.hhi:,.1f}",
        "  share per supplier:",
    ]
    lines += [f"    {s.label:<40} {s.percent:6.1f}%  ({s.organisations} trusts)" for s in c.shares]
    lines.append("  share per system:")
    lines += [f"    {s.label:<40} {s.percent:6.1f}%  ({s.organisations} trusts)" for s in f.systems.shares]
    return "\n".join(lines)


def _csv(figs: list[m.Figures]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["category", "as_of", "weighting", "kind", "label", "organisations", "share_percent",
                "hhi_by_supplier", "hhi_low", "hhi_high", "cr1", "cr3", "effective_suppliers", "orgs_with_system",
                "orgs_without_system", "orgs_not_known", "orgs_in_scope", "coverage_percent", "sources_dated",
                "rows_weaker_confidence", "rows_foi_2024_only"])
    for f in figs:
        c, b = f.suppliers, f.suppliers.bounds
        head = [f.category, f.as_of.isoformat(), f.weighting]
        tail = [round(c.hhi, 2), None if b.low is None else round(b.low, 2), None if b.high is None else round(b.high, 2),
                round(c.cr1, 2), round(c.cr3, 2), "" if c.effective is None else round(c.effective, 3),
                f.orgs_with_system, f.orgs_without_system, f.unknown, f.orgs_in_scope,
                "" if f.coverage is None else round(f.coverage, 2), f.sources.dated, f.sources.weaker,
                f.sources.foi_2024_only]
        for kind, shares in (("supplier", c.shares), ("system", f.systems.shares)):
            for s in shares:
                w.writerow(head + [kind, s.label, s.organisations, round(s.percent, 2)] + tail)
    return buf.getvalue()


bp.cli.help = "Convergence and supplier concentration figures."
bp.cli.short_help = "Convergence and supplier concentration figures."


@bp.cli.command("report")
@click.option("--category", type=click.Choice(sorted(SYSTEM_CATEGORIES)), default=None,
              help="One system category (default: every category).")
@click.option("--as-of", "as_of", callback=_as_of, default=None, help="Date YYYY-MM-DD (default: today).")
@click.option("--weighting", type=click.Choice(sorted(m.WEIGHTINGS)), default="organisation")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table")
def report(category: str | None, as_of: date, weighting: str, fmt: str) -> None:
    """Print the concentration figures (the same as the dashboard's)."""
    eng = engine()
    cats = [category] if category else list(SYSTEM_CATEGORIES)
    figs = [eng.figures(c, as_of, weighting) for c in cats]
    if fmt == "json":
        click.echo(json.dumps([figures_dict(f) for f in figs], indent=2, ensure_ascii=False, default=str))
    elif fmt == "csv":
        click.echo(_csv(figs), nl=False)
    else:
        click.echo("\n\n".join(_table(f) for f in figs))


@bp.cli.command("load-rules")
def load_rules() -> None:
    """Load the published default alert rules that are missing and refresh the sources of the others
    (their thresholds, severity and use are kept)."""
    created = alert_rules.load_default_rules()
    db.session.commit()
    click.echo(f"{len(created)} alert {'rule' if len(created) == 1 else 'rules'} loaded.")
