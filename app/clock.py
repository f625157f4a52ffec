"""The clock: "now" as a function that tests can replace, one for the whole app.

Every decision made by time (is the competition closed? is this bid late? which scheduled work is
due? is a check-in overdue?) asks `now()`, never `datetime.now()` directly, so a test moves time by
setting the clock instead of sleeping to a real deadline, and the scheduler, the pages and the
services agree on what time it is. `now()` is aware UTC.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Callable, Iterator

from app.models_base import utcnow

_source: Callable[[], datetime] = utcnow
#: An instant held by `held()` for the current thread or task (None: the clock runs).
_held: ContextVar[datetime | None] = ContextVar("clock_held", default=None)


def now() -> datetime:
    """The current instant, aware UTC (from the system clock unless a test set another source),
    or the instant held by `held()` around the caller."""
    at = _held.get()
    return at if at is not None else _source()


@contextmanager
def held(at: datetime) -> Iterator[datetime]:
    """Within the block, `now()` is `at`: one decision made at one instant. A bid accepted at
    11:59:59.990 is sealed as a bid before the deadline all through its transaction, even if its
    audit entry is written 20 ms later, after the deadline by the running clock."""
    token = _held.set(at)
    try:
        yield at
    finally:
        _held.reset(token)


def set_source(source: Callable[[], datetime] | None) -> None:
    """Use `source` as the clock (None: back to the system clock)."""
    global _source
    _source = source or utcnow
