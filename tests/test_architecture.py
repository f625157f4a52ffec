"""The shape of the house: dependencies run one way, no module imports itself round a circle, and
no file in app/ outgrows what a reader can hold (docs/architecture.md draws the same table).

Every import in app/ is read from the source (tests/importgraph.py), those inside functions as
well as those at the top of a module: a lazy import that runs the wrong way is still wrong.

The layers, from the bottom (each may import its own layer and the layers listed in ALLOWED):

    infrastructure   app.extensions, models_base, errors, signals, logging_setup
    web toolkit      app.web and its modules but app.web.site: commit(), navigation, fields,
                     formatting, CSV exports, form errors, querying, the page cache
    permissions      app.accounts.permissions and roles: "may this user do this", asked by all
    storage          app.storage: keeping files by their SHA-256 (local disk or S3-compatible)
    audit            the audit log: knows nothing of what it records (domains register what is sealed)
    documents        judging, keeping, versioning and sending uploaded files; knows nothing of what
                     they belong to (each owning domain links them and decides who may read them)
    registry         the framework register: knows nothing of the market
    accounts         users, sign-in, invitations, user management (a user belongs to an
                     organisation of the register)
    concentration    figures over the register (what-ifs for the market's pages)
    governance       admissions, reviews, funding, check-ins
    offers           the exemplars' offers, search, buyers' projects and shortlists
    competitions     call-off competitions, bids, evaluation, awards
    web site, api, main, operations   the web faces: app.web.site (wiring, the role dashboards), the
                     JSON API and OCDS, the public pages, the admins' jobs and email pages
    factory          app/__init__.py (create_app), app.models, app.policies, app.cli, app.backup
    (seed, bench and tests sit on top and are never imported by app)

And two rules beside the table: no module imports another package's views (pages are reached by
URL; only the factory registers blueprints), and nothing in app imports seed/, bench/ or tests/.
"""
from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from tests.importgraph import Import, circles, layer_of, module_files, read_imports, wrong_way

ROOT = Path(__file__).resolve().parents[1]

INFRASTRUCTURE = "infrastructure"
TOOLKIT = "web toolkit"
PERMISSIONS = "permissions"
STORAGE = "storage"
SITE = "web site"

#: Which layer each module is in. `x` names the module x alone, `x.*` x and everything below it;
#: the closest name wins. A module no entry names fails the test: place every new module here.
LAYERS = {
    "app.extensions": INFRASTRUCTURE,
    "app.models_base": INFRASTRUCTURE,
    "app.errors": INFRASTRUCTURE,
    "app.signals": INFRASTRUCTURE,
    "app.logging_setup": INFRASTRUCTURE,
    "app.clock": INFRASTRUCTURE,
    "app.jobs.*": INFRASTRUCTURE,
    "app.mail.*": INFRASTRUCTURE,
    "app.web": TOOLKIT,
    "app.web.fields": TOOLKIT,
    "app.web.formatting": TOOLKIT,
    "app.web.exports": TOOLKIT,
    "app.web.formerrors": TOOLKIT,
    "app.web.querying": TOOLKIT,
    "app.web.pagecache": TOOLKIT,
    "app.web.urls": TOOLKIT,
    "app.accounts.permissions": PERMISSIONS,
    "app.accounts.roles": PERMISSIONS,
    "app.storage.*": STORAGE,
    "app.documents.*": "documents",
    "app.audit.*": "audit",
    "app.registry.*": "registry",
    "app.accounts.*": "accounts",
    "app.concentration.*": "concentration",
    "app.governance.*": "governance",
    "app.offers.*": "offers",
    "app.competitions.*": "competitions",
    "app.web.site.*": SITE,
    "app.api.*": "api",
    "app.main.*": "main",
    "app.operations.*": "operations",
    "app": "factory",
    "app.models": "factory",
    "app.policies": "factory",
    "app.cli": "factory",
    "app.backup": "factory",
    "app.tasks": "factory",
}

_BASE = (INFRASTRUCTURE, TOOLKIT, PERMISSIONS, STORAGE)
_DOMAINS = ("audit", "documents", "registry", "accounts", "concentration", "governance", "offers", "competitions")

#: What each layer may import besides itself.
ALLOWED = {
    INFRASTRUCTURE: (),
    TOOLKIT: (INFRASTRUCTURE,),
    PERMISSIONS: (INFRASTRUCTURE,),
    STORAGE: (INFRASTRUCTURE,),
    "audit": _BASE,
    "documents": (*_BASE, "audit"),
    "registry": (*_BASE, "audit"),
    "accounts": (*_BASE, "audit", "registry"),
    "concentration": (*_BASE, "audit", "registry", "accounts"),
    "governance": (*_BASE, "audit", "registry", "accounts", "documents"),
    "offers": (*_BASE, "audit", "registry", "accounts", "concentration", "documents"),
    "competitions": (*_BASE, "audit", "registry", "accounts", "concentration", "offers", "documents"),
    SITE: (*_BASE, *_DOMAINS),
    "api": (*_BASE, *_DOMAINS),
    "main": (*_BASE, *_DOMAINS),
    "operations": (*_BASE, *_DOMAINS),
    "factory": (*_BASE, *_DOMAINS, SITE, "api", "main", "operations"),
}

#: The modules that register the blueprints, and so may import every package's views.
FACTORY = ("app",)

#: The most lines a file of app/ may have.
MAX_LINES = 400


@pytest.fixture(scope="module")
def app_imports() -> list[Import]:
    return read_imports(ROOT, "app")


# --- the checks on app/ ------------------------------------------------------------------------

def test_every_module_of_app_has_a_layer():
    missing = sorted(m for m in module_files(ROOT, "app") if layer_of(m, LAYERS) is None)
    assert not missing, f"put these modules in LAYERS: {missing}"


def test_no_import_circles_in_app(app_imports):
    found = [sorted(c) for c in circles(app_imports)]
    assert not found, "import circles:\n" + "\n".join(" ↔ ".join(c) for c in found)


def test_no_import_in_app_runs_the_wrong_way(app_imports):
    violations = wrong_way(app_imports, LAYERS, ALLOWED, FACTORY)
    assert not violations, "imports that run the wrong way:\n" + "\n".join(map(str, violations))


def test_no_file_in_app_is_over_the_limit():
    long = {str(p.relative_to(ROOT)): n for p in sorted((ROOT / "app").rglob("*.py"))
            if (n := len(p.read_text().splitlines())) > MAX_LINES}
    assert not long, f"split these by subject (at most {MAX_LINES} lines): {long}"


def test_the_demo_data_command_is_added_above_the_app():
    import wsgi

    assert "seed" in wsgi.app.cli.commands


# --- the checker catches what it should (a fake package in tmp_path) -----------------------------

def _package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    for folder in {p.parent for p in root.rglob("*.py")}:
        (folder / "__init__.py").touch()


FAKE_LAYERS = {"pkg": "top", "pkg.low.*": "low", "pkg.high.*": "high", "pkg.other.*": "high"}
FAKE_ALLOWED = {"low": (), "high": ("low",), "top": ("low", "high")}


def test_the_checker_finds_a_planted_circle_even_when_it_closes_inside_a_function(tmp_path):
    _package(tmp_path, {
        "pkg/low/a.py": "from pkg.low import b\n",
        "pkg/low/b.py": "def later():\n    from . import c\n",
        "pkg/low/c.py": "import pkg.low.a\n",
        "pkg/low/d.py": "from pkg.low.a import name_in_a\n",  # into the circle, not part of it
        "pkg/low/e.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.low import f\n",
        "pkg/low/f.py": "from pkg.low import e\n",  # a circle only for the type checker: never runs
    })
    assert circles(read_imports(tmp_path, "pkg")) == [["pkg.low.a", "pkg.low.b", "pkg.low.c"]]


def test_the_checker_finds_a_planted_import_that_runs_the_wrong_way(tmp_path):
    _package(tmp_path, {
        "pkg/low/rules.py": "def f():\n    from pkg.high import services\n",
        "pkg/high/services.py": "from pkg.low import rules\n",
    })
    found = wrong_way(read_imports(tmp_path, "pkg"), FAKE_LAYERS, FAKE_ALLOWED)
    assert [(v.imp.source, v.imp.target, v.imp.lazy, v.reason) for v in found] == [
        ("pkg.low.rules", "pkg.high.services", True, "low may not import high")]


def test_the_checker_refuses_another_package_s_views_seed_and_a_module_with_no_layer(tmp_path):
    _package(tmp_path, {
        "pkg/high/services.py": "from pkg.other.views import bp\nimport importlib\n"
                                "importlib.import_module('seed.load')\n",
        "pkg/other/views.py": "bp = None\n",
        "pkg/__init__.py": "from pkg.other import views\n",  # the factory may
        "pkg/stray.py": "from pkg.low import x\n",
        "pkg/low/x.py": "",
    })
    found = {(v.imp.source, v.reason) for v in wrong_way(read_imports(tmp_path, "pkg"), FAKE_LAYERS, FAKE_ALLOWED,
                                                           registers_blueprints=("pkg",))}
    assert found == {
        ("pkg.high.services", "reaches into another package's views"),
        ("pkg.high.services", "`seed` sits on top of the app and is never imported by it"),
        ("pkg.stray", "pkg.stray has no layer in the table"),
    }


def test_the_layers_of_the_real_table_read_as_documented():
    assert layer_of("app.web", LAYERS) == TOOLKIT
    assert layer_of("app.web.site.dashboards", LAYERS) == SITE
    assert layer_of("app.accounts.permissions", LAYERS) == PERMISSIONS
    assert layer_of("app.accounts.admin", LAYERS) == "accounts"
    assert layer_of("app.web.unlisted", LAYERS) is None  # a new module of app/web must be placed
    assert "registry" not in ALLOWED["audit"] and "competitions" not in ALLOWED["registry"]
