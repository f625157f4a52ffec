"""Real-browser tests: the app served on a loopback port, driven by Playwright in Debian's Chromium.

No browser is downloaded: Playwright launches /usr/bin/chromium. Without it (a user's fresh machine) every
browser test is skipped with a clear reason. axe-core, installed from npm by `make assets`, is injected
into pages to check accessibility offline.
"""
from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "demo-password-2026"


def pytest_collection_modifyitems(config, items):
    reason = None
    if not Path(CHROMIUM).exists():
        reason = f"no Chromium at {CHROMIUM}: install Debian's chromium package to run the browser tests"
    elif not AXE.exists():
        reason = "axe-core is not installed: run `make assets` (npm) first"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "the playwright package is not installed"
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on http://127.0.0.1:<free port>, with its own migrated, seeded SQLite database."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    path = tmp_path_factory.mktemp("browser") / "browser.db"
    app = create_app("development", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False, "TESTING": True,
    })
    with app.app_context():
        upgrade()
        from seed.load import load_demo

        load_demo()
        db.session.commit()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "app": app}
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ])
        yield b
        b.close()


@pytest.fixture()
def page(browser, live_server):
    # bypass_csp lets the test inject axe-core; the app's own pages never need it (tests check the header).
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def check_axe(page, context: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page; fail listing any violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    violations = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]
    assert not violations, f"axe violations on {context or page.url}:\n" + "\n".join(violations)


def sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/dashboard")


def screenshot(page, name: str) -> None:
    """Keep a screenshot of a main page for the README (docs/screenshots/)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
