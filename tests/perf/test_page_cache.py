"""The page cache: anonymous public pages kept by data version, ETags and conditional GETs; and the
benchmarks' trivial endpoints, which exist only in the benchmarks' app (bench/wsgi.py)."""
from __future__ import annotations

import pytest

from app import create_app
from app.web import pagecache

from .conftest import count_statements


@pytest.fixture()
def cached(app):
    """The page cache switched on (tests run with it off) and empty."""
    app.config["PAGE_CACHE"] = True
    app.extensions["pagecache"].clear()
    yield app
    app.config.pop("PAGE_CACHE")
    app.config.pop("PAGE_CACHE_VERSION_TTL", None)
    app.extensions["pagecache"].clear()


def test_an_anonymous_public_page_is_kept_and_then_served_without_a_statement(client, cached):
    cached.config["PAGE_CACHE_VERSION_TTL"] = 3600  # not a timing test: on a loaded machine a second can pass
    first = client.get("/organisations")
    assert first.status_code == 200 and first.headers["ETag"]
    assert count_statements(client, "/organisations") == 0  # the version was read within its TTL
    again = client.get("/organisations")
    assert again.get_data() == first.get_data()
    assert again.headers["ETag"] == first.headers["ETag"]
    assert "no-cache" in again.headers["Cache-Control"]
    assert again.headers["Content-Security-Policy"]  # the security headers are still added


def test_the_version_is_read_again_once_its_time_is_up(client, cached):
    cached.config["PAGE_CACHE_VERSION_TTL"] = 0
    try:
        client.get("/organisations")
        assert count_statements(client, "/organisations") == 1  # the data version, nothing else
    finally:
        cached.config.pop("PAGE_CACHE_VERSION_TTL")


def test_a_matching_if_none_match_gets_304_without_a_body(client, cached):
    etag = client.get("/organisations").headers["ETag"]
    response = client.get("/organisations", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response.get_data() == b""


def test_a_commit_that_changes_data_gives_a_new_version_and_the_new_page(client, cached, db_session, make):
    before = client.get("/organisations")
    make.org(name="AAAA FIRST OF ALL NHS TRUST")
    db_session.commit()
    after = client.get("/organisations")
    assert after.headers["ETag"] != before.headers["ETag"]
    assert "First of All" in after.get_data(as_text=True) or "FIRST OF ALL" in after.get_data(as_text=True)
    assert client.get("/organisations", headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


def test_a_change_only_to_accounts_does_not_empty_the_cache(db_session, make, app):
    org = make.org()
    db_session.commit()
    with app.test_request_context("/"):
        version = pagecache.current_version()
    make.user("follower_buyer", org=org)
    db_session.commit()
    with app.test_request_context("/"):
        assert pagecache.current_version() == version


def test_a_signed_in_page_is_never_kept(client, cached, login, make):
    login(make.user("follower_buyer"))
    response = client.get("/organisations")
    assert response.status_code == 200
    assert "ETag" not in response.headers
    assert response.headers["Cache-Control"] == "private, no-store"
    # Made for the user: at least the user is read (one statement with the organisation and the
    # roles; the list itself is a shared fragment). A page served from the cache reads nothing.
    assert count_statements(client, "/organisations") >= 1


def test_a_page_that_is_not_public_is_not_kept(client, cached):
    assert client.get("/organisations/NOPE").status_code == 404
    assert "ETag" not in client.get("/organisations/NOPE").headers


def test_the_cache_drops_the_oldest_pages_beyond_its_bounds():
    cache = pagecache.PageCache(max_entries=2, max_bytes=10)
    for i in range(3):
        cache.put((i,), pagecache.Entry(b"12345", "text/html", ()))
    assert cache.get((0,)) is None and cache.get((1,)) is not None and cache.get((2,)) is not None
    cache.put((3,), pagecache.Entry(b"123456789", "text/html", ()))
    assert cache.get((3,)) is not None and cache.get((1,)) is None


def test_the_trivial_benchmark_endpoints_exist_only_in_the_benchmarks_app(client, tmp_path):
    from bench.endpoints import register_bench_endpoints

    assert client.get("/_bench/ping").status_code == 404
    bench = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'b.db'}"})
    register_bench_endpoints(bench)
    assert bench.test_client().get("/_bench/ping").status_code == 204
    assert bench.test_client().get("/_bench/echo/not-saved").status_code == 404


def _statements_while(client, path: str) -> list[str]:
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(Engine, "before_cursor_execute", before)
    return seen


def test_signed_in_users_share_the_register_list_but_not_the_page(client, cached, login, make, db_session):
    """The register list is kept as a fragment (it shows nothing of the user): a signed-in user's
    register reads no organisations once it is kept, each user still gets their own header, and a
    change to the data shows at once (the fragment is keyed by the data version)."""
    cached.config["PAGE_CACHE_VERSION_TTL"] = 3600
    first = login(make.user("follower_buyer", name="Ada First"))
    assert "Ada First" in client.get("/organisations").get_data(as_text=True)
    again = _statements_while(client, "/organisations")
    assert not [s for s in again if "FROM organisations" in s and "users" not in s], again
    second = login(make.user("follower_buyer", name="Bea Second"))
    page = client.get("/organisations").get_data(as_text=True)
    assert "Bea Second" in page and "Ada First" not in page
    assert first.id != second.id
    make.org(name="AAAA FIRST OF ALL NHS TRUST")
    db_session.commit()
    assert "First of All" in client.get("/organisations").get_data(as_text=True)
