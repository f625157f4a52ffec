"""What the audit log must not show yet, told to it by the domains that own the secret.

The audit log knows nothing of what it records. A domain whose objects stay secret for a while
(competitions: a bid is sealed until the response deadline, and not even its existence may show)
tells it here, once, at import:

* `register(object_type, sealed_ids)`: the type of those objects and a function returning a
  SELECT of the ids (as strings, first column) of the ones sealed *now*;
* `set_journal_resolver(fn)`: which sealed journal an object's entries go to, as
  fn(object_type, object_id, obj) → journal key (competitions: "competition-<id>"). A type may
  bring its own with `register(…, journal_of=fn)`; otherwise the domain's resolver serves.

`record()` (services.py) asks `journal_for()` about every entry: an entry about an object sealed
now goes to that object's sealed journal (journal.py), never to the main chain, so the main log
has no gap, no break and no count or time that betrays it. Nothing else changes for the caller.
The journal joins the main chain when the domain opens it (`journal.open_journal`).

`visible()` stays as a second line: the log's pages also filter out main-chain entries about
objects sealed now (entries written before sealed journals existed).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from sqlalchemy import and_, literal, not_, select, true
from sqlalchemy.sql import ColumnElement, Select

from app.extensions import db

from .models import AuditEvent

#: fn(object_type, object_id as a string, the object or None) → the key of its sealed journal
JournalOf = Callable[[str, str, Any], "str | None"]

#: object_type → a function returning a SELECT of the sealed objects' ids, as strings
_SEALED: dict[str, Callable[[], Select]] = {}
#: object_type → its own journal resolver (else the domain's resolver below)
_JOURNAL_OF: dict[str, JournalOf] = {}
_resolver: JournalOf | None = None


class SealingError(RuntimeError):
    """An object is sealed but no sealed journal will take its entry: a programming error (the
    entry is refused rather than written where it would betray the object)."""


def register(object_type: str, sealed_ids: Callable[[], Select], journal_of: JournalOf | None = None) -> None:
    """Seal the entries about `object_type` objects while `sealed_ids()` selects their id
    (`sealed_ids(instant)`: those sealed at that instant, for record(..., sealed_as_of=))."""
    _SEALED[object_type] = sealed_ids
    if journal_of is not None:
        _JOURNAL_OF[object_type] = journal_of


def set_journal_resolver(fn: JournalOf) -> None:
    """The domain's answer to "which journal takes this sealed object's entries?"."""
    global _resolver
    _resolver = fn


def is_sealed(object_type: str, object_id: str | None, as_of: datetime | None = None) -> bool:
    """Whether an object of a registered type is sealed now, or at `as_of` (one query; False for
    other types)."""
    sealed_ids = _SEALED.get(object_type)
    if sealed_ids is None or object_id is None:
        return False
    ids = (sealed_ids() if as_of is None else sealed_ids(as_of)).subquery()
    first = list(ids.c)[0]
    return db.session.execute(select(literal(1)).select_from(ids).where(first == str(object_id)).limit(1)
                              ).first() is not None


def journal_for(object_type: str, object_id: str | None, obj: Any = None, as_of: datetime | None = None) -> str | None:
    """The sealed journal an entry about this object must go to now (or as of `as_of`), or None for
    the main chain."""
    if not is_sealed(object_type, object_id, as_of):
        return None
    resolve = _JOURNAL_OF.get(object_type) or _resolver
    key = resolve(object_type, str(object_id), obj) if resolve is not None else None
    if not key:
        raise SealingError(f"{object_type} {object_id} is sealed, but no sealed journal takes its entries: "
                           "register the type with journal_of=, or let the domain's resolver find it")
    return key


def visible() -> ColumnElement[bool]:
    """A WHERE clause for AuditEvent queries that leaves out the entries about sealed objects."""
    hidden = [and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(sealed_ids()))
              for object_type, sealed_ids in sorted(_SEALED.items())]
    return and_(*(not_(h) for h in hidden)) if hidden else true()
