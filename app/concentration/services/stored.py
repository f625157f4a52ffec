"""The figures the pages show, built off the request path and kept in the database.

A data change (signals.data_changed) queues `concentration.rebuild` in the same transaction; the
job builds every category's figures for today, both weightings, and stores them (FigureBuild). The
pages read the latest build, show when it was built, and say when newer data is on its way: no
person waits for a cold computation after a change, and every app server shows the same build.
`concentration.refresh` (every 10 minutes) rebuilds when the data moved without a signal or the
date rolled over. Only other dates than today (a past date on the dashboard) are computed on
request, from the engine's cache.

The build is pickled and signed with HMAC-SHA256 under a key derived from SECRET_KEY; a payload
whose signature does not match (another key, a row written by hand) is never unpickled.
"""
from __future__ import annotations

import hashlib
import hmac
import pickle
import threading
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select

from app.extensions import db

from ..models import FigureBuild
from .engine import data_version, per_request, today, unless_data_changed

#: Builds kept besides the latest (the rest are deleted by each build).
KEEP = 3
_MAC = hashlib.sha256


@dataclass(frozen=True)
class Build:
    id: int
    version: str
    as_of: date
    built_at: datetime
    took_ms: int
    #: {(category, weighting): dashboard.Dashboard}
    figures: dict[tuple[str, str], Any]


def version_digest(version: tuple) -> str:
    return hashlib.sha256("|".join(version).encode()).hexdigest()


def _key() -> bytes:
    return hashlib.sha256(b"exemplar-concentration-figures:" + str(current_app.config["SECRET_KEY"]).encode()).digest()


def seal(figures: dict) -> bytes:
    body = pickle.dumps(figures, protocol=pickle.HIGHEST_PROTOCOL)
    return hmac.new(_key(), body, _MAC).digest() + body


def unseal(payload: bytes) -> dict | None:
    """The figures, or None when the signature is not ours."""
    mac, body = payload[:32], payload[32:]
    if not hmac.compare_digest(mac, hmac.new(_key(), body, _MAC).digest()):
        return None
    return pickle.loads(body)  # noqa: S301 - signed by this app (see the module's docstring)


_cache: dict[str, Build] = {}
_cache_lock = threading.Lock()


def latest() -> Build | None:
    """The latest usable build (one query for its id; the payload read once per build per process)."""

    def load() -> Build | None:
        row = db.session.execute(select(FigureBuild.id, FigureBuild.version, FigureBuild.as_of, FigureBuild.built_at,
                                        FigureBuild.took_ms).order_by(FigureBuild.id.desc()).limit(1)).first()
        if row is None:
            return None
        bind = db.session.get_bind()
        key = getattr(bind, "engine", bind).url.render_as_string(hide_password=True)
        hit = _cache.get(key)
        if hit is not None and hit.id == row.id:
            return hit
        payload = db.session.execute(select(FigureBuild.payload).where(FigureBuild.id == row.id)).scalar_one()
        figures = unseal(payload)
        if figures is None:
            return None
        build = Build(row.id, row.version, row.as_of, row.built_at, row.took_ms, figures)
        with _cache_lock:
            _cache[key] = build
        return build

    return per_request("stored_build", load)


def stored(category: str, as_of: date, weighting: str):
    """The stored dashboard of a category for a date and weighting, or None (not built for it)."""
    b = latest()
    if b is None or b.as_of != as_of:
        return None
    return b.figures.get((category, weighting))


_derived: dict[tuple, Any] = {}


def derived(name: str, category: str, as_of: date, weighting: str, make):
    """`make()` — something made from a stored dashboard alone (its tables) — once per build,
    category, date and weighting in this process; made every time for figures not from a build,
    and where the page cache is off (tests: a rolled-back build's id comes again)."""
    b = latest()
    if b is None or b.as_of != as_of or (category, weighting) not in b.figures or \
            not current_app.config.get("PAGE_CACHE", not current_app.testing):
        return make()
    bind = db.session.get_bind()
    key = (getattr(bind, "engine", bind).url.render_as_string(hide_password=True), b.id, name, category, weighting)
    hit = _derived.get(key)
    if hit is None:
        with _cache_lock:
            if len(_derived) > 64:
                _derived.clear()
        hit = _derived[key] = make()
    return hit


def freshness() -> tuple[Build | None, bool]:
    """(the latest build, whether the data has changed since it was built)."""
    b = latest()
    if b is None:
        return None, True
    # data_version()'s aggregates (about 80 ms at G-Cloud size) only after a commit changed data.
    current = per_request("stored_version", lambda: unless_data_changed(
        "stored_version", lambda: version_digest(data_version())))
    return b, b.version != current or b.as_of != today()
