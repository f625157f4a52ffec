"""Real-browser tests: the app served on a loopback port, driven by Playwright in Debian's Chromium.

No browser is downloaded: Playwright launches /usr/bin/chromium. Without it (a user's fresh machine) every
browser test is skipped with a clear reason. axe-core, installed from npm by `make assets`, is injected
into pages to check accessibility offline.
"""
from __future__ import annotations

import fcntl
import logging
import os
import shutil
import threading
import time
from datetime import timedelta
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


def _seeded_database(tmp_path_factory) -> Path:
    """A migrated database with the demo data, built once per run: the xdist workers of one run share
    it (under a file lock) and each copies it, so the seed runs once, not once per worker."""
    from flask_migrate import upgrade

    from app import create_app
    from app.extensions import db

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the run's own directory
    template = shared / "browser-seeded.db"
    with open(shared / "browser-seeded.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not template.exists():
            building = shared / "browser-seeding.db"
            app = create_app("development", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{building}", "TESTING": True})
            with app.app_context():
                upgrade()
                from seed.load import load_demo

                load_demo()
                db.session.commit()
                db.session.remove()
                db.engine.dispose()  # the last connection closes, so the WAL is written into the file
            building.rename(template)
    return template


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on http://127.0.0.1:<free port>, with its own migrated, seeded SQLite database."""
    from app import create_app

    path = tmp_path_factory.mktemp("browser") / "browser.db"
    shutil.copyfile(_seeded_database(tmp_path_factory), path)
    app = create_app("development", {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}", "RATELIMIT_ENABLED": False,
        "SESSION_COOKIE_SECURE": False, "TESTING": True,
        # Background work as `make run` does it: a thread of the server's own process.
        "JOBS_BACKEND": "thread",
    })
    # One line per request and per e-mail would bury a failing step's own output.
    for name in ("werkzeug", "exemplar.request", "exemplar.email"):
        logging.getLogger(name).setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # absolute links (invitations)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.extensions["jobs"].start()
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
def page(browser, live_server, request):
    # bypass_csp lets the test inject axe-core; the app's own pages never need it (tests check the header).
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    _explain_failure(request, [pg])
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.call_failed = report.failed


def _explain_failure(request, pages) -> None:
    """On failure, say where each person's browser was and what it showed (and keep a picture)."""
    if not getattr(request.node, "call_failed", False):
        return
    out = Path(os.environ.get("BROWSER_FAILURES", "/tmp/browser-failures"))
    out.mkdir(parents=True, exist_ok=True)
    for i, pg in enumerate(pages):
        try:
            name = f"{request.node.name}-{i}"
            pg.screenshot(path=str(out / f"{name}.png"), full_page=True)
            text = pg.locator("main").inner_text(timeout=2000) if pg.locator("main").count() else pg.content()
            print(f"\n--- page {i} at {pg.url} (screenshot {out / name}.png)\n{text[:3000]}")
        except Exception as e:  # noqa: BLE001 - explaining a failure must not hide it
            print(f"\n--- page {i}: could not capture ({e})")


@pytest.fixture()
def open_as(browser, live_server, request):
    """open_as(email, width=1280, keyboard=False) → a page in a fresh browser context, signed in as
    that demo user (or anonymous with email=None), with the keyboard only if asked. One context per
    person, so several people can take turns."""
    contexts = []

    def _open(email: str | None, width: int = 1280, keyboard: bool = False):
        context = browser.new_context(base_url=live_server["url"], viewport={"width": width, "height": 900},
                                      bypass_csp=True, accept_downloads=True)
        contexts.append(context)
        pg = context.new_page()
        pg.set_default_timeout(10_000)
        if email and keyboard:
            from tests.browser.keyboard import sign_in_by_keyboard

            sign_in_by_keyboard(pg, email, PASSWORD)
        elif email:
            sign_in(pg, email)
        return pg

    yield _open
    _explain_failure(request, [pg for c in contexts for pg in c.pages])
    for context in contexts:
        context.close()


class MovableClock:
    """The competitions' clock of the live server, moved forward by the test.

    The live server runs in a thread of the test process, so replacing the clock's source here
    moves time for every request it serves: deadlines pass without waiting for them."""

    def __init__(self) -> None:
        from app.competitions import clock
        from app.models_base import utcnow

        self.offset = timedelta(0)
        self._clock = clock
        clock.set_source(lambda: utcnow() + self.offset)

    def forward(self, **kwargs) -> None:
        self.offset += timedelta(**kwargs)

    def now(self):
        return self._clock.now()

    def past(self, instant) -> None:
        """Move the clock to one minute after `instant` (if it is not already later)."""
        gap = instant - self.now() + timedelta(minutes=1)
        if gap > timedelta(0):
            self.offset += gap

    def reset(self) -> None:
        self._clock.set_source(None)


@pytest.fixture()
def clock():
    mover = MovableClock()
    yield mover
    mover.reset()


def in_app(live_server, fn):
    """Run fn() inside the live server's app (same process, same database) and commit: test set-up
    that is not itself under test, such as a second exemplar's account."""
    from app.extensions import db

    with live_server["app"].app_context():
        try:
            result = fn()
            db.session.commit()
            return result
        finally:
            db.session.remove()


def no_sideways_scroll(page, context: str = "") -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    assert width <= viewport + 1, f"{context or page.url} scrolls sideways at {viewport} px ({width} px wide)"


def success_banner(page) -> str:
    """The text of the success banner shown after an action (fails if there is none)."""
    from playwright.sync_api import expect

    banner = page.locator(".nhsuk-notification-banner--success").first
    expect(banner, f"no success banner on {page.url}").to_be_visible()
    return banner.inner_text()


#: The page types axe-core has checked in this run (printed with -s at the end of the session).
CHECKED: dict[str, float] = {}


@pytest.fixture(scope="session", autouse=True)
def _report_checked_pages():
    yield
    if CHECKED and os.environ.get("BROWSER_REPORT"):
        print(f"\naxe-core checked {len(CHECKED)} page types in {sum(CHECKED.values()):.1f} s:")
        for name, seconds in CHECKED.items():
            print(f"  {seconds:5.2f} s  {name}")
        from tests.browser.keyboard import TABS

        print(f"Tab pressed {TABS[0]} times")


#: True once every NHS.UK component on the page has started (each marks itself data-<module>-init).
_COMPONENTS_STARTED = """() => [...document.querySelectorAll('[data-module^="nhsuk-"]')]
    .every(el => el.hasAttribute('data-' + el.dataset.module + '-init'))"""


def settle(page) -> None:
    """Wait until the page has loaded and its scripts have started the NHS.UK components: until then
    the header's menu items may overflow onto the page (white on grey) and fail colour contrast."""
    page.wait_for_load_state("load")
    try:
        page.wait_for_function(_COMPONENTS_STARTED, timeout=5_000)
    except Exception:  # noqa: BLE001 - a component that never starts is for axe to judge, not a hang
        pass


def check_axe(page, context: str = "") -> None:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) on the page; fail listing any violation."""
    started = time.perf_counter()
    settle(page)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {resultTypes: ['violations'], runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})"""
    )
    CHECKED[context or page.url] = CHECKED.get(context or page.url, 0.0) + time.perf_counter() - started
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


def screenshot(page, name: str, at=None, fresh: bool = False) -> None:
    """Keep a screenshot of a main page for the README (docs/screenshots/); `at` (a locator) is
    scrolled to the top of the picture first; `fresh` reloads the page first, without the banner
    of the action that led there."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    if fresh:
        page.reload()
    settle(page)
    if at is not None:
        at.first.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 16)")
    else:
        page.evaluate("window.scrollTo(0, 0)")  # from the top, with the header, whatever had the focus
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
    if at is not None:
        page.evaluate("window.scrollTo(0, 0)")
