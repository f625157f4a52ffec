"""The app as the page benchmarks serve it: `gunicorn bench.wsgi:app`, on the benchmark database
named by BENCH_DATABASE_URL, with the trivial endpoints of bench/endpoints.py added (here, not by
the app factory: the app never imports what sits on top of it).

APP_ENV defaults to production (as `make serve` runs it); SECRET_KEY and PUBLIC_BASE_URL must then be set.
BENCH_PAGE_CACHE=0 turns the public page cache off: every page is made afresh."""
import os

from app import create_app
from bench.endpoints import register_bench_endpoints

app = create_app(os.environ.get("APP_ENV", "production"), {"SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
                                                          "PAGE_CACHE": os.environ.get("BENCH_PAGE_CACHE", "1") != "0"})
register_bench_endpoints(app)
