"""The real Redis for the tests that need one: `redis_prefix` skips the test (saying why) when Redis
is not running (it fails instead when TEST_REQUIRE_REDIS is set, as CI sets it), and gives each test its own key prefix, deleted afterwards, so tests running in
parallel never see each other's keys."""
from __future__ import annotations

import os
import uuid

import pytest

#: Database 4 of the local Redis unless TEST_REDIS_URL says otherwise.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


def redis_client():
    import redis

    return redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1, socket_timeout=5)


@pytest.fixture()
def redis_prefix():
    import redis

    client = redis_client()
    try:
        client.ping()
    except redis.RedisError as e:
        if os.environ.get("TEST_REQUIRE_REDIS"):  # CI: the machine's Redis must be used, never skipped
            pytest.fail(f"Redis is not running at {TEST_REDIS_URL} ({e}) and TEST_REQUIRE_REDIS is set")
        pytest.skip(f"Redis is not running at {TEST_REDIS_URL} ({e})")
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    try:
        yield prefix
    finally:
        leftovers = list(client.scan_iter(match=f"*{prefix}*", count=500))  # limits adds "LIMITS:" before it
        if leftovers:
            client.delete(*leftovers)
        client.close()


def redis_settings(prefix: str) -> dict:
    """App settings that put this app's Redis keys (throttling, rate limits) under `prefix`."""
    return {"REDIS_URL": TEST_REDIS_URL, "REDIS_KEY_PREFIX": prefix}
