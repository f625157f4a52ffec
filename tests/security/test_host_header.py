"""Host header poisoning (issue 21): `GET /offers?format=csv` with `Host: evil.example` put
`http://evil.example/offers/N` in the *cached* public CSV that everyone then downloaded.

Now absolute URLs are built on PUBLIC_BASE_URL by one helper (app/web/urls.py), unknown hosts are
refused with 400 (Flask's TRUSTED_HOSTS, from the base URL plus EXTRA_TRUSTED_HOSTS), and the
page cache's key holds nothing a request header can change.
"""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from flask import g

from app import create_app
from app.web import pagecache
from app.web.urls import external_url
from config import ProductionConfig, finish_config

BASE = "https://exchange.example.nhs.uk"
APP_DIR = Path(__file__).resolve().parents[2] / "app"


@pytest.fixture()
def public(app):
    """The test app as deployed: page cache on and empty, a public base URL, one extra trusted
    host name (as a load balancer's health check might use), and a proxy in front."""
    saved = {k: app.config.get(k) for k in ("PAGE_CACHE", "PUBLIC_BASE_URL", "TRUSTED_HOSTS", "PAGE_CACHE_VERSION_TTL")}
    app.config.update(PAGE_CACHE=True, PAGE_CACHE_VERSION_TTL=3600, PUBLIC_BASE_URL=BASE,
                      EXTRA_TRUSTED_HOSTS=["localhost", "internal.example"])
    finish_config(app.config)
    app.extensions["pagecache"].clear()
    yield app
    app.extensions["pagecache"].clear()
    app.config.update(saved)
    app.config.pop("EXTRA_TRUSTED_HOSTS", None)


def csv_urls(response) -> list[str]:
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    column = rows[0].index("url")
    return [row[column] for row in rows[1:]]


def test_a_poisoned_host_cannot_reach_the_cached_public_csv(client, public):
    attack = client.get("/offers?format=csv", headers={"Host": "evil.example"})
    assert attack.status_code == 400
    assert "evil.example" not in attack.get_data(as_text=True)
    g.__dict__.clear()
    everyone = client.get("/offers?format=csv")
    assert everyone.status_code == 200
    urls = csv_urls(everyone)
    assert len(urls) > 10 and all(re.fullmatch(re.escape(BASE) + r"/offers/\d+", u) for u in urls)
    assert "evil.example" not in everyone.get_data(as_text=True)


def test_a_trusted_but_different_host_still_gets_and_leaves_links_on_the_public_address(client, public):
    first = client.get("/offers?format=csv", headers={"Host": "internal.example:8080"})
    g.__dict__.clear()
    second = client.get("/offers?format=csv")
    assert first.status_code == second.status_code == 200
    assert first.get_data() == second.get_data()
    assert "internal.example" not in second.get_data(as_text=True)
    assert csv_urls(second)[0].startswith(BASE + "/offers/")


def test_x_forwarded_host_from_the_proxy_is_not_believed(db_session):
    from tests.accounts.apps import other_app

    with other_app(PROXY_FIX_HOPS=1, PAGE_CACHE=True, PUBLIC_BASE_URL=BASE) as app:
        app.extensions["pagecache"].clear()
        r = app.test_client().get("/offers?format=csv", headers={"Host": "exchange.example.nhs.uk",
                                                                 "X-Forwarded-Host": "evil.example"})
        app.extensions["pagecache"].clear()
    assert r.status_code == 200 and "evil.example" not in r.get_data(as_text=True)
    assert csv_urls(r)[0].startswith(BASE + "/offers/")


@pytest.mark.parametrize("host", ["evil.example", "exchange.example.nhs.uk.evil.example", "localhost.evil", "127.0.0.2"])
def test_any_page_for_an_unknown_host_is_refused(client, public, host):
    for path in ("/", "/sign-in", "/api/v1/organisations", "/no-such-page"):
        g.__dict__.clear()
        assert client.get(path, headers={"Host": host}).status_code == 400, path


def test_the_page_cache_key_ignores_every_request_header(public):
    headers = [
        {},
        {"Host": "internal.example"},
        {"Host": "localhost:8443"},
        {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https", "X-Forwarded-Prefix": "/evil",
         "Forwarded": "host=evil.example;proto=http", "X-Original-URL": "/admin", "X-Rewrite-URL": "/admin"},
        {"Accept": "text/html", "Accept-Language": "cy", "Accept-Encoding": "gzip", "User-Agent": "evil",
         "Referer": "https://evil.example/", "Origin": "https://evil.example", "Cookie": "theme=dark"},
    ]
    keys = set()
    for h in headers:
        with public.test_request_context("/offers?format=csv", headers=h):
            pagecache._lookup()
            keys.add(g.pagecache_key)
    assert len(keys) == 1 and None not in keys


def test_ocds_package_uris_are_on_the_public_address(client, public):
    r = client.get("/ocds/releases.json?per_page=1", headers={"Host": "internal.example"})
    assert r.status_code == 200
    body = r.get_json()
    assert body["uri"].startswith(BASE + "/ocds/releases.json")
    assert all(link.startswith(BASE) for link in body.get("links", {}).values())


def test_external_url_needs_no_request_and_keeps_a_path_prefix(app):
    with app.app_context():
        app.config["PUBLIC_BASE_URL"] = "https://example.nhs.uk/exchange"
        try:
            assert external_url("offers.offer", offer_id=3) == "https://example.nhs.uk/exchange/offers/3"
            assert external_url("offers.search_page", q=["a b", "c"]) == "https://example.nhs.uk/exchange/offers?q=a+b&q=c"
        finally:
            app.config["PUBLIC_BASE_URL"] = "http://localhost"


def test_every_absolute_url_in_the_app_is_built_by_the_one_helper():
    pattern = re.compile(r"_external\s*=\s*True|host_url|url_root|request\.host\b|request\.url\b|request\.base_url")
    offenders = [f"{p.relative_to(APP_DIR)}:{n}" for p in APP_DIR.rglob("*.py") if p.name != "urls.py"
                 for n, line in enumerate(p.read_text().splitlines(), 1) if pattern.search(line)]
    templates = APP_DIR.parent / "templates"
    offenders += [str(p.relative_to(templates)) for p in templates.rglob("*.html")
                  if pattern.search(p.read_text()) or "_external" in p.read_text()]
    assert offenders == []


def test_trusted_hosts_come_from_the_public_address_and_the_extra_list():
    config = {"PUBLIC_BASE_URL": "https://Exchange.Example.NHS.uk:8443/x", "EXTRA_TRUSTED_HOSTS": ["health.internal"]}
    finish_config(config)
    assert config["TRUSTED_HOSTS"] == ["exchange.example.nhs.uk", "health.internal"]
    for bad in ("exchange.example.nhs.uk", "ftp://exchange.example.nhs.uk", "https://", "https://x.nhs.uk/?q=1"):
        with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL"):
            finish_config({"PUBLIC_BASE_URL": bad})


def test_production_refuses_to_start_without_a_public_address(monkeypatch):
    class NoAddress(ProductionConfig):
        SECRET_KEY = "a-production-secret-for-tests-only"
        PUBLIC_BASE_URL = None

    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL must be set in production"):
        create_app(NoAddress)


def test_development_accepts_both_names_make_run_is_opened_by():
    from config import DevelopmentConfig

    config = {"PUBLIC_BASE_URL": "http://127.0.0.1:5000", "EXTRA_TRUSTED_HOSTS": DevelopmentConfig.EXTRA_TRUSTED_HOSTS}
    finish_config(config)
    assert {"127.0.0.1", "localhost"} <= set(config["TRUSTED_HOSTS"])
