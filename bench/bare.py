"""The real limit for a page of a given size: a bare Flask app (no request hooks, no extensions,
no database) serving the very same bytes, under the same gunicorn settings as the app.

    gunicorn bench.bare:app        /_bench/echo/<name>  the bytes of bench/out/pages/<name>.html
                                   /_bench/ping         an empty 204, for readiness checks

The in-app echo (bench/endpoints.py) serves the same bytes through the app's hooks; the
difference between the two is the app's own per-request overhead.
"""
from __future__ import annotations

from flask import Flask, Response, abort

from bench.endpoints import _NAME, _page

app = Flask(__name__)


@app.route("/_bench/echo/<name>")
def echo(name: str):
    if not _NAME.fullmatch(name):
        abort(404)
    body = _page(name)
    if not body:
        abort(404)
    return Response(body, mimetype="text/html")


@app.route("/_bench/ping")
def ping():
    return Response(status=204)
