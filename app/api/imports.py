"""Importing organisations and deployments into the register: the service side.

The pure module app/registry/importing.py reads the file and works out the plan from plain
values; this module loads those values from the database and applies a plan. `apply_*` refuses a
plan with any error, so nothing is ever half-imported. Every change is audited; the caller
commits (or, for a dry run, never calls apply).
"""
from __future__ import annotations

import hashlib
from datetime import timedelta

from typing import Callable

from sqlalchemy import delete, insert, select, update

from app import signals
from app.audit.services import record, record_many, snapshot
from app.errors import DomainError
from app.web.formatting import counted
from app.registry.trust_types import org_type_from_name
from app.extensions import db
from app.models_base import utcnow
from app.registry import importing
from app.registry.importing import Plan
from app.registry.models import Deployment, Organisation, System

from .models import IMPORT_KINDS, ImportRun

KINDS = IMPORT_KINDS
#: Told (rows done, rows in all) as an import writes.
Progress = Callable[[int, int], None]
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: Files checked but never imported are kept this long, then cleared away.
UNAPPLIED_KEPT_FOR = timedelta(days=2)


def check_file(data: bytes) -> None:
    """Refuse a file that is too big, empty, or not text (a NUL byte: binary, or UTF-16 text)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise DomainError(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB: split it into "
                          "smaller files.", field="file")
    if not data.lstrip(b"\xef\xbb\xbf").strip():
        raise DomainError("The file is empty.", field="file")
    if b"\x00" in data:
        # PostgreSQL cannot store a NUL character, and no CSV export holds one.
        raise DomainError("The file is not a text CSV file: save it as CSV (UTF-8 or Windows encoding) "
                          "and upload it again.", field="file")


def store_upload(kind: str, filename: str, data: bytes, *, actor=None) -> ImportRun:
    """Keep an uploaded file for its dry run and later import (refused if too big or empty)."""
    if kind not in KINDS:
        raise DomainError("Choose what the file holds: organisations or deployments.", field="kind")
    check_file(data)
    db.session.execute(delete(ImportRun).where(ImportRun.applied_at.is_(None),
                                               ImportRun.uploaded_at < utcnow() - UNAPPLIED_KEPT_FOR))
    filename = "".join(ch for ch in filename or "" if ch.isprintable()) or "upload.csv"  # no NUL or control chars
    run = ImportRun(kind=kind, filename=filename[-200:], sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data), data=data, uploaded_by_id=getattr(actor, "id", None))
    db.session.add(run)
    _, plan = plan_import(kind, data)
    run.error_count = len(plan.errors)
    record("import.check", run, after={"kind": kind, "file": run.filename, "sha256": run.sha256,
                                       "errors": run.error_count, **plan.counts},
           summary=f"Checked {kind} file {run.filename}: {counted(len(plan.errors), 'bad row')}", actor=actor)
    return run


def apply_run(run: ImportRun, *, actor=None, progress: Progress | None = None) -> tuple[Plan, dict[str, int]]:
    """Import a stored file, planned afresh against the register as it is now (all or nothing:
    the caller commits once). `progress(done, total)` is told as rows are written."""
    if run.applied_at is not None:
        raise DomainError("This file has already been imported.")
    _, plan = plan_import(run.kind, run.data)
    counts = apply_import(run.kind, plan, filename=run.filename, actor=actor, progress=progress)
    run.applied_at = utcnow()
    run.created_count, run.updated_count = counts["create"], counts["update"]
    run.unchanged_count, run.skipped_count = counts["unchanged"], counts["skip"]
    return plan, counts


def _org_values(o: Organisation, by_id: dict[int, str]) -> dict:
    return {"kind": o.kind, "name": o.name, "region": by_id.get(o.region_id), "icb": by_id.get(o.icb_id),
            "town": o.town, "postcode": o.postcode, "opened_on": o.opened_on, "closed_on": o.closed_on}


def plan_import(kind: str, data: bytes) -> tuple[importing.Parsed, Plan]:
    """Read a file of `kind` and work out what importing it would change (changes nothing)."""
    if kind not in KINDS:
        raise ValueError(kind)
    text = importing.decode(data)
    if kind == "organisations":
        parsed = importing.parse_etr(text)
        orgs = db.session.execute(select(Organisation)).unique().scalars().all()
        by_id = {o.id: o.ods_code for o in orgs}
        existing = {o.ods_code: _org_values(o, by_id) for o in orgs}
        regions = {o.ods_code for o in orgs if o.kind == "region"}
        icbs = {o.ods_code: by_id.get(o.region_id) for o in orgs if o.kind == "icb"}
        plan = importing.plan_organisations(parsed.rows, existing, regions, icbs)
    else:
        parsed = importing.parse_deployments(text)
        orgs = dict(db.session.execute(select(Organisation.ods_code, Organisation.kind)).all())
        systems: dict[str, str] = {}
        for slug, name in db.session.execute(select(System.slug, System.name)).all():
            systems.setdefault(name.lower(), slug)
            systems[slug.lower()] = slug
        existing: dict[tuple[str, str], list[dict]] = {}
        rows = db.session.execute(
            select(Deployment.id, Organisation.ods_code, System.slug, Deployment.since, Deployment.status,
                   Deployment.until, Deployment.confidence, Deployment.source_url, Deployment.source_text)
            .join(Organisation, Organisation.id == Deployment.organisation_id)
            .join(System, System.id == Deployment.system_id)
        ).all()
        for r in rows:
            existing.setdefault((r.ods_code, r.slug), []).append(
                {"id": r.id, "since": r.since, "status": r.status, "until": r.until, "confidence": r.confidence,
                 "source_url": r.source_url, "source_text": r.source_text})
        plan = importing.plan_deployments(parsed.rows, orgs, systems, existing)
    # Bad rows from reading come first, then those found against the register, by line.
    plan.errors = sorted(parsed.errors + plan.errors, key=lambda e: e.line)
    plan.changes.extend(importing.Change(s.line, "skip", s.ods_code, s.ods_code, values={"reason": s.reason})
                        for s in parsed.skipped)
    plan.changes.sort(key=lambda c: c.line)
    return parsed, plan


def apply_import(kind: str, plan: Plan, *, filename: str = "", actor=None,
                 progress: Progress | None = None) -> dict[str, int]:
    """Apply a plan made by plan_import. Refused if the plan has any bad row. Returns the counts."""
    if not plan.ok:
        raise DomainError(f"The file has {counted(len(plan.errors), 'bad row')}: nothing was imported.", field="file")
    if kind == "organisations":
        _apply_organisations(plan, actor)
    elif kind == "deployments":
        _apply_deployments(plan, actor, progress)
    else:
        raise ValueError(kind)
    counts = plan.counts
    record(f"import.{kind}", object_type="Import", object_id=filename[:60] or None,
           after={"file": filename, **counts},
           summary=f"Imported {kind} from {filename or 'a file'}: {counts['create']} new, "
                   f"{counts['update']} updated, {counts['unchanged']} unchanged, {counts['skip']} skipped",
           actor=actor)
    if counts["create"] or counts["update"]:
        signals.data_changed.send(kind[:-1])
    return counts


def _apply_organisations(plan: Plan, actor) -> None:
    by_code = {o.ods_code: o for o in db.session.execute(select(Organisation)).unique().scalars()}
    for c in plan.changes:
        if c.action not in ("create", "update"):
            continue
        v = c.values
        fields = {"name": v["name"], "region": by_code[v["region"]], "icb": by_code[v["icb"]], "town": v["town"],
                  "postcode": v["postcode"], "opened_on": v["opened_on"], "closed_on": v["closed_on"]}
        if c.action == "create":
            org = Organisation(ods_code=c.key, kind="trust", trust_type=org_type_from_name(v["name"]),
                               trust_type_source="name", **fields)
            db.session.add(org)
            by_code[c.key] = org
            record("organisation.import_create", org, after=snapshot(org),
                   summary=f"Imported new trust {c.key} {v['name']} (line {c.line})", actor=actor)
        else:
            org = by_code[c.key]
            before = snapshot(org)
            for k, value in fields.items():
                setattr(org, k, value)
            record("organisation.import_update", org, before=before, after=snapshot(org),
                   summary=f"Updated {c.key} from import (line {c.line}): "
                           + ", ".join(f for f, _, _ in c.changes), actor=actor)


#: Rows written per statement (and per progress report) in a bulk import.
BATCH = 1000

_DEPLOYMENT_FIELDS = ("organisation_id", "system_id", "status", "since", "until", "source_url", "source_text",
                      "confidence")


def _apply_deployments(plan: Plan, actor, progress: Progress | None = None) -> None:
    """Write the plan's deployments in batches: a multi-row INSERT (ids returned in order) or an
    UPDATE by primary key per batch, and their audit entries chained in one insert per batch.
    The same rows and audit entries as one at a time, at thousands of rows a second."""
    orgs = dict(db.session.execute(select(Organisation.ods_code, Organisation.id).where(Organisation.kind == "trust")).all())
    systems = dict(db.session.execute(select(System.slug, System.id)).all())
    todo = [c for c in plan.changes if c.action in ("create", "update")]
    now = utcnow()
    for start in range(0, len(todo), BATCH):
        batch = todo[start:start + BATCH]
        creates = [c for c in batch if c.action == "create"]
        updates = [c for c in batch if c.action == "update"]
        entries = []
        if creates:
            rows = [{"organisation_id": orgs[c.values["ods_code"]], "system_id": systems[c.values["system"]],
                     "status": c.values["status"], "since": c.values["since"], "until": c.values["until"],
                     "source_url": c.values["source_url"], "confidence": c.values["confidence"],
                     "source_text": c.values["source_text"] or "Imported from a file", "created_at": now,
                     "historical": False, "foi_2024_only": False} for c in creates]
            ids = db.session.execute(insert(Deployment).returning(Deployment.id, sort_by_parameter_order=True),
                                     rows).scalars().all()
            for c, new_id, row in zip(creates, ids, rows):
                entries.append({"action": "deployment.import_create", "object_type": "Deployment", "object_id": new_id,
                                "after": {"id": new_id, **{k: row[k] for k in _DEPLOYMENT_FIELDS}},
                                "summary": f"Imported {c.label} {c.values['status']} (line {c.line})"})
        if updates:
            rows = []
            for c in updates:
                after = {f: new for f, _, new in c.changes}
                if after.get("status", c.values.get("status")) == "live":
                    after["until"] = None
                rows.append({"id": c.values["id"], **after})
                entries.append({"action": "deployment.import_update", "object_type": "Deployment",
                                "object_id": c.values["id"], "before": {f: old for f, old, _ in c.changes},
                                "after": after, "summary": f"Updated {c.label} from import (line {c.line}): "
                                                           + ", ".join(f for f, _, _ in c.changes)})
            for keys in {tuple(sorted(r)) for r in rows}:  # one executemany per set of columns changed
                db.session.execute(update(Deployment), [r for r in rows if tuple(sorted(r)) == keys])
        record_many(entries, actor=actor)
        if progress is not None:
            progress(start + len(batch), len(todo))
