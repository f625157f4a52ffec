"""Regenerating the open-data register file off the request path: a job queued by every data
change, and hourly (changes that send no signal: an offer's wording, a competition published),
writes the SQLite file once and keeps it in the database, where every app server finds it."""
from __future__ import annotations

import hashlib
import os
import tempfile
import uuid
from typing import Any

from sqlalchemy import delete, func, select

from app import jobs, signals
from app.clock import now as clock_now
from app.extensions import db

from ..models import OpenDataExport
from .export_sqlite import export_register

#: Exports kept besides the latest.
KEEP = 2


def build_file() -> bytes:
    """The register as a SQLite file's bytes."""
    fd, path = tempfile.mkstemp(suffix=".sqlite", prefix="register-")
    os.close(fd)
    try:
        export_register(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                os.unlink(path + suffix)


def regenerate() -> str:
    """Write a new export unless the latest one holds the same bytes; the caller commits."""
    data = build_file()
    digest = hashlib.sha256(data).hexdigest()
    jobs.answer_queued("open_data.regenerate", "answered by the export made now")
    last = db.session.execute(select(OpenDataExport.sha256).order_by(OpenDataExport.id.desc()).limit(1)).scalar()
    if last == digest:
        return "unchanged"
    db.session.add(OpenDataExport(built_at=clock_now(), sha256=digest, size=len(data), data=data))
    db.session.flush()
    newest = db.session.execute(select(func.max(OpenDataExport.id))).scalar_one()
    db.session.execute(delete(OpenDataExport).where(OpenDataExport.id <= newest - KEEP))
    return f"register file of {len(data):,} bytes"


def latest() -> OpenDataExport | None:
    return db.session.execute(select(OpenDataExport).order_by(OpenDataExport.id.desc()).limit(1)).scalar()


@jobs.job("open_data.regenerate", max_attempts=3)
def _regenerate_job(**_: Any) -> str:
    return regenerate()


@jobs.every("open_data.hourly", hours=1)
def _hourly() -> str:
    return regenerate()


@signals.data_changed.connect
def _queue(sender: Any = None, **kwargs: Any) -> None:
    jobs.enqueue("open_data.regenerate", f"open_data.regenerate:{uuid.uuid4().hex}")
