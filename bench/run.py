"""Run the benchmarks and write the results into docs/performance.md.

    make bench                                   # national and 10x, on SQLite and PostgreSQL
    BENCH_SIZES=national,10x,gcloud make bench   # gcloud too
    .venv/bin/python bench/run.py --sizes national --backends sqlite --only search,concentration

For each size and backend: the benchmark database is made if missing (bench/generate.py), then
search, SQL statements per page, concentration and (under gunicorn + wrk) pages and worker memory
are measured; competition scoring (pure) once. Results are merged by size and backend into
bench/results.json, and docs/performance.md's results section is written again from it.
The figures are noisy on a shared 2-core machine: ratios are measured within one run, page and
echo alternately, and the key ones repeated.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The app runs with its production settings (as `make serve` does), which need a secret key.
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ.setdefault("PUBLIC_BASE_URL", "http://127.0.0.1")  # the servers answer on loopback (any port)
os.environ.setdefault("EXTRA_TRUSTED_HOSTS", "localhost")  # the in-process test clients' host

RESULTS = ROOT / "bench" / "results.json"
DOC = ROOT / "docs" / "performance.md"
PARTS = ("search", "queries", "concentration", "pages", "scoring")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = next((int(line.split()[1]) // 1024 // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal")), 0)
    try:
        pg = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
                            capture_output=True, text=True, timeout=10).stdout.strip()
    except OSError:
        pg = "?"
    import sqlite3

    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": mem, "os": platform.platform(),
            "python": platform.python_version(), "sqlite": sqlite3.sqlite_version, "postgresql": pg,
            "load_average": os.getloadavg()}


def source_fingerprint() -> str:
    """A digest of the code and templates a run measures (paths, sizes and modification times).
    Compared before and after each size/backend: a run whose code changed under it (someone editing
    the tree meanwhile) is flagged, since its figures and errors may mix two versions."""
    import hashlib

    digest = hashlib.sha1()
    for pattern in ("app/**/*.py", "templates/**/*.html", "migrations/versions/*.py", "config.py"):
        for path in sorted(ROOT.glob(pattern)):
            st = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def bench_users(app) -> dict:
    """The accounts and objects the pages are measured with (deterministic choices)."""
    from sqlalchemy import select

    from app.accounts.models import User
    from app.extensions import db
    from app.offers.models import Offer
    from app.offers.search.engine import visible_offers_condition
    from app.registry.models import Membership, Organisation

    from app.competitions.models import Competition

    def first_user(pattern: str):
        return db.session.execute(select(User.id).where(User.email.like(pattern)).order_by(User.id)).scalar()

    with app.app_context():
        buyer = first_user("buyer.%")
        ods = db.session.execute(select(Organisation.ods_code).join(Membership, Membership.organisation_id ==
                                 Organisation.id).where(Membership.status == "admitted")
                                 .order_by(Organisation.id)).scalar()
        offer = db.session.execute(select(func_min(Offer.id)).where(visible_offers_condition())).scalar()
        buyer_org = db.session.get(User, buyer).organisation_id
        competition = db.session.execute(select(func_max(Competition.id)).where(
            Competition.buyer_id == buyer_org)).scalar()
        ids = {"buyer": buyer, "ods": ods, "offer": offer, "competition": competition,
               "admin": first_user("admin@%"), "exemplar": first_user("exemplar.%"),
               "evaluator": first_user("evaluator1.%")}
        db.session.remove()
    return ids


def func_min(col):
    from sqlalchemy import func

    return func.min(col)


def func_max(col):
    from sqlalchemy import func

    return func.max(col)


def session_cookie(app, user_id: int, user_agent: str) -> str:
    """A signed session cookie for the user, as the login page would set it (same secret key)."""
    from flask import session
    from flask_login import login_user

    from app.accounts.models import User
    from app.extensions import db

    with app.test_request_context("/", headers={"User-Agent": user_agent},
                                  environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        login_user(db.session.get(User, user_id))
        response = app.make_response("")
        app.session_interface.save_session(app, session, response)
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        db.session.remove()
    return cookie


def pages_for(ids: dict, cookies: dict[str, str]) -> list:
    """The pages measured: public ones as served (page cache) and made afresh (cache off), and
    every role's signed-in pages (never cached). `cookies`: role → session cookie."""
    from bench.measure_pages import Page

    buyer = cookies["buyer"]
    return [
        Page("register", "/organisations", True),
        Page("organisation", f"/organisations/{ids['ods']}", True),
        Page("offer", f"/offers/{ids['offer']}", True),
        Page("concentration", "/concentration/", True),
        Page("search", "/offers?q=interoperability", True),
        Page("offer-afresh", f"/offers/{ids['offer']}", True, fresh=True),
        Page("concentration-afresh", "/concentration/", True, fresh=True),
        Page("register-afresh", "/organisations", True, fresh=True),
        Page("register-signed-in", "/organisations", False, buyer),
        Page("dashboard-buyer", "/dashboard", False, buyer),
        Page("competitions-buyer", "/competitions/", False, buyer),
        Page("competition-buyer", f"/competitions/{ids['competition']}", False, buyer),
        Page("offer-signed-in", f"/offers/{ids['offer']}", False, buyer),
        Page("dashboard-exemplar", "/dashboard", False, cookies["exemplar"]),
        Page("dashboard-evaluator", "/dashboard", False, cookies["evaluator"]),
        Page("dashboard-commercial", "/dashboard", False, cookies["admin"]),
        Page("concentration-dashboard", "/concentration/dashboard", False, cookies["admin"]),
        Page("concentration-network", "/concentration/dashboard/tables/network", False, cookies["admin"]),
    ]


def query_counts(app, pages: list) -> dict[str, int]:
    """SQL statements each page sends (in-process, after one warm-up request; the page cache on
    unless the page is measured made afresh)."""
    from bench.measure import counting_queries
    from bench.measure_pages import USER_AGENT

    client = app.test_client(use_cookies=False)  # a cookie jar would replace the Cookie header
    out = {}
    for p in pages:
        app.config["PAGE_CACHE"] = not p.fresh
        headers = {"User-Agent": USER_AGENT}
        if p.cookie:
            headers["Cookie"] = p.cookie
        client.get(p.path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        with counting_queries() as statements:
            r = client.get(p.path, headers=headers, environ_base={"REMOTE_ADDR": "127.0.0.1"})
        out[p.name] = len(statements) if r.status_code == 200 else -r.status_code
    app.config["PAGE_CACHE"] = True
    return out


def build_figures(app) -> dict:
    """Build and store the concentration figures, as the job queue does after a data change (the
    pages never compute them on a request)."""
    from app.concentration.services.rebuild import build
    from app.extensions import db

    with app.app_context():
        started = time.perf_counter()
        message = build()
        db.session.commit()
        db.session.remove()
    return {"message": message, "ms": round((time.perf_counter() - started) * 1000)}


def run_one(size: str, backend: str, parts: set[str], reps: int, seconds: int) -> dict:
    from bench.generate import bench_app, ensure
    from bench.measure_pages import USER_AGENT, Server
    from bench.measure_pages import measure as measure_pages

    note = ensure(size, backend, echo=log)
    code = source_fingerprint()
    result: dict = {"size": size, "backend": backend, "measured_at": datetime.now(timezone.utc).isoformat(
        timespec="seconds"), "load_average_before": os.getloadavg(), "code": code,
        "data": {k: note[k] for k in ("counts", "rows", "seconds", "method", "rows_per_second") if k in note},
        "parts": sorted(parts)}
    app = bench_app(note["url"])
    app.config.update(SESSION_COOKIE_SECURE=False)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()  # a database made before a newer migration (e.g. an index) gets it now
    ids = bench_users(app)
    cookies = {role: session_cookie(app, ids[role], USER_AGENT) for role in ("buyer", "exemplar", "evaluator", "admin")}
    pages = pages_for(ids, cookies)
    result["figures_build"] = build_figures(app)
    log(f"  concentration figures stored: {result['figures_build']}")
    if "search" in parts:
        from bench.measure_search import measure as measure_search

        log(f"  search ({reps} requests per term)…")
        t = time.perf_counter()
        result["search"] = measure_search(app, reps=reps, uncached_reps=max(5, reps // 3))
        log(f"  search done in {time.perf_counter() - t:.0f} s")
    if "queries" in parts:
        result["queries"] = query_counts(app, pages)
        log(f"  SQL statements per page: {result['queries']}")
    if "concentration" in parts:
        from bench.measure_concentration import measure_concentration

        result["concentration"] = measure_concentration(app)
        log(f"  concentration: {result['concentration']}")
    if "pages" in parts:
        log("  pages under gunicorn (2 workers) and wrk…")
        env = {"APP_ENV": "production", "LOG_LEVEL": "INFO"}
        servers = {}
        try:
            servers["app"] = Server(note["url"], f"{size}-{backend}", env)
            servers["fresh"] = Server(note["url"], f"{size}-{backend}-fresh", {**env, "BENCH_PAGE_CACHE": "0"})
            servers["bare"] = Server(note["url"], f"{size}-{backend}-bare", env, app="bench.bare:app")
            result["pages"] = measure_pages(servers, pages, seconds=seconds)
            result["memory"] = servers["app"].peak_rss_mb()
        finally:
            for server in servers.values():
                server.stop()
    with app.app_context():
        from app.extensions import db

        db.engine.dispose()
    result["code_changed_during_run"] = source_fingerprint() != code
    if result["code_changed_during_run"]:
        log("  WARNING: the code or templates changed during this run: its figures may mix two versions.")
    return result


def postgresql_reachable() -> bool:
    from sqlalchemy import create_engine, text

    from bench.generate import PG_ADMIN_URL

    engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 5})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:  # any failure to connect means: not available here
        return False
    finally:
        engine.dispose()


def merge(results: dict, new: dict) -> dict:
    """Put a size/backend's results in. A partial run (some parts only) replaces those parts; the
    row keeps the date and load of its earlier run, notes the partial one, and stays flagged if
    either run had its code changed under it."""
    runs = results.setdefault("runs", {})
    key = f"{new['size']}/{new['backend']}"
    old = runs.get(key, {})
    merged = {**old, **new}
    if old and set(new.get("parts", PARTS)) != set(PARTS):
        for k in ("measured_at", "load_average_before"):
            if k in old:
                merged[k] = old[k]
        merged["parts"] = sorted(set(old.get("parts", PARTS)) | set(new.get("parts", ())))
        merged["code_changed_during_run"] = bool(old.get("code_changed_during_run") or
                                                 new.get("code_changed_during_run"))
        merged["partial_runs"] = [*old.get("partial_runs", []), {
            "parts": new.get("parts"), "measured_at": new["measured_at"],
            "load_average_before": new["load_average_before"],
            "code_changed_during_run": new.get("code_changed_during_run")}]
    runs[key] = merged
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Exemplar Exchange benchmarks")
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "national,10x"))
    parser.add_argument("--backends", default=os.environ.get("BENCH_BACKENDS", "sqlite,postgresql"))
    parser.add_argument("--only", default=os.environ.get("BENCH_ONLY", ",".join(PARTS)),
                        help="comma-separated parts: " + ", ".join(PARTS))
    parser.add_argument("--reps", type=int, default=int(os.environ.get("BENCH_REPS", "30")),
                        help="search requests per term and kind")
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", "6")),
                        help="seconds per wrk run")
    parser.add_argument("--no-docs", action="store_true", help="do not rewrite docs/performance.md")
    args = parser.parse_args(argv)
    # A stopped run still stops its gunicorn (the finally blocks run on SystemExit).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parts = {p.strip() for p in args.only.split(",") if p.strip()}
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    results["machine"] = machine()
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend == "postgresql" and not postgresql_reachable():
            log("PostgreSQL is not reachable (BENCH_PG_URL, default postgres@127.0.0.1:5432): skipped. "
                "Start it, or set BENCH_BACKENDS=sqlite.")
            continue
        for size in [s.strip() for s in args.sizes.split(",") if s.strip()]:
            log(f"== {size} on {backend} ==")
            merge(results, run_one(size, backend, parts, args.reps, args.seconds))
            RESULTS.write_text(json.dumps(results, indent=1, default=str))
    if "scoring" in parts:
        from bench.measure_concentration import measure_scoring

        results["scoring"] = measure_scoring()
        log(f"scoring: {results['scoring']}")
    results["written_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    RESULTS.write_text(json.dumps(results, indent=1, default=str))
    if not args.no_docs:
        from bench.report import write_doc

        write_doc(results, DOC)
        log(f"Results written to {DOC.relative_to(ROOT)} and {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
