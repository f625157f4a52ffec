"""What the audit log must not show yet, told to it by the domains that own the secret.

The audit log knows nothing of what it records. A domain whose objects stay secret for a while
(competitions: a bid is sealed until the response deadline, and not even its existence may show)
registers here, once, the type of those objects and a function that selects, in SQL, the ids of
the ones sealed now. The log's pages and the dashboard's latest changes filter every query with
`visible()`, so an entry about a sealed object appears only once its seal is broken.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import and_, not_, true
from sqlalchemy.sql import ColumnElement, Select

from .models import AuditEvent

#: object_type → a function returning a SELECT of the sealed objects' ids, as strings
_SEALED: dict[str, Callable[[], Select]] = {}


def register(object_type: str, sealed_ids: Callable[[], Select]) -> None:
    """Hide the entries about `object_type` objects while `sealed_ids()` selects their id."""
    _SEALED[object_type] = sealed_ids


def visible() -> ColumnElement[bool]:
    """A WHERE clause for AuditEvent queries that leaves out the entries about sealed objects."""
    hidden = [and_(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(sealed_ids()))
              for object_type, sealed_ids in sorted(_SEALED.items())]
    return and_(*(not_(h) for h in hidden)) if hidden else true()
