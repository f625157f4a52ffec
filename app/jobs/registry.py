"""What jobs exist: each domain registers its own (in its `jobs.py`) by name, with how often it
may be tried. Pure bookkeeping: no database, no transport."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Callable

#: A job: called with its parameters inside an app context and an open transaction, which the
#: runner commits (with the run marked done) when it returns. It must not commit itself.
JobFn = Callable[..., Any]


@dataclass(frozen=True)
class JobType:
    name: str
    fn: JobFn
    max_attempts: int
    #: The wait before each retry: the first, second … (the last repeats).
    backoff: tuple[timedelta, ...]
    #: Called after each failed attempt, in a transaction of its own (the work's was rolled
    #: back), with final=True after the last: on_failure(error, final, **params).
    on_failure: Callable[..., None] | None = None


#: Retries wait 30 s, 2 min, 10 min, then 1 h between attempts: long enough for a mail server or
#: Redis to come back, short enough that an invitation is not a day late.
DEFAULT_BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(hours=1))

_TYPES: dict[str, JobType] = {}


def job(name: str, *, max_attempts: int = 4, backoff: tuple[timedelta, ...] = DEFAULT_BACKOFF,
        on_failure: Callable[..., None] | None = None):
    """Register `fn` as the job `name` (one function per name)."""

    def register(fn: JobFn) -> JobFn:
        known = _TYPES.get(name)
        if known is not None and known.fn is not fn and known.fn.__qualname__ != fn.__qualname__:
            raise RuntimeError(f"job {name!r} registered twice")
        _TYPES[name] = JobType(name, fn, max_attempts, backoff, on_failure)
        return fn

    return register


def job_type(name: str) -> JobType:
    try:
        return _TYPES[name]
    except KeyError:
        raise LookupError(f"no job named {name!r}") from None


def names() -> list[str]:
    return sorted(_TYPES)


def retry_wait(backoff: tuple[timedelta, ...], attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt (1-based)."""
    return backoff[min(max(attempts, 1), len(backoff)) - 1]
