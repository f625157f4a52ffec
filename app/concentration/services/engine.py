"""The concentration engine: the register read into plain records and a graph, and the figures
cached by data version.

The figures are recomputed when the data changes, not on every page view. The cache lives in each
process and is keyed by a data version read from the database in one cheap query (counts, largest
ids and latest timestamps of deployments, memberships, partnerships and organisations, plus a
counter bumped by every `data_changed` signal), so several app servers sharing only the database
all see a change at once.
"""
from __future__ import annotations

import gc
import threading
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Callable
from zoneinfo import ZoneInfo

import networkx as nx
from flask import has_request_context, request
from sqlalchemy import func, select, update

from app import signals
from app.extensions import db
from app.models_base import utcnow
from app.registry.models import (
    Deployment,
    Framework,
    Lot,
    Membership,
    NoSystemFinding,
    Organisation,
    Partnership,
    Supplier,
    System,
)

from .. import analysis, projection
from ..market import capacities  # noqa: F401  (re-exported: the market provides it)
from .. import graph as gr
from ..analysis import WhatIf
from ..models import DataVersion
from ..records import (
    DeploymentRecord,
    FrameworkRecord,
    LotRecord,
    MembershipRecord,
    NoSystemRecord,
    OrgRecord,
    PartnershipRecord,
    Snapshot,
    SupplierRecord,
    SystemRecord,
    parse_status_as_of,
)

LONDON = ZoneInfo("Europe/London")


def today() -> date:
    """Today's date in England (figures are dated as the commercial team reads them)."""
    return datetime.now(LONDON).date()


# --- reading the register -------------------------------------------------------------------

def load_snapshot() -> Snapshot:
    """The register as plain records, in a fixed number of queries (one per table)."""
    s = db.session
    orgs = tuple(OrgRecord(id=r.id, code=r.ods_code, name=r.name, kind=r.kind, trust_type=r.trust_type,
                           closed_on=r.closed_on, region_id=r.region_id)
                 for r in s.execute(select(Organisation.id, Organisation.ods_code, Organisation.name,
                                           Organisation.kind, Organisation.trust_type, Organisation.closed_on,
                                           Organisation.region_id)))
    suppliers = tuple(SupplierRecord(id=r.id, name=r.name, slug=r.slug)
                      for r in s.execute(select(Supplier.id, Supplier.name, Supplier.slug)))
    systems = tuple(SystemRecord(id=r.id, name=r.name, category=r.category, supplier_id=r.supplier_id, slug=r.slug)
                    for r in s.execute(select(System.id, System.name, System.category, System.supplier_id, System.slug)))
    deployments = tuple(
        DeploymentRecord(id=r.id, organisation_id=r.organisation_id, system_id=r.system_id, status=r.status,
                         since=r.since, until=r.until, known_from=r.since or parse_status_as_of(r.status_as_of),
                         historical=bool(r.historical), confidence=r.confidence,
                         status_as_of=r.status_as_of or "", foi_2024_only=bool(r.foi_2024_only),
                         expected_on=r.expected_on)
        for r in s.execute(select(Deployment.id, Deployment.organisation_id, Deployment.system_id,
                                  Deployment.status, Deployment.since, Deployment.until, Deployment.status_as_of,
                                  Deployment.historical, Deployment.confidence, Deployment.foi_2024_only,
                                  Deployment.expected_on)))
    no_system = tuple(
        NoSystemRecord(id=r.id, organisation_id=r.organisation_id, category=r.category, known_from=r.known_from,
                       until=r.until, historical=bool(r.historical), confidence=r.confidence,
                       status_as_of=r.status_as_of or "", foi_2024_only=bool(r.foi_2024_only))
        for r in s.execute(select(NoSystemFinding.id, NoSystemFinding.organisation_id, NoSystemFinding.category,
                                  NoSystemFinding.known_from, NoSystemFinding.until, NoSystemFinding.historical,
                                  NoSystemFinding.confidence, NoSystemFinding.status_as_of,
                                  NoSystemFinding.foi_2024_only)))
    partnerships = tuple(PartnershipRecord(id=r.id, follower_id=r.follower_id, exemplar_id=r.exemplar_id,
                                           status=r.status, lot_id=r.lot_id)
                         for r in s.execute(select(Partnership.id, Partnership.follower_id, Partnership.exemplar_id,
                                                   Partnership.status, Partnership.lot_id)))
    frameworks = tuple(FrameworkRecord(id=r.id, name=r.name, status=r.status)
                       for r in s.execute(select(Framework.id, Framework.name, Framework.status)))
    lots = tuple(LotRecord(id=r.id, framework_id=r.framework_id, name=r.name)
                 for r in s.execute(select(Lot.id, Lot.framework_id, Lot.name)))
    memberships = tuple(MembershipRecord(id=r.id, organisation_id=r.organisation_id, lot_id=r.lot_id, status=r.status)
                        for r in s.execute(select(Membership.id, Membership.organisation_id, Membership.lot_id,
                                                  Membership.status)))
    return Snapshot(organisations=orgs, suppliers=suppliers, systems=systems, deployments=deployments,
                    no_system=no_system, partnerships=partnerships, frameworks=frameworks, lots=lots, memberships=memberships)


# --- the data version and the cache --------------------------------------------------------

def data_version() -> tuple:
    """A value that changes whenever data behind the figures changes; one query."""
    parts = []
    for model, stamp in ((Deployment, Deployment.created_at), (NoSystemFinding, NoSystemFinding.created_at),
                         (Membership, Membership.updated_at),
                         (Partnership, Partnership.created_at), (Organisation, None),
                         (System, None), (Framework, Framework.created_at)):
        parts.append(select(func.count(model.id)).scalar_subquery())
        parts.append(select(func.max(model.id)).scalar_subquery())
        if stamp is not None:
            parts.append(select(func.max(stamp)).scalar_subquery())
    # Status changes that add no row and may come without a signal: live frameworks (shut-out
    # systems), active partnerships (projection, load), closed organisations (scope).
    parts.append(select(func.count(Framework.id)).where(Framework.status == "live").scalar_subquery())
    parts.append(select(func.count(Partnership.id)).where(Partnership.status == "active").scalar_subquery())
    parts.append(select(func.count(Organisation.id)).where(Organisation.closed_on.is_not(None)).scalar_subquery())
    # The counter and the time of the last bump: a bump rolled back and redone elsewhere gives
    # the same counter but never the same time.
    parts.append(select(func.max(DataVersion.version)).scalar_subquery())
    parts.append(select(func.max(DataVersion.changed_at)).scalar_subquery())
    row = db.session.execute(select(*parts)).one()
    return tuple(str(v) for v in row)


def bump_data_version() -> None:
    """Increase the shared version counter, in the caller's transaction."""
    done = db.session.execute(
        update(DataVersion).where(DataVersion.id == 1).values(version=DataVersion.version + 1, changed_at=utcnow())
    ).rowcount
    if not done:
        db.session.add(DataVersion(id=1, version=1, changed_at=utcnow()))
        db.session.flush()


@signals.data_changed.connect
def _on_data_changed(sender: Any = None, **kwargs: Any) -> None:
    """Deployments, memberships or partnerships changed: the figures must be recomputed."""
    bump_data_version()


class Engine:
    """The graph of one data version, with memoised answers (figures, series, what-ifs)."""

    def __init__(self, version: tuple, graph: nx.MultiDiGraph):
        self.version = version
        self.graph = graph
        self._memo: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def memo(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """The value for `key`, computed once per data version."""
        if key in self._memo:
            return self._memo[key]
        value = compute()
        with self._lock:
            self._memo[key] = value
        return value

    def figures(self, category: str, at: date, weighting: str = "organisation"):
        """Headline figures of a category on a date."""
        return self.memo(("figures", category, at, weighting),
                         lambda: analysis.category_figures(self.graph, category, at, weighting))

    def series(self, category: str, at: date, weighting: str = "organisation"):
        """The figures quarter by quarter over the last 20 quarters."""
        return self.memo(("series", category, at, weighting),
                         lambda: analysis.time_series(self.graph, category, at, weighting))

    def projection(self, category: str, at: date, weighting: str = "organisation"):
        """The contracted pipeline live at its planned dates, then every follower adopting its
        exemplar's system."""
        return self.memo(("projection", category, at, weighting),
                         lambda: projection.projection(self.graph, category, at, weighting))

    def what_if(self, follower_id: int, exemplar_id: int, at: date) -> WhatIf | None:
        """ΔHHI if the follower adopted the exemplar's live system."""
        return self.memo(("what_if", follower_id, exemplar_id, at),
                         lambda: analysis.what_if(self.graph, follower_id, exemplar_id, at))


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def clear_cache() -> None:
    """Forget every cached engine of this process (tests; never needed in production)."""
    with _engines_lock:
        _engines.clear()
        _since_last_commit.clear()


def per_request(name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` once per GET request (a dashboard request asks for every category; a read-only
    request cannot change the answer), every time elsewhere."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return compute()
    memo = request.environ.setdefault("exemplar.concentration", {})
    if name not in memo:
        memo[name] = compute()
    return memo[name]


_since_last_commit: dict[tuple, tuple[tuple, Any]] = {}


def unless_data_changed(name: str, compute: Callable[[], Any]) -> Any:
    """`compute()` again only when a commit has changed data since it was last computed here.

    Every commit that changes data bumps the page cache's version (app/pagecache.py; one
    primary-key read at most once a second), so an unchanged version means nothing changed: data_version()'s twenty
    aggregates (60–80 ms at G-Cloud scale) and capacities()'s sum over every offer are skipped.
    Off where the page cache is off (tests, whose rolled-back transactions never bump it), and
    while this session holds changes not yet committed."""
    from flask import current_app

    from app.web import pagecache

    if not current_app.config.get("PAGE_CACHE", not current_app.testing) or pagecache.pending(db.session):
        return compute()
    bind = db.session.get_bind()
    key = (getattr(bind, "engine", bind).url.render_as_string(hide_password=True), name)
    stamp = pagecache.known_version()
    hit = _since_last_commit.get(key)
    if hit is None or hit[0] != stamp:
        hit = _since_last_commit[key] = (stamp, compute())
    return hit[1]


@contextmanager
def _collector_paused():
    """Python's cyclic garbage collector paused while the snapshot and graph are built. The build
    makes hundreds of thousands of objects that all survive; each automatic collection walked every
    one made so far, so the build grew faster than the deployments (at G-Cloud size 2.9–4.7 s with
    the collector, 1.5–1.6 s without). Nothing made here is garbage, and the collector runs again
    as soon as the build ends."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def engine() -> Engine:
    """The engine for the current data version: built once per version per process; the version
    is read once per GET request, and its aggregates only after a commit changed data."""
    version = per_request("data_version", lambda: unless_data_changed("data_version", data_version))
    bind = db.session.get_bind()
    key = getattr(bind, "engine", bind).url.render_as_string(hide_password=True)
    current = _engines.get(key)
    if current is not None and current.version == version:
        return current
    with _collector_paused():
        built = Engine(version, gr.build_graph(load_snapshot()))
    with _engines_lock:
        _engines[key] = built
    return built
