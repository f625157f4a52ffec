"""Writing and checking the audit log.

`record` adds an entry to the current transaction, so the change and its audit entry are committed
together or not at all. Entries are chained: each carries the hash of the one before it.
"""
from __future__ import annotations

from typing import Any

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import func, insert, inspect, select, text

from app.extensions import db
from app.models_base import utcnow

from . import chain
from .models import AuditEvent

# Any constant will do: it names the one lock that serialises appends to the chain on PostgreSQL.
_PG_CHAIN_LOCK = 7_310_415_001
_CLI_ACTOR = "system (command line)"
_VISITOR = "a visitor who was not signed in"


def snapshot(obj: Any, exclude: tuple[str, ...] = ("password_hash",)) -> dict[str, Any]:
    """The column values of a model object, for the before/after of an audit entry."""
    mapper = inspect(obj).mapper
    return {
        attr.key: getattr(obj, attr.key)
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def _chain_end(session) -> str:
    """The hash of the last entry, read after taking the chain's lock (PostgreSQL: a transaction-scoped
    advisory lock; SQLite writes already hold the database's write lock), so no two transactions chain
    to the same predecessor."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
    return session.execute(
        select(AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)
    ).scalar_one_or_none() or chain.GENESIS


def _actor(actor) -> tuple[int | None, str]:
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if actor is None:  # a request by someone not signed in (a public download), or a command
        return None, _VISITOR if has_request_context() else _CLI_ACTOR
    org = getattr(actor, "organisation", None)
    where = f" ({org.ods_code})" if org is not None else ""
    return actor.id, f"{actor.name} <{actor.email}>{where}"


def acting_user_id(actor=None) -> int | None:
    """The id of the user making a change: `actor` if given, else the signed-in user; None for the
    command line. The same rule as the audit entry's actor, for records that name who decided."""
    return _actor(actor)[0]


def record(action: str, obj: Any = None, *, object_type: str | None = None,
           object_id: Any = None, before: dict | None = None, after: dict | None = None,
           summary: str = "", actor=None) -> AuditEvent:
    """Append an audit entry for a change, in the caller's transaction.

    `obj` is flushed first so it has an id. `action` is a dotted verb such as "offer.publish".
    The caller commits; if it rolls back, the entry goes too.
    """
    session = db.session
    if obj is not None:
        session.flush()
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    if object_type is None:
        raise ValueError("an audit entry needs an object or an object_type")
    prev = _chain_end(session)
    actor_id, actor_label = _actor(actor)
    occurred_at = utcnow()
    before_json = chain.canonical_json(before)
    after_json = chain.canonical_json(after)
    oid = None if object_id is None else str(object_id)
    entry = AuditEvent(
        occurred_at=occurred_at,
        actor_id=actor_id,
        actor_label=actor_label,
        action=action,
        object_type=object_type,
        object_id=oid,
        summary=summary,
        before=before_json,
        after=after_json,
        prev_hash=prev,
        hash=chain.entry_hash(prev, occurred_at.isoformat(), actor_label, action, object_type, oid,
                              summary, before_json, after_json),
    )
    session.add(entry)
    session.flush()
    return entry


def record_many(entries: list[dict], *, actor=None) -> int:
    """Append many entries at once, in the caller's transaction (a bulk import): the chain's lock
    taken and its last hash read once, the hashes chained here, one multi-row insert. Each entry
    is a dict of action, object_type, object_id, summary and optional before/after. Returns how
    many were written. The chain is the same as `record` one by one would have made."""
    if not entries:
        return 0
    session = db.session
    prev = _chain_end(session)
    actor_id, actor_label = _actor(actor)
    occurred_at = utcnow()
    rows = []
    for e in entries:
        before_json, after_json = chain.canonical_json(e.get("before")), chain.canonical_json(e.get("after"))
        oid = None if e.get("object_id") is None else str(e["object_id"])
        digest = chain.entry_hash(prev, occurred_at.isoformat(), actor_label, e["action"], e["object_type"], oid,
                                  e.get("summary", ""), before_json, after_json)
        rows.append({"occurred_at": occurred_at, "actor_id": actor_id, "actor_label": actor_label,
                     "action": e["action"], "object_type": e["object_type"], "object_id": oid,
                     "summary": e.get("summary", ""), "before": before_json, "after": after_json,
                     "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditEvent), rows)
    return len(rows)


def changed(before: dict, after: dict) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ between two snapshots."""
    return {k: (before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)}


def _entries_after(after_id: int, limit: int, batch: int):
    """Up to `limit` entries after `after_id`, in id order, read `batch` at a time (memory stays flat)."""
    last_id, left = after_id, limit
    while left > 0:
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(min(batch, left))
        ).scalars().all()
        if not rows:
            return
        for r in rows:
            yield chain.Entry(
                id=r.id, occurred_at=r.occurred_at.isoformat(), actor_label=r.actor_label,
                action=r.action, object_type=r.object_type, object_id=r.object_id,
                summary=r.summary, before=r.before, after=r.after, prev_hash=r.prev_hash,
                hash=r.hash,
            )
        last_id, left = rows[-1].id, left - len(rows)
        db.session.expunge_all()


def entry_count() -> int:
    """How many entries the chain has (every one, sealed or not: the walk checks them all)."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def verify_step(progress: chain.Progress, limit: int = 20_000, batch: int = 5000) -> tuple[chain.Progress, bool]:
    """Check up to `limit` more entries of the chain after `progress`. Returns the new progress and
    whether the walk is over (the end reached, or a broken entry found). A step is small enough for
    one web request; a command, a job or a page request by request walk the whole chain with it,
    so each reaches the same result as `flask audit verify`."""
    if progress.broken:
        return progress, True
    before = progress.checked
    progress = chain.verify_from(progress, _entries_after(progress.after_id, limit, batch))
    return progress, progress.broken or progress.checked - before < limit


def verify_chain(batch: int = 5000) -> chain.ChainReport:
    """Check the whole chain, reading it in batches so a large log does not fill memory."""
    progress, done = chain.Progress(), False
    while not done:
        progress, done = verify_step(progress, limit=10 * batch, batch=batch)
    return progress.report()
