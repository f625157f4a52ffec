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

from . import alert_rules
from . import metrics as m
from .services import engine, today
from .views import bp


def _as_of(ctx, param, value: str | None) -> date:
    if not value:
        return today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter("use the format YYYY-MM-DD, for example 2024-03-31") from None


def figures_dict(f: m.Figures) -> dict:
    """The figures as JSON-ready values, with coverage and what they were computed over."""
    d = asdict(f)
    d["as_of"] = f.as_of.isoformat()
    d["coverage"] = f.coverage
    d["computed_over"] = f.computed_over
    return d


def _table(f: m.Figures) -> str:
    eff = "n/a" if f.effective_systems is None else f"{f.effective_systems:.2f}"
    lines = [
        f"{SYSTEM_CATEGORIES[f.category]} on {f.as_of.isoformat()} ({m.WEIGHTINGS[f.weighting].lower()})",
        f"  computed over: {f.computed_over}",
        f"  systems in use: {f.n_systems}   HHI: {f.hhi:,.1f}   supplier HHI: {f.supplier_hhi:,.1f}",
        f"  CR1: {f.cr1:.1f}%   CR3: {f.cr3:.1f}%   effective systems: {eff}",
        "  share per system:",
    ]
    lines += [f"    {s.label:<34} {s.percent:6.1f}%  ({s.organisations} org.)" for s in f.system_shares]
    lines.append("  share per supplier:")
    lines += [f"    {s.label:<34} {s.percent:6.1f}%  ({s.organisations} org.)" for s in f.supplier_shares]
    return "\n".join(lines)


def _csv(figs: list[m.Figures]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["category", "as_of", "weighting", "kind", "label", "organisations", "share_percent", "hhi",
                "cr1", "cr3", "effective_systems", "orgs_with_system", "orgs_in_scope"])
    for f in figs:
        head = [f.category, f.as_of.isoformat(), f.weighting]
        tail = [round(f.hhi, 2), round(f.cr1, 2), round(f.cr3, 2),
                "" if f.effective_systems is None else round(f.effective_systems, 3), f.orgs_with_system,
                f.orgs_in_scope]
        for kind, shares in (("system", f.system_shares), ("supplier", f.supplier_shares)):
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
        click.echo(json.dumps([figures_dict(f) for f in figs], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv(figs), nl=False)
    else:
        click.echo("\n\n".join(_table(f) for f in figs))


@bp.cli.command("load-rules")
def load_rules() -> None:
    """Load the published default alert rules that are missing (existing rules are kept)."""
    created = alert_rules.load_default_rules()
    db.session.commit()
    click.echo(f"{len(created)} alert rule(s) loaded.")
