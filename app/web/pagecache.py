"""A cache of public pages, keyed by a data version, with ETags and conditional GETs.

Anonymous GETs of the pages in CACHED_ENDPOINTS are kept per process, keyed by the data version,
today's date in London (pages show dated figures) and the full path with its query. The data
version is one row (page_cache_versions) that every commit changing data bumps in the same
transaction, so all app servers sharing the database see a change; each process re-reads it (one
primary-key read) at most once a second, and at once after committing a change itself. A request whose If-None-Match names the current ETag gets 304 without the page
being made at all, on any worker; the ETag is derived from the key, not the body.

`fragment()` keeps a part of a page under the same key, for pages made for signed-in users around
content that is the same for everyone (the register list): only the layout is made per user.

Not cached: signed-in users (a session user or a remember-me cookie), a session holding flashed
messages, responses that set a cookie or change the session, and anything but 200. Tests run
with the cache off (PAGE_CACHE defaults to `not app.testing`), since their rolled-back
transactions never bump the version.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from typing import Callable

from flask import Flask, Response, current_app, g, request, session
from markupsafe import Markup
from sqlalchemy import Integer, event, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import db
from app.models_base import UTCDateTime, utcnow

#: Public pages served from the cache to anonymous visitors.
CACHED_ENDPOINTS = frozenset({
    "main.home", "main.data",
    "registry.organisations", "registry.organisation", "registry.suppliers", "registry.supplier",
    "registry.systems", "registry.system", "registry.frameworks", "registry.framework", "registry.lot",
    "registry.exemplars",
    "offers.search_page", "offers.offer", "offers.offer_version", "offers.history",
    "concentration.summary", "concentration.summary_csv", "concentration.summary_table",
})

#: Tables whose changes never show on a cached page: changing only these bumps nothing (a
#: sign-in must not empty every worker's cache). Sealed bids and their journal are here for a
#: second reason: a new version (and ETag) at the moment of a bid would tell that one came in.
IGNORED_TABLES = frozenset({"users", "user_roles", "api_tokens", "account_invitations", "audit_events",
                            "notifications", "page_cache_versions", "sign_in_throttles", "job_runs",
                            "email_deliveries", "email_preferences", "account_unlock_links",
                            "open_data_exports", "bids", "bid_answers", "bid_revisions", "sealed_journals",
                            "sealed_audit_entries", "bid_documents",
                            "documents"})  # a document shows on a page only through its link table

LONDON = ZoneInfo("Europe/London")
MAX_ENTRIES = 2000
MAX_BYTES = 64 * 1024 * 1024
_FLAG = "pagecache_changed"


class PageCacheVersion(db.Model):
    """One row whose counter every commit that changes data bumps (see module docstring)."""

    __tablename__ = "page_cache_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


# --- the version ------------------------------------------------------------------------------

def current_version() -> tuple:
    """The data version now (one primary-key read)."""
    row = db.session.execute(select(PageCacheVersion.version, PageCacheVersion.changed_at)
                             .where(PageCacheVersion.id == 1)).first()
    return tuple(row) if row else (0, None)


def pending(session: Session) -> bool:
    """Whether the session has changed data that is not committed yet (the version lags)."""
    return bool(session.info.get(_FLAG) or session.new or session.dirty or session.deleted)


_known: dict[int, tuple[float, tuple]] = {}


def known_version() -> tuple:
    """The data version, read from the database at most once per PAGE_CACHE_VERSION_TTL seconds
    (default 1) in this process, and at once after this process commits a change. A page cache hit
    then needs no database round trip at all; a change made through another app server shows
    within the TTL. 0 reads it on every request."""
    ttl = current_app.config.get("PAGE_CACHE_VERSION_TTL", 1.0)
    key = id(current_app._get_current_object())
    now = time.monotonic()
    hit = _known.get(key)
    if hit is None or now - hit[0] >= ttl:
        hit = _known[key] = (now, current_version())
    return hit[1]


def bump(session: Session) -> None:
    """Increase the version in the session's transaction."""
    done = session.execute(update(PageCacheVersion).where(PageCacheVersion.id == 1)
                           .values(version=PageCacheVersion.version + 1, changed_at=utcnow())).rowcount
    if not done:
        session.add(PageCacheVersion(id=1, version=1, changed_at=utcnow()))


def _tables(objects) -> set[str]:
    return {getattr(type(o), "__tablename__", "") for o in objects}


@event.listens_for(Session, "after_flush")
def _after_flush(session, flush_context):
    if _tables([*session.new, *session.dirty, *session.deleted]) - IGNORED_TABLES:
        session.info[_FLAG] = True


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state):
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(getattr(state.statement, "table", None), "name", "")
        if table not in IGNORED_TABLES:
            state.session.info[_FLAG] = True


@event.listens_for(Session, "before_commit")
def _before_commit(session):
    if session.info.pop(_FLAG, False):
        bump(session)
        session.info["pagecache_bumped"] = True


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    if session.info.pop("pagecache_bumped", False):
        _known.clear()  # this process made the change: read the new version on the next request


@event.listens_for(Session, "after_rollback")
def _after_rollback(session):
    session.info.pop(_FLAG, None)
    session.info.pop("pagecache_bumped", None)


# --- the cache --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Entry:
    body: bytes
    mimetype: str
    headers: tuple[tuple[str, str], ...]


class PageCache:
    """A bounded LRU of rendered pages (per process)."""

    def __init__(self, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.max_entries, self.max_bytes = max_entries, max_bytes
        self._items: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._items.get(key)
            if entry is not None:
                self._items.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= len(old.body)
            self._items[key] = entry
            self._bytes += len(entry.body)
            while self._items and (len(self._items) > self.max_entries or self._bytes > self.max_bytes):
                _, dropped = self._items.popitem(last=False)
                self._bytes -= len(dropped.body)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0


def cache() -> PageCache:
    return current_app.extensions["pagecache"]


def _cacheable_request() -> bool:
    if request.method not in ("GET", "HEAD") or request.endpoint not in CACHED_ENDPOINTS:
        return False
    remember = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    return "_user_id" not in session and "_flashes" not in session and remember not in request.cookies


@lru_cache(maxsize=4096)
def _etag(key: tuple) -> str:
    """The ETag of a page's key (the same key, the same tag: worked out once per key)."""
    return hashlib.sha1(repr(key).encode()).hexdigest()[:32]


def _lookup():
    # g may outlive a request where a caller shares one app context between requests (tests, scripts).
    g.pagecache_key = g.pagecache_hit = None
    if not current_app.config.get("PAGE_CACHE", not current_app.testing) or not _cacheable_request():
        return None
    # Pages show figures dated today (in England): a new day is a new key. Nothing in the key comes
    # from a request header (Host, X-Forwarded-*, Accept …): the page made for one visitor is the
    # page for all, so nothing a header changes may be in it (absolute links: app/web/urls.py).
    key = (known_version(), datetime.now(LONDON).date().isoformat(), request.full_path)
    g.pagecache_key = key
    g.pagecache_etag = _etag(key)
    if g.pagecache_etag in request.if_none_match:
        g.pagecache_hit = True
        response = Response(status=304)
        response.set_etag(g.pagecache_etag)
        response.headers["Cache-Control"] = "no-cache"
        return response
    entry = cache().get(key)
    if entry is None:
        return None
    g.pagecache_hit = True
    response = Response(entry.body, mimetype=entry.mimetype, headers=list(entry.headers))
    response.set_etag(g.pagecache_etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def fragment(name: str, make: Callable[[], str]) -> Markup:
    """The HTML `make()` renders, kept per process under (name, data version, London date, path
    and query) for any visitor, signed in or not. Only for parts of a page that depend on nothing
    but the data, the date and the URL (no user, no form token, no flashed message)."""
    if not current_app.config.get("PAGE_CACHE", not current_app.testing) or request.method not in ("GET", "HEAD"):
        return Markup(make())
    key = ("fragment", name, known_version(), datetime.now(LONDON).date().isoformat(), request.full_path)
    entry = cache().get(key)
    if entry is not None:
        return Markup(entry.body.decode())
    html = str(make())
    cache().put(key, Entry(html.encode(), "text/html", ()))
    return Markup(html)


_KEPT_HEADERS = ("Content-Disposition",)


def _store(response: Response) -> Response:
    key = g.get("pagecache_key")
    if key is None or g.get("pagecache_hit") or response.status_code != 200 or response.direct_passthrough:
        return response
    if session.modified or "Set-Cookie" in response.headers or response.is_streamed:
        return response
    headers = tuple((h, response.headers[h]) for h in _KEPT_HEADERS if h in response.headers)
    cache().put(key, Entry(response.get_data(), response.mimetype, headers))
    response.set_etag(g.pagecache_etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


def init_app(app: Flask) -> None:
    """Serve and keep cached pages (the cache is per process)."""
    app.extensions["pagecache"] = PageCache()
    app.before_request(_lookup)
    app.after_request(_store)
