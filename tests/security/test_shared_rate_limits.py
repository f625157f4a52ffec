"""Rate limits are per deployment, not per worker (issue 21): with REDIS_URL set, Flask-Limiter keeps
its counts in Redis, so two app servers enforce one sign-in limit between them rather than one each.

The two servers are two separate Python processes here (the limiter is one object per process, so
two apps in one process would share its storage whatever it was)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.redis_support import TEST_REDIS_URL, redis_prefix  # noqa: F401 (fixture)
from tests.security.server_db import copied_database

REPO = Path(__file__).resolve().parents[2]

#: One app server: its own process and app, posting `n` sign-ins from one address, printing the statuses.
SERVER = """
import json, sys
from app import create_app
settings = json.loads(sys.argv[1])
app = create_app("test", settings)
client = app.test_client()
codes = [client.post("/sign-in", data={"email": f"nobody{i}@nowhere.nhs.uk", "password": "x"},
                     environ_base={"REMOTE_ADDR": "198.51.100.20"}).status_code for i in range(int(sys.argv[2]))]
print(json.dumps(codes))
"""


def run_server(settings: dict, posts: int) -> list[int]:
    result = subprocess.run([sys.executable, "-c", SERVER, json.dumps(settings), str(posts)], cwd=REPO,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture()
def database(app, tmp_path):
    """A copy of the test database: the servers commit (failed sign-ins are counted)."""
    with copied_database(app, tmp_path, "limits") as url:
        yield url


def settings(database: str, **more) -> dict:
    return {"SQLALCHEMY_DATABASE_URI": database, "RATELIMIT_ENABLED": True, "LOGIN_RATE_LIMIT": "3 per minute", **more}


def test_two_app_servers_with_redis_share_one_sign_in_limit(database, redis_prefix):
    shared = settings(database, REDIS_URL=TEST_REDIS_URL, REDIS_KEY_PREFIX=redis_prefix)
    assert run_server(shared, 2) == [200, 200]
    assert run_server(shared, 2) == [200, 429]  # the second server knows the first one's two


def test_without_redis_each_server_counts_alone(database):
    """What REDIS_URL fixes: memory storage, one count per process (the old behaviour in production)."""
    alone = settings(database)
    assert run_server(alone, 2) == [200, 200]
    assert run_server(alone, 2) == [200, 200]


def test_the_limiter_storage_follows_redis_url():
    from config import finish_config

    with_redis = {"REDIS_URL": "redis://cache.internal:6379/0", "REDIS_KEY_PREFIX": "exx:"}
    finish_config(with_redis)
    assert with_redis["RATELIMIT_STORAGE_URI"] == "redis://cache.internal:6379/0"
    assert with_redis["RATELIMIT_KEY_PREFIX"] == "exx:limits"
    without = {}
    finish_config(without)
    assert without["RATELIMIT_STORAGE_URI"] == "memory://"
    explicit = {"REDIS_URL": "redis://a:6379/0", "RATELIMIT_STORAGE_URI": "redis://b:6379/1"}
    finish_config(explicit)
    assert explicit["RATELIMIT_STORAGE_URI"] == "redis://b:6379/1"
