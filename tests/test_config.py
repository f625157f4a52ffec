"""Configuration that changes how the app sees its clients."""
from flask import request

from app import create_app


def _remote_addr(hops: int) -> str:
    app = create_app("test", {"PROXY_FIX_HOPS": hops, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/", headers={"X-Forwarded-For": "203.0.113.9"},
                                  environ_base={"REMOTE_ADDR": "10.0.0.1"}):
        environ = request.environ
    seen = {}

    # Run the middleware on the request's environ, with a probe in place of the app behind it.
    def probe(environ, start_response):
        seen["addr"] = environ.get("REMOTE_ADDR")
        start_response("204 No Content", [])
        return [b""]

    middleware = app.wsgi_app
    if hasattr(middleware, "app"):
        middleware.app = probe
    else:
        middleware = probe
    middleware(dict(environ), lambda status, headers: None)
    return seen["addr"]


def test_without_a_trusted_proxy_the_forwarded_address_is_ignored():
    assert _remote_addr(0) == "10.0.0.1"


def test_behind_one_trusted_proxy_the_client_address_is_the_forwarded_one():
    assert _remote_addr(1) == "203.0.113.9"
