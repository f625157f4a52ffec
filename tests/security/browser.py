"""A test client for tests that use several browsers at once.

The tests run inside one app context (the db_session fixture), so `g` outlives a request, and
Flask-Login keeps the user it loaded in `g._login_user`: a plain test client would be served the
user that an earlier request, from another client, loaded. This one forgets it before each request.
"""
from __future__ import annotations

from flask import g
from flask.testing import FlaskClient


class Browser(FlaskClient):
    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        return super().open(*args, **kwargs)


def new_browser(app, user=None) -> Browser:
    """A browser with its own cookies, signed in as `user` (without typing a password) if given."""
    b = Browser(app, app.response_class, use_cookies=True)
    if user is not None:
        with b.session_transaction() as s:
            s["_user_id"] = user.get_id()
            s["_fresh"] = True
    return b
