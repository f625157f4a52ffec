"""Scheduled work: each task is one registration, and the scheduler's tick turns "it is due" into a
queued run whose key names the time slot, so ticks from two schedulers (or a tick repeated after a
restart) queue each slot's run once.

    @every("competitions.tick", minutes=1)          # a job of the same name, run each minute
    @every("mail.digest", days=1, at=time(7, 30))   # daily at 07:30 London time

A slot missed while no scheduler ran is caught up once (the latest one), not once per missed slot.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from app.clock import now as clock_now

from .queue import enqueue
from .registry import DEFAULT_BACKOFF, job

LONDON = ZoneInfo("Europe/London")
_EPOCH = datetime(2000, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Task:
    name: str
    every: timedelta
    #: For daily tasks: the time of day in England.
    at: time | None = None

    def slot(self, now: datetime) -> datetime:
        """The start of the latest slot at or before `now` (aware UTC)."""
        if self.at is not None:
            local = now.astimezone(LONDON)
            start = datetime.combine(local.date(), self.at, tzinfo=LONDON)
            if start > local:
                start = datetime.combine(local.date() - timedelta(days=1), self.at, tzinfo=LONDON)
            return start.astimezone(timezone.utc)
        steps = (now - _EPOCH) // self.every
        return _EPOCH + steps * self.every


_TASKS: dict[str, Task] = {}


def every(name: str, *, minutes: int = 0, hours: int = 0, days: int = 0, at: time | None = None,
          max_attempts: int = 3):
    """Register `fn` as the job `name` and run it on this schedule (a daily task may name the time
    of day in England with `at`)."""
    interval = timedelta(minutes=minutes, hours=hours, days=days)
    if interval <= timedelta(0):
        raise ValueError("a scheduled task needs an interval")
    if at is not None and interval != timedelta(days=1):
        raise ValueError("`at` is for daily tasks")

    def register(fn):
        job(name, max_attempts=max_attempts, backoff=DEFAULT_BACKOFF)(fn)
        _TASKS[name] = Task(name, interval, at)
        return fn

    return register


def tasks() -> list[Task]:
    return sorted(_TASKS.values(), key=lambda t: t.name)


def tick(now: datetime | None = None) -> list[int]:
    """Queue each task's current slot (once per slot whoever ticks); the caller commits. Returns
    the ids of the runs, new or already queued."""
    now = now or clock_now()
    return [enqueue(t.name, f"{t.name}@{t.slot(now):%Y-%m-%dT%H:%MZ}", run_after=now) for t in tasks()]
