"""The real limit for a page of a given size: a bare Flask app (no request hooks, no extensions,
no database) serving the very same bytes, under the same gunicorn settings as the app.

    gunicorn bench.bare:app        /_bench/echo/<name>  the bytes of bench/out/pages/<name>.html
                                   /_bench/ping         an empty 204, for readiness checks

The in-app echo (bench/endpoints.py) serves the same bytes through the app's hooks; the
difference between the two is the app's own per-request overhead.
"""
from __future__ import annotations

from flask import Flask

from bench.endpoints import echo, ping

app = Flask(__name__)
# The same two views as the in-app echo, on a Flask app with nothing else.
app.add_url_rule("/_bench/echo/<name>", view_func=echo)
app.add_url_rule("/_bench/ping", view_func=ping)
