"""Building the stored figures (stored.py) off the request path: the job a data change queues,
and the scheduled safety net."""
from __future__ import annotations

import time
import uuid
from typing import Any

from sqlalchemy import delete, func, select

from app import jobs, signals
from app.clock import now as clock_now
from app.extensions import db
from app.registry.vocab import SYSTEM_CATEGORIES

from ..metrics import WEIGHTINGS
from ..models import FigureBuild
from . import dashboard
from .engine import data_version, today
from .stored import KEEP, seal, version_digest


def build(force: bool = False) -> str:
    """Build and store every category's figures for today, unless the latest build is of the
    current data and date. The caller commits."""
    version = version_digest(data_version())
    on = today()
    last = db.session.execute(select(FigureBuild.version, FigureBuild.as_of).order_by(FigureBuild.id.desc()).limit(1)).first()
    if not force and last is not None and last.version == version and last.as_of == on:
        return "already up to date"
    started = time.perf_counter()
    figures = {(c, w): dashboard.compute_dashboard(c, on, w) for c in SYSTEM_CATEGORIES for w in WEIGHTINGS}
    took = round((time.perf_counter() - started) * 1000)
    db.session.add(FigureBuild(version=version, as_of=on, built_at=clock_now(), took_ms=took, payload=seal(figures)))
    db.session.flush()
    newest = db.session.execute(select(func.max(FigureBuild.id))).scalar_one()
    db.session.execute(delete(FigureBuild).where(FigureBuild.id <= newest - KEEP))
    # Rebuilds asked for before this one are answered by it.
    jobs.answer_queued("concentration.rebuild", f"answered by build {newest}")
    return f"built {len(figures)} sets of figures in {took} ms"


@jobs.job("concentration.rebuild", max_attempts=3)
def rebuild(**_: Any) -> str:
    return build()


@jobs.every("concentration.refresh", minutes=10)
def refresh() -> str:
    """The safety net: rebuild when the data moved without a signal, or the date rolled over."""
    return build()


@signals.data_changed.connect
def _queue_rebuild(sender: Any = None, **kwargs: Any) -> None:
    """Data behind the figures changed: rebuild them after the commit (each change its own event;
    a rebuild that finds the figures current does nothing)."""
    jobs.enqueue("concentration.rebuild", f"concentration.rebuild:{uuid.uuid4().hex}")
