"""`flask jobs worker | scheduler | run | failed`: the processes `make worker` and `make scheduler`
start, and two commands for people."""
from __future__ import annotations

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy import select

from app.extensions import db

from . import runner
from .backends import SCHEDULER_INTERVAL, drain, set_worker_app
from .models import JobRun
from .schedule import tick


def scheduler_round() -> list[int]:
    """One round of the scheduler: queue the due slots of every task, and re-send the runs no
    transport holds (retries whose backoff is over, runs Redis lost). Returns the ids re-sent."""
    tick()
    ids = runner.due(unsent_only=True)
    db.session.commit()
    backend = current_app.extensions["jobs"]
    if backend.name == "rq":
        backend.submit(ids)
    else:  # no Redis: the scheduler process runs them itself
        for i in ids:
            runner.run(i)
    return ids


def register(app: Flask) -> None:
    group = AppGroup("jobs", help="The job queue and the scheduler.")

    @group.command("worker")
    @click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
    def worker(burst: bool):
        """Run jobs from Redis (REDIS_URL) until stopped: one per CPU core is plenty."""
        from rq import Worker

        backend = current_app.extensions["jobs"]
        if backend.name != "rq":
            raise click.ClickException("REDIS_URL is not set: without Redis, jobs run inside the app itself.")
        set_worker_app(current_app._get_current_object())
        Worker([backend.queue_name], connection=backend.connection()).work(burst=burst, logging_level="INFO")

    @group.command("scheduler")
    @click.option("--once", is_flag=True, help="One round, then stop.")
    @click.option("--interval", default=SCHEDULER_INTERVAL, show_default=True, help="Seconds between rounds.")
    def scheduler(once: bool, interval: int):
        """Queue scheduled work when it is due (closing competitions at their deadlines, reminders,
        digests, figures) and re-send retries. Several schedulers may run: each slot is queued once."""
        while True:
            try:
                ids = scheduler_round()
                click.echo(f"scheduler: {len(ids)} run(s) sent", err=True)
            except Exception as e:  # noqa: BLE001 - a database blip must not stop the scheduler
                db.session.rollback()
                if once:
                    raise
                click.echo(f"scheduler: round failed ({runner.describe(e)}); trying again", err=True)
            finally:
                db.session.remove()
            if once:
                return
            time.sleep(interval)

    @group.command("run")
    def run_now():
        """Run every due job in this process, now (no Redis needed)."""
        click.echo(f"{drain()} job run(s) attempted")

    @group.command("failed")
    def failed():
        """List the runs that failed for good, with their errors."""
        rows = db.session.execute(select(JobRun).where(JobRun.status == "failed")
                                  .order_by(JobRun.finished_at.desc()).limit(100)).scalars().all()
        for r in rows:
            click.echo(f"{r.id}\t{r.key}\t{r.attempts} attempt(s)\t{r.last_error}")
        click.echo(f"{len(rows)} failed run(s)")

    app.cli.add_command(group)
