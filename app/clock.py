"""The clock: "now" as a function that tests can replace, one for the whole app.

Every decision made by time (is the competition closed? is this bid late? which scheduled work is
due? is a check-in overdue?) asks `now()`, never `datetime.now()` directly, so a test moves time by
setting the clock instead of sleeping to a real deadline, and the scheduler, the pages and the
services agree on what time it is. `now()` is aware UTC.
"""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from app.models_base import utcnow

_source: Callable[[], datetime] = utcnow


def now() -> datetime:
    """The current instant, aware UTC (from the system clock unless a test set another source)."""
    return _source()


def set_source(source: Callable[[], datetime] | None) -> None:
    """Use `source` as the clock (None: back to the system clock)."""
    global _source
    _source = source or utcnow
