"""Browsing, filtering and exporting the audit log, and checking its hash chain (auditors and the
commercial team)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, current_app, jsonify, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select

from app.accounts.permissions import can, require
from app.extensions import db
from app.web import nav_item
from app.web.exports import csv_response
from app.models_base import utcnow
from app.web.formatting import LONDON, iso_datetime
from app.web.querying import like_pattern, paginate

from . import bp, chain, sealing
from . import services as audit_services
from .models import AuditEvent

nav_item("audit.log", "Audit log", 90, visible=lambda u: can(u, "audit.view"), prefix="/audit")


def _date_arg(name: str):
    try:
        return datetime.strptime(request.args.get(name, ""), "%Y-%m-%d").date()
    except ValueError:
        return None


def _filtered():
    stmt = select(AuditEvent).where(sealing.visible())  # entries about sealed objects stay hidden
    q = request.args.get("q", "").strip()[:200]
    action = request.args.get("action", "").strip()[:80]
    object_type = request.args.get("object_type", "").strip()[:60]
    actor = request.args.get("actor", "").strip()[:200]
    since, until = _date_arg("from"), _date_arg("to")
    if q:
        p = like_pattern(q)
        stmt = stmt.where(or_(AuditEvent.summary.ilike(p, escape="\\"), AuditEvent.object_id == q))
    if action:
        stmt = stmt.where(AuditEvent.action.ilike(like_pattern(action), escape="\\"))
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    if actor:
        stmt = stmt.where(AuditEvent.actor_label.ilike(like_pattern(actor), escape="\\"))
    # Days are London days, as the log shows them; the column takes aware datetimes only.
    if since:
        stmt = stmt.where(AuditEvent.occurred_at >= datetime.combine(since, time.min, LONDON))
    if until and until < date.max:
        stmt = stmt.where(AuditEvent.occurred_at < datetime.combine(until + timedelta(days=1), time.min, LONDON))
    filters = {"q": q, "action": action, "object_type": object_type, "actor": actor,
               "from": request.args.get("from", "") if since else "", "to": request.args.get("to", "") if until else ""}
    return stmt.order_by(AuditEvent.id.desc()), {k: v for k, v in filters.items() if v}


@bp.route("/")
def log():
    require("audit.view")
    stmt, filters = _filtered()
    if request.args.get("format") == "csv":
        rows = db.session.execute(stmt).scalars()
        return csv_response("audit-log.csv", ["id", "occurred_at", "actor", "action", "object_type", "object_id",
                                              "summary", "before", "after", "prev_hash", "hash"],
                            ([e.id, e.occurred_at, e.actor_label, e.action, e.object_type, e.object_id, e.summary,
                              e.before, e.after, e.prev_hash, e.hash] for e in rows))
    object_types = db.session.execute(select(AuditEvent.object_type).distinct().order_by(AuditEvent.object_type)).scalars().all()
    return render_template("audit/log.html", page=paginate(stmt), filters=filters, object_types=object_types)


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
    return render_template("audit/entry.html", event=event, diff=diff)


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
    if request.args.get("format") == "json":
        return jsonify(walk)
    return render_template("audit/verify.html", walk=walk, total=walk["total"], start=None,
                           finished_at=datetime.fromisoformat(finished.replace("Z", "+00:00")) if finished else None)
