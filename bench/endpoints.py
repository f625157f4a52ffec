"""Trivial endpoints for the page benchmarks: the limit a page of a given size can reach.

Added only by bench/wsgi.py, after create_app (the app never imports bench/), so they never
exist in production.

    /_bench/echo/<name>   the bytes of bench/out/pages/<name>.html (a page saved by run.py),
                          served through the same app, middleware and server as the page itself
    /_bench/ping          an empty 204, for readiness checks
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Flask, Response, abort

PAGES = Path(__file__).resolve().parent / "out" / "pages"
_NAME = re.compile(r"[a-z0-9_\-]{1,60}")


@lru_cache(maxsize=64)
def _page(name: str) -> bytes:
    path = PAGES / f"{name}.html"
    return path.read_bytes() if path.exists() else b""


def echo(name: str):
    """The saved bytes of a page (404 for an unknown name)."""
    if not _NAME.fullmatch(name):
        abort(404)
    body = _page(name)
    if not body:
        abort(404)
    return Response(body, mimetype="text/html")


def ping():
    return Response(status=204)


def register_bench_endpoints(app: Flask) -> None:
    """Add the trivial endpoints (benchmarks only), through the app's own hooks."""
    bp = Blueprint("bench", __name__, url_prefix="/_bench")
    bp.add_url_rule("/echo/<name>", view_func=echo)
    bp.add_url_rule("/ping", view_func=ping)
    app.register_blueprint(bp)
