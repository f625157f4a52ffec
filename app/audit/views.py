"""Browsing, filtering and exporting the audit log (auditors and the commercial team)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from flask import abort, render_template, request
from sqlalchemy import or_, select

from app.accounts.permissions import can, require
from app.extensions import db
from app.web import nav_item
from app.web.exports import csv_response
from app.web.formatting import LONDON
from app.web.querying import like_pattern, paginate

from . import bp, sealing
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
