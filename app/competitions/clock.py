"""The competitions' clock: "now" as a function that tests can replace.

Every deadline decision (is the competition closed? is this bid late?) asks `now()`, never
`datetime.now()` directly, so tests move time by setting the clock instead of sleeping to a real
deadline. `now()` is aware UTC.
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
