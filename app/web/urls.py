"""The two places where a URL crosses a trust boundary, each in one helper.

- ``external_url``: every absolute URL the app writes (CSV links, OCDS package URIs, invitation
  links, and later e-mails) is built on the configured ``PUBLIC_BASE_URL``, never on the request's
  Host header. A request with ``Host: evil.example`` used to put ``http://evil.example/…`` in the
  cached public CSV that everyone then downloaded; now the Host cannot change what is written, and
  Flask's ``TRUSTED_HOSTS`` (config.finish_config) refuses unknown hosts before any view runs.
  Works outside a request too (CLI, background jobs), since it needs no request to know the host.
- ``safe_next``: where to go after signing in, taken from the query string, must be a path on this
  site; anything else (another host, a scheme, ``//host``, backslashes, control characters such as
  CR/LF that would split the Location header) is ignored.
"""
from __future__ import annotations

import unicodedata
from typing import Any
from urllib.parse import urlsplit

from flask import current_app

#: A `next` longer than this is not a page of ours.
MAX_NEXT_LENGTH = 2000


def _base():
    base_url = current_app.config.get("PUBLIC_BASE_URL")
    if not base_url:
        raise RuntimeError("PUBLIC_BASE_URL is not set: absolute links cannot be made")
    return urlsplit(base_url)


def external_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint` on PUBLIC_BASE_URL (scheme, host, port and any path prefix)."""
    app = current_app._get_current_object()
    base = _base()
    app.inject_url_defaults(endpoint, values)
    adapter = app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    return adapter.build(endpoint, values, force_external=True)


def external_path(path: str) -> str:
    """The absolute URL of a path of this site ("/competitions/5", as the inbox stores links) on
    PUBLIC_BASE_URL; anything that is not a plain path of ours is refused (ValueError)."""
    if safe_next(path) is None:
        raise ValueError(f"not a path of this site: {path!r}")
    base = _base()
    return f"{base.scheme}://{base.netloc}{base.path.rstrip('/')}{path}"


def safe_next(target: str | None) -> str | None:
    """`target` when it is a plain path on this site (``/…``), else None."""
    if not target or len(target) > MAX_NEXT_LENGTH:
        return None
    if any(unicodedata.category(c) == "Cc" for c in target):  # CR, LF, TAB, NUL, DEL, C1 …
        return None
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
