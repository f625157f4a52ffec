"""Imports into and exports of the register: the `flask registry ...` commands and the upload pages.

Their own blueprint, "imports", nested in the "api" blueprint (endpoints "api.imports.…"), with
the CLI group `flask registry`: the register itself knows nothing of them (it is imported by
them, never the other way). The work is done by app/api/imports.py (service) and
app/registry/importing.py (pure reading and planning); exports by app/api/open_data/export_sqlite.py.

    flask registry import organisations FILE [--dry-run]
    flask registry import deployments FILE [--dry-run]
    flask registry export-sqlite FILE
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from app.web.formatting import counted
from app.web.fields import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, SelectChoice
from wtforms.validators import DataRequired

from app.accounts.permissions import require
from app.errors import DomainError
from app.web.exports import csv_response
from app.extensions import db
from app.web.formerrors import show_on_form
from app.web import commit

from . import import_jobs, imports
from .models import ImportRun
from .open_data.export_sqlite import register_tables, write_register

#: The CLI group is the register's (`flask registry import …`): the register has no commands of its own.
bp = Blueprint("imports", __name__, cli_group="registry")

KIND_LABELS = {"organisations": "Organisations (an ODS etr.csv extract of NHS trusts)",
               "deployments": "Deployments (which trust runs which system)"}


# ---------------------------------------------------------------------------------------------
# Command line

@bp.cli.group("import")
def import_group():
    """Import organisations or deployments from a CSV file."""


def _report(plan, echo=click.echo) -> None:
    for e in plan.errors:
        echo(f"  line {e.line}: {e.ods_code + ': ' if e.ods_code else ''}{e.message}", err=True)
    counts = plan.counts
    echo(f"{counts['create']} new, {counts['update']} updated, {counts['unchanged']} unchanged, "
         f"{counts['skip']} skipped, {counted(len(plan.errors), 'bad row')}.")


def _run_import(kind: str, path: str, dry_run: bool) -> None:
    data = Path(path).read_bytes()
    try:
        imports.check_file(data)
    except DomainError as e:
        raise click.ClickException(f"{path}: {e.message}") from None
    started = time.perf_counter()
    # Progress for long files: say what is happening before each slow step, and how long it took.
    click.echo(f"Checking {path} ({len(data):,} bytes)…")
    _, plan = imports.plan_import(kind, data)
    for c in plan.changes:
        if c.action in ("create", "update"):
            detail = ", ".join(f"{f}: {b!s} → {a!s}" for f, b, a in c.changes) if c.changes else ""
            click.echo(f"  line {c.line}: {c.action} {c.label}{' (' + detail + ')' if detail else ''}")
    _report(plan)
    if not plan.ok:
        click.echo("Nothing was imported: fix the bad rows and run the command again.", err=True)
        sys.exit(1)
    if dry_run:
        click.echo("Dry run: nothing was changed.")
        return
    changes = plan.counts["create"] + plan.counts["update"]
    click.echo(f"Importing {changes} change{'' if changes == 1 else 's'}…")
    run = imports.store_upload(kind, Path(path).name, data)
    imports.apply_run(run)
    db.session.commit()
    click.echo(f"Imported {kind} from {path} in {time.perf_counter() - started:.1f} s.")


@import_group.command("organisations")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
def import_organisations(path: str, dry_run: bool):
    """Import NHS trusts from an ODS etr.csv extract (with or without a header row)."""
    _run_import("organisations", path, dry_run)


@import_group.command("deployments")
@click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
def import_deployments(path: str, dry_run: bool):
    """Import deployments: CSV with ods_code, system, status, since, until, source, confidence."""
    _run_import("deployments", path, dry_run)


@bp.cli.command("export-sqlite")
@click.argument("path", metavar="FILE", type=click.Path(dir_okay=False))
def export_sqlite(path: str):
    """Write the public register to FILE as a SQLite database (for Datasette)."""
    started = time.perf_counter()
    click.echo("Reading the public register…")
    tables = register_tables()
    click.echo(f"Writing {sum(len(rows) for rows in tables.values()):,} rows to {path}…")
    write_register(path, tables)
    click.echo(f"Wrote {path} in {time.perf_counter() - started:.1f} s: "
               + ", ".join(f"{len(rows)} {t}" for t, rows in tables.items()))


# ---------------------------------------------------------------------------------------------
# Upload pages (commercial team)

class UploadForm(FlaskForm):
    kind = RadioField("What does the file hold?", choices=[SelectChoice(v, label) for v, label in KIND_LABELS.items()],
                      validators=[DataRequired("Choose what the file holds")])
    file = FileField("CSV file", description="Up to 5 MB. UTF-8 or Windows (Latin-1) encoding.",
                     validators=[FileRequired("Choose a CSV file")])


class ConfirmForm(FlaskForm):
    pass


@bp.route("/register/import", methods=["GET", "POST"])
def import_upload():
    require("registry.manage")
    form = UploadForm()
    if form.validate_on_submit():
        data = form.file.data.stream.read(imports.MAX_UPLOAD_BYTES + 1)
        try:
            run = imports.store_upload(form.kind.data, form.file.data.filename or "", data, actor=current_user)
            commit()
            return redirect(url_for("api.imports.import_check", run_id=run.id))
        except DomainError as e:
            show_on_form(form, e)
    recent = db.session.execute(db.select(ImportRun).where(ImportRun.applied_at.is_not(None))
                                .order_by(ImportRun.applied_at.desc()).limit(10)).scalars().all()
    return render_template("registry/import_upload.html", form=form, recent=recent, max_mb=imports.MAX_UPLOAD_BYTES
                           // (1024 * 1024))


@bp.route("/register/import/<int:run_id>", methods=["GET", "POST"])
def import_check(run_id: int):
    require("registry.manage")
    run = db.session.get(ImportRun, run_id)
    if run is None:
        abort(404)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            import_jobs.start(run, actor=current_user)
            commit()
            return redirect(url_for("api.imports.import_progress", run_id=run.id))
        except DomainError as e:
            db.session.rollback()
            run = db.session.get(ImportRun, run_id)
            form.form_errors.append(e.message)
    parsed, plan = imports.plan_import(run.kind, run.data)
    if request.args.get("format") == "csv":
        rows = [(e.line, "bad row", e.ods_code, e.message) for e in plan.errors] + [
            (c.line, c.action, c.label, "; ".join(f"{f}: {b} → {a}" for f, b, a in c.changes)
             or (c.values or {}).get("reason", "")) for c in plan.changes]
        return csv_response(f"import-{run.id}-{run.kind}.csv", ["line", "result", "entry", "details"],
                            sorted(rows, key=lambda r: r[0]))
    changes = [c for c in plan.changes if c.action in ("create", "update")]
    return render_template("registry/import_check.html", run=run, plan=plan, changes=changes, form=form,
                           kind_label=KIND_LABELS[run.kind], started=import_jobs.progress_of(run))


@bp.route("/register/import/<int:run_id>/progress")
def import_progress(run_id: int):
    """How far the import has got: a bar that moves by itself (assets/progress.js) and, without
    JavaScript, a page that refreshes itself every few seconds until the import ends."""
    require("registry.manage")
    run = db.session.get(ImportRun, run_id) or abort(404)
    progress = import_jobs.progress_of(run) or abort(404)
    return render_template("registry/import_progress.html", run=run, p=progress, kind_label=KIND_LABELS[run.kind])


@bp.route("/register/import/<int:run_id>/progress.json")
def import_progress_json(run_id: int):
    require("registry.manage")
    run = db.session.get(ImportRun, run_id) or abort(404)
    p = import_jobs.progress_of(run) or abort(404)
    return {"status": p.status, "done": p.done, "total": p.total, "errors": p.errors, "words": p.words,
            "finished": p.finished, "percent": p.percent}
