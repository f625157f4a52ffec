"""The deployment the scale-out tests run against, made once for the module: a scratch PostgreSQL
database (next to TEST_DATABASE_URL's, migrated and seeded, dropped afterwards), Redis under a key
prefix of its own (deleted afterwards), nginx and two app servers (tests/scaleout/cluster.py).

Skipped, saying why, when nginx, PostgreSQL or Redis is missing; failed instead when
TEST_REQUIRE_SCALEOUT is set (CI sets it for its `make test-scaleout` step).
"""
from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import build_database, drop_database
from tests.redis_support import TEST_REDIS_URL, redis_client

from .cluster import nginx_binary, start_cluster, stop_cluster

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"


def _missing(why: str):
    if os.environ.get("TEST_REQUIRE_SCALEOUT"):
        pytest.fail(f"{why}, and TEST_REQUIRE_SCALEOUT is set", pytrace=False)
    pytest.skip(why)


@pytest.fixture(scope="session")
def scaleout_database():
    url = os.environ.get("TEST_DATABASE_URL", DEFAULT_PG)
    base = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url)
    if base.get_backend_name() != "postgresql":
        _missing(f"the scale-out test needs PostgreSQL (TEST_DATABASE_URL is {base.get_backend_name()})")
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as e:  # noqa: BLE001 - any failure to connect means no PostgreSQL here
        admin.dispose()
        _missing(f"PostgreSQL is not reachable at {base.render_as_string()} ({type(e).__name__})")
    name = f"{base.database}_scaleout"
    drop_database(admin, name)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    own = base.set(database=name).render_as_string(hide_password=False)
    try:
        build_database(own)
        yield own
    finally:
        drop_database(admin, name)
        admin.dispose()


@pytest.fixture(scope="session")
def cluster(scaleout_database, tmp_path_factory):
    if nginx_binary() is None:
        _missing("nginx is not installed (Debian: apt-get install nginx)")
    client = redis_client()
    try:
        client.ping()
    except Exception as e:  # noqa: BLE001
        _missing(f"Redis is not running at {TEST_REDIS_URL} ({e})")
    home = tmp_path_factory.mktemp("scaleout")
    running = start_cluster(scaleout_database, TEST_REDIS_URL, home)
    try:
        yield running
    finally:
        stop_cluster(running)
        leftovers = list(client.scan_iter(match=f"*{running.prefix}*", count=500))
        if leftovers:
            client.delete(*leftovers)
        client.close()
