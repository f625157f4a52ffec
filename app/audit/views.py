"""Browsing, filtering and exporting the audit log, and checking its hash chain (auditors and the
commercial team)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, current_app, jsonify, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.datastructures import MultiDict
from sqlalchemy import or_, select

from app.accounts.permissions import can, require
from app.extensions import db
from app.web import nav_item
from app.web.exports import csv_response
from app.models_base import utcnow
from app.web.formatting import LONDON, iso_datetime
from app.web.querying import like_pattern, paginate

from . import bp, chain, sealing
from .forms import AuditFilterForm
from .words import object_label
from . import services as audit_services
from .models import AuditEvent

nav_item("audit.log", "Audit log", 90, visible=lambda u: can(u, "audit.view"), prefix="/audit")


#: The filters as the address names them (from/to are the dates).
_ADDRESS = {"q": "q", "action": "action", "actor": "actor", "object_type": "object_type", "since": "from",
            "until": "to"}


def _filter_form() -> AuditFilterForm:
    """The filters read from the address; each one that is wrong is said on the page (and left out)."""
    args = MultiDict([(field, request.args[name]) for field, name in _ADDRESS.items() if request.args.get(name)])
    form = AuditFilterForm(args, meta={"csrf": False})
    form.set_kinds(db.session.execute(select(AuditEvent.object_type).distinct()).scalars().all())
    if args:
        form.validate()
    return form


def _filtered(form: AuditFilterForm):
    stmt = select(AuditEvent).where(sealing.visible())  # entries about sealed objects stay hidden
    values = {name: (form[field].data or "") if not form[field].errors else ""
              for field, name in _ADDRESS.items() if field not in ("since", "until")}
    values = {k: v.strip() for k, v in values.items()}
    since = form.since.data if not form.since.errors else None
    until = form.until.data if not form.until.errors else None
    if values["q"]:
        p = like_pattern(values["q"])
        stmt = stmt.where(or_(AuditEvent.summary.ilike(p, escape="\\"), AuditEvent.object_id == values["q"]))
    if values["action"]:
        stmt = stmt.where(AuditEvent.action.ilike(like_pattern(values["action"]), escape="\\"))
    if values["object_type"]:
        stmt = stmt.where(AuditEvent.object_type == values["object_type"])
    if values["actor"]:
        stmt = stmt.where(AuditEvent.actor_label.ilike(like_pattern(values["actor"]), escape="\\"))
    # Days are London days, as the log shows them; the column takes aware datetimes only.
    if since:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(since, time.min, LONDON))
    if until and until < date.max:
        stmt = stmt.where(AuditEvent.occurred_at < datetime.combine(until + timedelta(days=1), time.min, LONDON))
    filters = {**values, "from": since.isoformat() if since else "", "to": until.isoformat() if until else ""}
    return stmt.order_by(AuditEvent.id.desc()), {k: v for k, v in filters.items() if v}


@bp.route("/")
def log():
    require("audit.view")
    form = _filter_form()
    stmt, filters = _filtered(form)
    if request.args.get("format") == "csv":
        rows = db.session.execute(stmt).scalars()
        return csv_response("audit-log.csv", ["id", "occurred_at", "actor", "action", "object_type", "object_id",
                                              "summary", "before", "after", "prev_hash", "hash"],
                            ([e.id, e.occurred_at, e.actor_label, e.action, e.object_type, e.object_id, e.summary,
                              e.before, e.after, e.prev_hash, e.hash] for e in rows))
    return render_template("audit/log.html", page=paginate(stmt), filters=filters, form=form,
                           object_label=object_label)


@bp.route("/<int:event_id>")
def entry(event_id: int):
    require("audit.view")
    event = db.session.execute(select(AuditEvent).where(AuditEvent.id == event_id, sealing.visible())
                               ).scalar_one_or_none() or abort(404)
    import json

    before = json.loads(event.before) if event.before else {}
    after = json.loads(event.after) if event.after else {}
    keys = sorted(set(before) | set(after))
    diff = [(k, before.get(k), after.get(k), before.get(k) != after.get(k)) for k in keys]
    return render_template("audit/entry.html", event=event, diff=diff, object_label=object_label)


# --- checking the hash chain, a step a request ---------------------------------------------------

def _walks() -> URLSafeSerializer:
    # Signed, so the progress carried in the address cannot be edited into a false "intact".
    return URLSafeSerializer(current_app.secret_key, salt="audit-chain-walk")


def _walk_token(progress: chain.Progress, total: int, done: bool, finished: str | None = None) -> str:
    return _walks().dumps([progress.after_id, progress.prev_hash, progress.checked, progress.first_broken_id,
                           progress.problem, total, done, finished])


@bp.route("/verify")
def verify():
    """Check the audit log's hash chain from the audit pages, with the same walk as
    `flask audit verify`. A large log is checked a step a request: each step's page links to the
    next (followed at once in the background where JavaScript runs, showing the progress), and the
    progress travels, signed, in the address, so any app server can take the next step."""
    require("audit.view")
    token = request.args.get("walk")
    if token is None:
        return render_template("audit/verify.html", total=audit_services.entry_count(), walk=None,
                               start=url_for("audit.verify", walk=_walk_token(chain.Progress(), 0, False)))
    try:
        after_id, prev_hash, checked, broken_id, problem, total, done, finished = _walks().loads(token)
    except (BadSignature, ValueError, TypeError):
        abort(400)
    progress = chain.Progress(after_id, prev_hash, checked, broken_id, problem)
    if not done:
        total = total or audit_services.entry_count()
        progress, done = audit_services.verify_step(progress, limit=current_app.config["AUDIT_VERIFY_STEP"])
        finished = iso_datetime(utcnow()) if done else None
        token = _walk_token(progress, max(total, progress.checked), done, finished)
    walk = {"checked": progress.checked, "total": max(total, progress.checked), "done": done,
            "ok": not progress.broken, "broken_id": progress.first_broken_id, "problem": progress.problem,
            "next": url_for("audit.verify", walk=token), "finished": finished,
            "percent": 100 if done else int(100 * progress.checked / max(total, 1))}
    if done:
        # Then every sealed journal, as `flask audit verify` does: how many are still sealed is never
        # shown, and a broken one is named by the part of its key before any "/" (its competition,
        # not its bidder).
        journals = audit_services.verify_journals()
        walk.update(journals_ok=journals.ok, journals_opened=journals.opened,
                    journal_problems=[{"journal": p.key.split("/", 1)[0], "problem": p.problem}
                                      for p in journals.problems])
    if request.args.get("format") == "json":
        return jsonify(walk)
    return render_template("audit/verify.html", walk=walk, total=walk["total"], start=None,
                           finished_at=datetime.fromisoformat(finished.replace("Z", "+00:00")) if finished else None)
