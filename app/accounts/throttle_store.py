"""Where sign-in throttling keeps its counts: Redis when REDIS_URL is set (every app server shares
it), otherwise the database (so `make run` needs no Redis, and several gunicorn workers without
Redis still share one count).

Every count is changed atomically, in one statement: the old code read the user's count, added one
in Python and wrote it back, so parallel wrong passwords overwrote each other's increments (on
PostgreSQL 18 parallel attempts got 8 "wrong password" answers before the lock instead of 4). Here
the database store does an INSERT … ON CONFLICT DO UPDATE … RETURNING (the row stays locked until
the request commits, so the next attempt counts after it), and the Redis store a HINCRBY.

The database store writes in the request's transaction, which the sign-in view commits whatever the
outcome. Redis writes are immediate and outside it.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Protocol

from flask import current_app
from sqlalchemy import case, delete, func, or_, select, update

from app.errors import DomainError
from app.extensions import db

from .models import SignInThrottle

_T = SignInThrottle.__table__
#: Expired rows deleted by each failed attempt, at most (never waiting for a row another holds).
PURGE_BATCH = 100


class ThrottleUnavailable(DomainError):
    """The store cannot be reached (Redis down): sign-in is refused rather than left unthrottled,
    and an unlock says it could not be done."""

    def __init__(self, detail: str):
        super().__init__("The store of failed sign-ins (Redis) cannot be reached. Try again in a few minutes.")
        self.detail = detail


class ThrottleStore(Protocol):
    def locked_until(self, keys: list[str], now: datetime) -> datetime | None:
        """The latest end of a wait, among these keys, that is still in the future."""

    def fail(self, key: str, forget_after: timedelta, now: datetime) -> int:
        """Count one more failure under `key` (atomically); return the count."""

    def lock(self, key: str, until: datetime) -> None:
        """Make `key` wait until `until`, unless it already waits longer."""

    def failures(self, key: str, now: datetime) -> int:
        """The current count under `key` (0 when forgotten)."""

    def clear(self, keys: list[str], prefixes: list[str]) -> None:
        """Forget these keys and every key starting with one of the prefixes."""


class DatabaseThrottleStore:
    """Counts in the sign_in_throttles table (SQLite and PostgreSQL alike)."""

    def locked_until(self, keys, now):
        return db.session.scalar(select(func.max(_T.c.locked_until)).where(
            _T.c.key.in_(keys), _T.c.locked_until > now, _T.c.expires_at > now))

    def fail(self, key, forget_after, now):
        if db.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        forgotten = _T.c.expires_at <= now  # the existing row's, in ON CONFLICT's SET
        stmt = insert(_T).values(key=key, failures=1, locked_until=None, expires_at=now + forget_after)
        stmt = stmt.on_conflict_do_update(index_elements=[_T.c.key], set_={
            "failures": case((forgotten, 1), else_=_T.c.failures + 1),
            "locked_until": case((forgotten, None), else_=_T.c.locked_until),
            "expires_at": now + forget_after,
        }).returning(_T.c.failures)
        count = db.session.execute(stmt).scalar_one()
        self._purge(now)
        return count

    def _purge(self, now):
        """Delete a few forgotten rows; rows another transaction holds are skipped, never waited for."""
        stale = select(_T.c.key).where(_T.c.expires_at <= now).limit(PURGE_BATCH).with_for_update(skip_locked=True)
        db.session.execute(delete(_T).where(_T.c.key.in_(stale.scalar_subquery())))

    def lock(self, key, until):
        db.session.execute(update(_T).where(_T.c.key == key, or_(_T.c.locked_until.is_(None), _T.c.locked_until < until))
                           .values(locked_until=until))

    def failures(self, key, now):
        return db.session.scalar(select(_T.c.failures).where(_T.c.key == key, _T.c.expires_at > now)) or 0

    def clear(self, keys, prefixes):
        conditions = [_T.c.key.in_(keys)] + [_T.c.key.startswith(p, autoescape=True) for p in prefixes]
        db.session.execute(delete(_T).where(or_(*conditions)))


# KEYS[1]: the hash; ARGV[1]: the wait's end in epoch milliseconds. Only ever lengthens the wait,
# and only of a count that still exists (a hash made here would have no expiry).
_LOCK_SCRIPT = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local current = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if tonumber(ARGV[1]) > current then redis.call('HSET', KEYS[1], 'until', ARGV[1]) end
return 1
"""


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class RedisThrottleStore:
    """Counts in Redis: one hash per key ({failures, until}) that expires after its quiet period."""

    def __init__(self, url: str, prefix: str):
        import redis

        self._errors = redis.RedisError
        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = f"{prefix}throttle:"
        self._lock = self.redis.register_script(_LOCK_SCRIPT)

    def _call(self, fn):
        try:
            return fn()
        except self._errors as e:
            raise ThrottleUnavailable(str(e)) from e

    def locked_until(self, keys, now):
        def read():
            pipe = self.redis.pipeline(transaction=False)
            for key in keys:
                pipe.hget(self.prefix + key, "until")
            return pipe.execute()

        ends = [int(v) for v in self._call(read) if v is not None]
        latest = max(ends, default=0)
        if latest <= _ms(now):
            return None
        return datetime.fromtimestamp(latest / 1000, tz=timezone.utc)

    def fail(self, key, forget_after, now):
        def count():
            pipe = self.redis.pipeline(transaction=True)  # MULTI/EXEC: both or neither
            pipe.hincrby(self.prefix + key, "failures", 1)
            pipe.pexpire(self.prefix + key, int(forget_after.total_seconds() * 1000))
            return pipe.execute()[0]

        return int(self._call(count))

    def lock(self, key, until):
        self._call(lambda: self._lock(keys=[self.prefix + key], args=[_ms(until)]))

    def failures(self, key, now):
        return int(self._call(lambda: self.redis.hget(self.prefix + key, "failures")) or 0)

    def clear(self, keys, prefixes):
        def forget():
            names = [self.prefix + k for k in keys]
            for p in prefixes:
                names += self.redis.scan_iter(match=self.prefix + p + "*", count=500)
            if names:
                self.redis.delete(*names)

        self._call(forget)


def throttle_store() -> ThrottleStore:
    """The app's store, made on first use from its configuration."""
    app = current_app._get_current_object()
    store = app.extensions.get("sign_in_throttle")
    if store is None:
        url = app.config.get("REDIS_URL")
        store = RedisThrottleStore(url, app.config.get("REDIS_KEY_PREFIX", "exx:")) if url else DatabaseThrottleStore()
        app.extensions["sign_in_throttle"] = store
    return store
