"""Measure a 20,000-row deployments import run as a background job, on SQLite and PostgreSQL.

    .venv/bin/python bench/imports.py                       # both backends
    .venv/bin/python bench/imports.py --backends sqlite --rows 5000
    BENCH_PG_URL=postgresql://postgres@127.0.0.1:5432/bench_imports .venv/bin/python bench/imports.py

Each backend gets a fresh database (migrated, demo data loaded); a CSV of ROWS new deployments of
the demo trusts is uploaded and checked (the dry run, timed apart), then confirmed: the job is
queued and a worker (this process, `jobs.drain()`, as `flask jobs run` does) plans it afresh and
writes it in one transaction, with an audit entry per row. Printed: rows per second for the job,
and the check. Not a test: figures go to docs/performance.md by hand.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOG_LEVEL", "WARNING")


def make_csv(trusts: list[str], systems: list[str], rows: int) -> bytes:
    header = "ods_code,system,status,since,until,source,confidence"
    start = date(1950, 1, 1)
    lines = [header]
    for i in range(rows):
        since = start + timedelta(days=i // len(trusts))
        lines.append(f"{trusts[i % len(trusts)]},{systems[i % len(systems)]},ended,{since},{since + timedelta(days=1)},"
                     f"https://example.org/bench/{i},medium")
    return ("\n".join(lines) + "\n").encode()


def bench(url: str, rows: int) -> dict:
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from app import create_app, jobs
    from app.api import import_jobs, imports
    from app.extensions import db
    from app.registry.models import Deployment, Organisation, System
    from seed.load import load_demo

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "JOBS_BACKEND": "manual"})
    with app.app_context():
        upgrade()
        load_demo()
        db.session.commit()
        jobs.drain()
        trusts = db.session.execute(select(Organisation.ods_code).where(Organisation.kind == "trust")
                                    .order_by(Organisation.ods_code)).scalars().all()
        systems = db.session.execute(select(System.slug).order_by(System.slug)).scalars().all()[:40]
        data = make_csv(trusts, systems, rows)
        before = db.session.execute(select(func.count(Deployment.id))).scalar_one()
        t0 = time.perf_counter()
        run = imports.store_upload("deployments", "bench.csv", data)
        db.session.commit()
        check_s = time.perf_counter() - t0
        assert run.error_count == 0, imports.plan_import("deployments", data)[1].errors[:3]
        import_jobs.start(run, actor=None)
        db.session.commit()
        t1 = time.perf_counter()
        jobs.drain()
        job_s = time.perf_counter() - t1
        after = db.session.execute(select(func.count(Deployment.id))).scalar_one()
        assert after - before == rows, (before, after)
        db.session.remove()
        db.engine.dispose()
    return {"rows": rows, "check_s": round(check_s, 2), "job_s": round(job_s, 2), "rows_per_s": round(rows / job_s)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    for backend in args.backends.split(","):
        if backend == "sqlite":
            folder = tempfile.mkdtemp(prefix="bench-imports-")
            url = f"sqlite:///{folder}/bench.db"
        else:
            from sqlalchemy import create_engine, text

            base = os.environ.get("BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/bench_imports")
            name = base.rsplit("/", 1)[1]
            admin = create_engine(base.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + "/postgres",
                                  isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                c.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            url = base.replace("postgresql://", "postgresql+psycopg://")
        print(backend, bench(url, args.rows), flush=True)


if __name__ == "__main__":
    main()
