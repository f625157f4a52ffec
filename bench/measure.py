"""Small measuring helpers shared by the benchmarks: percentiles, timers, SQL statement counts."""
from __future__ import annotations

import math
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from sqlalchemy import event
from sqlalchemy.engine import Engine


def percentile(samples: list[float], p: float) -> float:
    """The nearest-rank percentile (p in 0..100) of the samples."""
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(samples: list[float]) -> dict[str, float]:
    """p50 and p95 of timings given in seconds, in milliseconds."""
    return {"p50_ms": round(percentile(samples, 50) * 1000, 2), "p95_ms": round(percentile(samples, 95) * 1000, 2),
            "n": len(samples)}


def timed(fn: Callable[[], object]) -> float:
    """Seconds one call of fn takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


@contextmanager
def counting_queries() -> Iterator[list[str]]:
    """Every SQL statement sent to any engine inside the block (the list fills as they go)."""
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(Engine, "before_cursor_execute", before)


def ratio(a: float | None, b: float | None) -> float | None:
    """a ÷ b, or None when either is missing or b is 0."""
    if a is None or b is None or not b or (isinstance(a, float) and math.isnan(a)):
        return None
    return round(a / b, 3)
