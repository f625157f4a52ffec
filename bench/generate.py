"""Make a benchmark database of synthetic data, through the real schema.

    .venv/bin/python bench/generate.py --size national --backend sqlite     # bench/out/national.db
    .venv/bin/python bench/generate.py --size gcloud --backend postgresql   # database bench_gcloud

The database is made afresh (a file under bench/out/, or a PostgreSQL database named
bench_<size>, never the demo's or the tests'), the Alembic migrations are run on it, and the rows
of bench/synth.py are bulk-inserted with SQLAlchemy Core executemany in batches — not through the
services one by one. The full-text index is then rebuilt with app.offers.search.rebuild_index
(the SQLite sync triggers are set aside during the load, so each row is indexed once), the
sequences are moved past the inserted ids, and the planner statistics are gathered (ANALYZE).

A JSON note beside the databases (bench/out/<size>-<backend>.json) records the seed and the row
counts; run.py reuses a database whose note matches and makes it otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOG_LEVEL", "WARNING")  # the migrations' progress lines would drown ours

OUT = ROOT / "bench" / "out"
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
#: Bump when the synthetic rows change, so older databases are made again.
GENERATOR_VERSION = 3
BATCH = 5_000


def database_url(size: str, backend: str) -> str:
    """Where the benchmark database of a size lives on a backend."""
    if backend == "sqlite":
        return f"sqlite:///{OUT / f'{size}.db'}"
    if backend == "postgresql":
        from sqlalchemy.engine import make_url

        return make_url(PG_ADMIN_URL).set(database=f"bench_{size}").render_as_string(hide_password=False)
    raise SystemExit(f"unknown backend {backend!r} (sqlite or postgresql)")


def note_path(size: str, backend: str) -> Path:
    return OUT / f"{size}-{backend}.json"


def read_note(size: str, backend: str) -> dict | None:
    """The note of an existing benchmark database, if it was made by this generator version."""
    path = note_path(size, backend)
    if not path.exists():
        return None
    note = json.loads(path.read_text())
    return note if note.get("generator_version") == GENERATOR_VERSION else None


def fresh_database(size: str, backend: str) -> str:
    """An empty database for the size (dropped and made again)."""
    OUT.mkdir(parents=True, exist_ok=True)
    note_path(size, backend).unlink(missing_ok=True)
    url = database_url(size, backend)
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(OUT / f"{size}.db") + suffix).unlink(missing_ok=True)
        return url
    from sqlalchemy import create_engine, text

    name = f"bench_{size}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url


def bench_app(url: str, **config):
    """The real app on a benchmark database (development settings, quiet logs)."""
    from app import create_app

    return create_app("development", {"SQLALCHEMY_DATABASE_URI": url, **config})


class Progress:
    """Rows per second per table, on one line that updates while a table loads."""

    def __init__(self, out=sys.stderr):
        self.out = out
        self.tty = out.isatty()
        self.rows: dict[str, tuple[int, float]] = {}

    def update(self, table: str, done: int, total: int, started: float, final: bool = False) -> None:
        elapsed = max(time.perf_counter() - started, 1e-9)
        line = f"  {table:<24} {done:>9,} / {total:<9,} rows  {elapsed:6.1f} s  {done / elapsed:>10,.0f} rows/s"
        if final:
            self.rows[table] = (done, elapsed)
            print(("\r" if self.tty else "") + line, file=self.out, flush=True)
        elif self.tty:
            print("\r" + line, end="", file=self.out, flush=True)


def _insert(conn, table, rows: list[dict], progress: Progress) -> None:
    started = time.perf_counter()
    # Every row of an executemany batch needs the same keys; missing ones are NULL. Every row is
    # looked at: the first rows of a table may lack keys later ones have (the first organisations
    # are NHS England, the regions and the ICBs, with no trust type: keys taken from them alone
    # left every trust without its type, region, ICB and town, and every concentration figure at
    # "0 of 0 trusts").
    columns = set().union(*(r.keys() for r in rows)) if rows else set()
    for i in range(0, len(rows), BATCH):
        batch = [{c: r.get(c) for c in columns} for r in rows[i:i + BATCH]]
        try:
            conn.execute(table.insert(), batch)
        except Exception as e:  # the default message prints the whole batch
            raise SystemExit(f"{table.name}: {str(e).splitlines()[0][:2000]}") from None
        progress.update(table.name, min(i + BATCH, len(rows)), len(rows), started)
    progress.update(table.name, len(rows), len(rows), started, final=True)


def _copy(conn, table, rows: list[dict], progress: Progress) -> None:
    """PostgreSQL COPY through the same connection (about ten times the rows/s of executemany)."""
    from datetime import datetime, timezone

    started = time.perf_counter()
    given = {k for r in rows for k in r}  # every row's keys (see _insert)
    columns = [c.name for c in table.columns if c.name in given]
    # COPY skips SQLAlchemy's Python-side column defaults (False, "", utcnow): add them here.
    defaults = {}
    for c in table.columns:
        if c.name not in given and c.default is not None:
            columns.append(c.name)
            defaults[c.name] = c.default.arg if c.default.is_scalar else datetime.now(timezone.utc)
    raw = conn.connection.driver_connection
    sql = f'COPY {table.name} ({", ".join(columns)}) FROM STDIN'

    def plain(v):
        # UTCDateTime stores naive UTC: do here what its bind processing does for executemany.
        return v.astimezone(timezone.utc).replace(tzinfo=None) if isinstance(v, datetime) and v.tzinfo else v

    with raw.cursor() as cur, cur.copy(sql) as copy:
        for i, r in enumerate(rows, start=1):
            copy.write_row([plain(r[c] if c in r else defaults.get(c)) for c in columns])
            if i % BATCH == 0:
                progress.update(table.name, i, len(rows), started)
    progress.update(table.name, len(rows), len(rows), started, final=True)


def _bulk_session(conn, backend: str) -> None:
    """Settings for the loading connection only: foreign keys are not checked row by row (the
    generator makes consistent rows; SQLite checks them all at the end) and commits do not wait
    for the disk."""
    if backend == "sqlite":
        # Before any statement: PRAGMA foreign_keys is ignored inside a transaction.
        conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
    else:
        with conn.begin():
            conn.exec_driver_sql("SET session_replication_role = replica")
            conn.exec_driver_sql("SET synchronous_commit = off")


def _sqlite_triggers_off(conn) -> list[str]:
    """Set aside the FTS sync triggers on offer_versions; returns their SQL to make them again."""
    from sqlalchemy import text

    rows = conn.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                             "AND tbl_name = 'offer_versions'")).all()
    for name, _sql in rows:
        conn.execute(text(f'DROP TRIGGER "{name}"'))
    return [sql for _name, sql in rows]


def _pg_fts_index_off(conn) -> list[str]:
    """Set aside the full-text GIN index (updating it row by row is the slowest part of the load);
    returns its definition to make it again."""
    from sqlalchemy import text

    defs = conn.execute(text("SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_offer_versions_fts'")).scalars().all()
    if defs:
        conn.execute(text("DROP INDEX ix_offer_versions_fts"))
    return list(defs)


def _reset_sequences(conn, tables) -> None:
    from sqlalchemy import text

    for t in tables:
        if "id" in t.c and t.c.id.primary_key:
            conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                              f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"))


def generate(size: str, backend: str, seed: int = 2026, echo=print, method: str = "auto") -> dict:
    """Make the benchmark database of `size` on `backend`; returns its note (counts, seconds).

    `method`: "executemany" (SQLAlchemy Core, batches of BATCH rows), "copy" (PostgreSQL COPY)
    or "auto": COPY on PostgreSQL, executemany on SQLite (see docs/performance.md for both rates)."""
    if method == "auto":
        method = "copy" if backend == "postgresql" else "executemany"
    if method == "copy" and backend != "postgresql":
        raise SystemExit("--method copy is for PostgreSQL only")
    from flask_migrate import upgrade
    from sqlalchemy import text

    from app.extensions import db
    from bench.synth import SIZES, Synth

    spec = SIZES[size]
    started = time.perf_counter()
    url = fresh_database(size, backend)
    app = bench_app(url)
    progress = Progress()
    counts: dict[str, int] = {}
    with app.app_context():
        t = time.perf_counter()
        upgrade()
        echo(f"Schema made by the migrations in {time.perf_counter() - t:.1f} s; loading {size} rows…")
        meta = db.Model.metadata
        synth = Synth(spec, seed)
        with db.engine.begin() as conn:
            triggers = _sqlite_triggers_off(conn) if backend == "sqlite" else []
            indexes = _pg_fts_index_off(conn) if backend == "postgresql" else []
        with db.engine.connect() as conn:
            _bulk_session(conn, backend)
            for name, rows in synth.tables():
                with conn.begin():
                    (_copy if method == "copy" else _insert)(conn, meta.tables[name], rows, progress)
                    counts[name] = len(rows)
            if backend == "sqlite":
                # The keys were not checked row by row during the load: check them all once now.
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
                conn.rollback()
                if broken:
                    raise SystemExit(f"foreign keys broken by the generator: {broken[:5]}")
            conn.invalidate()  # this connection's settings must not go back to the pool
        t = time.perf_counter()
        with db.engine.begin() as conn:
            for sql in indexes:
                conn.execute(text(sql))
        from app.concentration.services.alert_rules import load_default_rules
        from app.concentration.services import bump_data_version
        from app.offers.search.backends import rebuild_index

        load_default_rules()
        bump_data_version()  # a running app must see that the data changed
        echo(rebuild_index() + f" ({time.perf_counter() - t:.1f} s)")
        db.session.commit()
        with db.engine.begin() as conn:
            for sql in triggers:
                conn.execute(text(sql))
            if backend == "postgresql":
                _reset_sequences(conn, [meta.tables[n] for n in counts])
        t = time.perf_counter()
        if backend == "postgresql":
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        else:
            with db.engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        echo(f"Planner statistics gathered in {time.perf_counter() - t:.1f} s.")
        db.session.remove()
        db.engine.dispose()
    seconds = time.perf_counter() - started
    note = {"size": size, "backend": backend, "seed": seed, "generator_version": GENERATOR_VERSION, "url": url,
            "method": method,
            "counts": counts, "rows": sum(counts.values()), "seconds": round(seconds, 1),
            "rows_per_second": {k: round(n / max(s, 1e-9)) for k, (n, s) in progress.rows.items()}}
    note_path(size, backend).write_text(json.dumps(note, indent=2))
    echo(f"{size} on {backend}: {note['rows']:,} rows in {seconds:.1f} s ({note['rows'] / seconds:,.0f} rows/s).")
    return note


def ensure(size: str, backend: str, seed: int = 2026, echo=print) -> dict:
    """The note of the benchmark database, made first if it is missing or out of date."""
    note = read_note(size, backend)
    if note is not None and note.get("seed") == seed and _exists(size, backend):
        return note
    return generate(size, backend, seed, echo)


def _exists(size: str, backend: str) -> bool:
    if backend == "sqlite":
        return (OUT / f"{size}.db").exists()
    from sqlalchemy import create_engine, text

    admin = create_engine(PG_ADMIN_URL)
    with admin.connect() as conn:
        found = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": f"bench_{size}"}).first()
    admin.dispose()
    return found is not None


def main(argv: list[str] | None = None) -> int:
    from bench.synth import SIZES

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=list(SIZES), action="append",
                        help="national, 10x or gcloud (repeatable; default national)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), action="append",
                        help="sqlite or postgresql (repeatable; default sqlite)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--if-missing", action="store_true", help="keep a matching database made earlier")
    parser.add_argument("--method", choices=("auto", "executemany", "copy"), default="auto",
                        help="how rows are inserted (auto: COPY on PostgreSQL, executemany on SQLite)")
    args = parser.parse_args(argv)
    for size in args.size or ["national"]:
        for backend in args.backend or ["sqlite"]:
            print(f"== {size} on {backend} ==", file=sys.stderr)
            if args.if_missing:
                ensure(size, backend, args.seed)
            else:
                generate(size, backend, args.seed, method=args.method)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
