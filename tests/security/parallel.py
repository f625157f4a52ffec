"""Real concurrency for the race tests: an app on its own copy of the test database (so its
requests really commit, each on its own connection), and a helper that starts n calls at once."""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Callable

from app import create_app
from app.extensions import db
from tests.security.server_db import copied_database


@contextmanager
def app_on_a_copy(app, tmp_path, suffix: str, **overrides):
    """A "test" app on a copy of the seeded test database (dropped afterwards), with a pool large
    enough for one connection per thread."""
    with copied_database(app, tmp_path, suffix) as url:
        options = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_size": 25, "max_overflow": 5}
        copy = create_app("test", {"SQLALCHEMY_DATABASE_URI": url, "SQLALCHEMY_ENGINE_OPTIONS": options, **overrides})
        try:
            yield copy
        finally:
            with copy.app_context():
                db.session.remove()
                db.engine.dispose()


def at_once(n: int, call: Callable[[int], object], timeout: float = 120) -> list:
    """Run call(0) … call(n-1) in n threads released together by a barrier; their results in order.
    An exception in any thread is raised here."""
    barrier = threading.Barrier(n)
    results: list = [None] * n
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=timeout)
            results[i] = call(i)
        except BaseException as e:  # noqa: BLE001 - handed to the test's thread below
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    if errors:
        raise errors[0]
    assert not any(t.is_alive() for t in threads), "a thread did not finish in time"
    return results
