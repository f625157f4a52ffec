"""How far a running job has got (rows done of total, errors so far), for its progress page.

Kept outside the job's transaction, which is still open while it works (an import is
all-or-nothing): in Redis when REDIS_URL is set, so the web servers see what a worker reports;
otherwise in this process, where the in-process job thread runs beside the pages.
"""
from __future__ import annotations

import json
import logging
import threading
from dataclasses import asdict, dataclass

from flask import current_app

log = logging.getLogger("exemplar.jobs")


@dataclass(frozen=True)
class Progress:
    done: int = 0
    total: int = 0
    errors: int = 0
    #: What it is doing now, in words ("Checking rows", "Writing deployments").
    stage: str = ""

    @property
    def percent(self) -> int:
        return 100 if self.total <= 0 else max(0, min(100, round(100 * self.done / self.total)))


_local: dict[int, Progress] = {}
_lock = threading.Lock()
#: Progress is forgotten a day after its last report (the run's row keeps the outcome).
TTL_SECONDS = 86400


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)


def _key(run_id: int) -> str:
    return f"{current_app.config['REDIS_KEY_PREFIX']}jobs:progress:{run_id}"


def report(run_id: int | None, done: int, total: int, errors: int = 0, stage: str = "") -> None:
    """Say how far run `run_id` has got (nothing when the work runs outside a job)."""
    if run_id is None:
        return
    p = Progress(done, total, errors, stage)
    client = _redis()
    if client is None:
        with _lock:
            _local[run_id] = p
        return
    try:
        client.set(_key(run_id), json.dumps(asdict(p)), ex=TTL_SECONDS)
    except Exception:  # noqa: BLE001 - a progress bar is not worth failing an import for
        log.warning("could not report progress of run %s", run_id, exc_info=True)


def read(run_id: int) -> Progress | None:
    """The last progress reported for run `run_id`, if any."""
    client = _redis()
    if client is None:
        with _lock:
            return _local.get(run_id)
    try:
        raw = client.get(_key(run_id))
    except Exception:  # noqa: BLE001
        return None
    return Progress(**json.loads(raw)) if raw else None
