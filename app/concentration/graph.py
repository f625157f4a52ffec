"""The whole picture as one networkx graph, and the questions the dashboard asks of it.

Nodes are keyed ("org", id), ("system", id), ("supplier", id), ("lot", id), ("framework", id) and
carry their record. Edges (a MultiDiGraph, as an organisation may have several deployments of one
system over time):

- org → system       kind="deployment"   (record: DeploymentRecord)
- system → supplier  kind="supplied_by"
- follower → exemplar kind="partnership" (record: PartnershipRecord)
- exemplar → lot     kind="membership"   (record: MembershipRecord)
- lot → framework    kind="part_of"

Pure: no Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Iterable, Iterator, Mapping

import networkx as nx

from app.registry.vocab import SYSTEM_CATEGORIES

from .records import DeploymentRecord, NoSystemRecord, OrgRecord, PartnershipRecord, Snapshot, SystemRecord
from .metrics import scope_types


def org(i: int) -> tuple[str, int]:
    """The node key of an organisation."""
    return ("org", i)


def build_graph(snap: Snapshot) -> nx.MultiDiGraph:
    """One graph of organisations, systems, suppliers, lots and frameworks from plain records."""
    g = nx.MultiDiGraph()
    for o in snap.organisations:
        g.add_node(("org", o.id), kind="organisation", record=o, label=o.name)
    for s in snap.suppliers:
        g.add_node(("supplier", s.id), kind="supplier", record=s, label=s.name)
    for s in snap.systems:
        g.add_node(("system", s.id), kind="system", record=s, label=s.name)
        g.add_edge(("system", s.id), ("supplier", s.supplier_id), key="supplied_by", kind="supplied_by")
    for f in snap.frameworks:
        g.add_node(("framework", f.id), kind="framework", record=f, label=f.name)
    for lot in snap.lots:
        g.add_node(("lot", lot.id), kind="lot", record=lot, label=lot.name)
        g.add_edge(("lot", lot.id), ("framework", lot.framework_id), key="part_of", kind="part_of")
    for d in snap.deployments:
        g.add_edge(("org", d.organisation_id), ("system", d.system_id), key=("deployment", d.id),
                   kind="deployment", record=d)
    for p in snap.partnerships:
        g.add_edge(("org", p.follower_id), ("org", p.exemplar_id), key=("partnership", p.id),
                   kind="partnership", record=p)
    for m in snap.memberships:
        g.add_edge(("org", m.organisation_id), ("lot", m.lot_id), key=("membership", m.id),
                   kind="membership", record=m)
    g.graph["capacities"] = dict(snap.capacities)
    g.graph["no_system"] = tuple(snap.no_system)
    return g


def _edges(g: nx.MultiDiGraph, kind: str) -> Iterator[tuple[tuple, tuple, object]]:
    for u, v, data in g.edges(data=True):
        if data.get("kind") == kind:
            yield u, v, data["record"]


def _memo(g: nx.MultiDiGraph, key: tuple, compute) -> list:
    """A list derived from the graph, made once per graph and handed out as a copy. The time
    series asks for the same lists for every quarter: walking every edge each time made the
    cold computation grow with quarters × categories × all edges. Graphs are not changed once
    built; the node count (O(1), unlike the edge count) guards against a test that adds nodes."""
    memo = g.graph.setdefault("_memo", {})
    stamp = len(g)
    hit = memo.get(key)
    if hit is None or hit[0] != stamp:
        hit = memo[key] = (stamp, compute())
    return list(hit[1])


def records(g: nx.MultiDiGraph, kind: str) -> list:
    """The records of every node of a kind ("organisation", "system", "supplier", …), by id."""
    return _memo(g, ("records", kind), lambda: sorted(
        (d["record"] for _, d in g.nodes(data=True) if d.get("kind") == kind), key=lambda r: r.id))


def system(g: nx.MultiDiGraph, system_id: int) -> SystemRecord:
    """The record of a system node."""
    return g.nodes[("system", system_id)]["record"]


def organisation(g: nx.MultiDiGraph, org_id: int) -> OrgRecord | None:
    """The record of an organisation node, or None if it is not in the graph."""
    node = g.nodes.get(("org", org_id))
    return None if node is None else node["record"]


def deployments(g: nx.MultiDiGraph, category: str | None = None) -> list[DeploymentRecord]:
    """Deployment records, optionally of one system category."""
    return _memo(g, ("deployments", category), lambda: sorted(
        (rec for _, v, rec in _edges(g, "deployment") if category is None or g.nodes[v]["record"].category == category),
        key=lambda d: d.id))


def scope(g: nx.MultiDiGraph, category: str, at: date) -> set[int]:
    """Organisations making up the market of `category` on `at`: open trusts of the matching types."""
    types = scope_types(category)
    return {o.id for o in records(g, "organisation")
            if o.kind == "trust" and o.trust_type in types and o.open_on(at)}


def in_use(g: nx.MultiDiGraph, category: str, at: date, in_scope: set[int] | None = None) -> list[DeploymentRecord]:
    """The deployments of `category` in use on `at` at organisations in scope (historical rows left
    out): the rows a figure on that date rests on."""
    if in_scope is None:
        in_scope = scope(g, category, at)
    return [d for d in deployments(g, category)
            if d.organisation_id in in_scope and not d.historical and d.in_use_on(at)]


def market(g: nx.MultiDiGraph, category: str, at: date, in_scope: set[int] | None = None) -> dict[int, frozenset[int]]:
    """Organisation id → the systems of `category` it has in use on `at` (historical rows left out)."""
    held: dict[int, set[int]] = {}
    for d in in_use(g, category, at, in_scope):
        held.setdefault(d.organisation_id, set()).add(d.system_id)
    return {o: frozenset(s) for o, s in held.items()}


def no_system(g: nx.MultiDiGraph, category: str, at: date, in_scope: set[int],
              with_system: Iterable[int] = ()) -> list[NoSystemRecord]:
    """The findings that organisations in scope had no system of `category` on `at` (one per
    organisation; none for an organisation that has a system in use then)."""
    running = set(with_system)
    found: dict[int, NoSystemRecord] = {}
    of_category = _memo(g, ("no_system", category), lambda: sorted(
        (f for f in g.graph.get("no_system", ()) if f.category == category), key=lambda f: f.id))
    for f in of_category:
        if f.organisation_id in in_scope and f.organisation_id not in running and f.known_on(at):
            found.setdefault(f.organisation_id, f)
    return [found[o] for o in sorted(found)]


def pipeline(g: nx.MultiDiGraph, category: str, at: date) -> list[DeploymentRecord]:
    """Planned deployments of `category` at organisations in scope on `at`: the contracted pipeline
    (historical plans left out)."""
    in_scope = scope(g, category, at)
    return [d for d in deployments(g, category)
            if d.status == "planned" and not d.historical and d.organisation_id in in_scope]


def historical(g: nx.MultiDiGraph, category: str) -> list[DeploymentRecord]:
    """Deployments whose source describes a past state: shown apart, never counted."""
    return [d for d in deployments(g, category) if d.historical]


def live_systems(g: nx.MultiDiGraph, org_id: int, at: date) -> dict[str, frozenset[int]]:
    """The systems an organisation has live on `at`, by category (retiring and historical left out:
    a follower would not adopt a system its exemplar is leaving)."""
    out: dict[str, set[int]] = {}
    node = ("org", org_id)
    if node not in g:
        return {}
    for _, v, data in g.out_edges(node, data=True):
        if data.get("kind") != "deployment":
            continue
        d: DeploymentRecord = data["record"]
        if d.status == "live" and not d.historical and d.in_use_on(at):
            out.setdefault(g.nodes[v]["record"].category, set()).add(d.system_id)
    return {c: frozenset(s) for c, s in out.items()}


def exemplar_offer(g: nx.MultiDiGraph, exemplar_id: int, at: date,
                   category: str | None = None) -> tuple[str, frozenset[int]] | None:
    """The (category, systems) a follower would adopt from this exemplar: its live systems in
    `category`, or in the first category it has one (in the vocabulary's order: EPRs first)."""
    live = live_systems(g, exemplar_id, at)
    cats = [category] if category else list(SYSTEM_CATEGORIES)
    for c in cats:
        if live.get(c):
            return c, live[c]
    return None


def partnerships(g: nx.MultiDiGraph, active_only: bool = True) -> list[PartnershipRecord]:
    """Partnership records (active ones only by default), by id."""
    return _memo(g, ("partnerships", active_only), lambda: sorted(
        (rec for _, _, rec in _edges(g, "partnership") if not active_only or rec.active), key=lambda p: p.id))


def adoptions(g: nx.MultiDiGraph, category: str, at: date) -> dict[int, frozenset[int]]:
    """Follower id → the systems it would run if it adopted its exemplar's live system in
    `category`. A follower with several exemplars follows its latest partnership that offers one."""
    out: dict[int, frozenset[int]] = {}
    for p in partnerships(g):  # by id, so a later partnership wins
        offer = exemplar_offer(g, p.exemplar_id, at, category)
        if offer:
            out[p.follower_id] = offer[1]
    return out


def admitted_exemplars(g: nx.MultiDiGraph) -> set[int]:
    """Organisations admitted to a lot of a live framework."""
    out = set()
    for u, v, m in _edges(g, "membership"):
        if m.status != "admitted":
            continue
        fw = next((g.nodes[f]["record"] for _, f, d in g.out_edges(v, data=True) if d.get("kind") == "part_of"), None)
        if fw is not None and fw.status == "live":
            out.add(u[1])
    return out


def shut_out(g: nx.MultiDiGraph, category: str, at: date) -> list[SystemRecord]:
    """Systems in use in `category` that no admitted exemplar of a live framework runs: their
    users have nobody on the framework to learn from."""
    in_use = {s for held in market(g, category, at).values() for s in held}
    covered = {s for e in admitted_exemplars(g) for s in live_systems(g, e, at).get(category, frozenset())}
    return sorted((system(g, s) for s in in_use - covered), key=lambda s: s.name)


@dataclass(frozen=True)
class SupplierReach:
    supplier_id: int
    name: str
    organisations: int
    systems: tuple[str, ...]


def supplier_reach(g: nx.MultiDiGraph, at: date, minimum: int = 1) -> list[SupplierReach]:
    """Suppliers by the number of organisations running one of their systems on `at` (any
    category, historical left out): those in many are candidates for national negotiation."""
    orgs: dict[int, set[int]] = {}
    names: dict[int, set[str]] = {}
    for u, v, d in _edges(g, "deployment"):
        if d.historical or not d.in_use_on(at):
            continue
        s = g.nodes[v]["record"]
        orgs.setdefault(s.supplier_id, set()).add(u[1])
        names.setdefault(s.supplier_id, set()).add(s.name)
    rows = [SupplierReach(k, g.nodes[("supplier", k)]["record"].name, len(v), tuple(sorted(names[k])))
            for k, v in orgs.items() if len(v) >= minimum]
    return sorted(rows, key=lambda r: (-r.organisations, r.name))


@dataclass(frozen=True)
class ExemplarLoad:
    exemplar_id: int
    name: str
    partnerships: int
    capacity_per_quarter: int | None

    @property
    def over_capacity(self) -> bool:
        return self.capacity_per_quarter is not None and self.partnerships > self.capacity_per_quarter


def exemplar_load(g: nx.MultiDiGraph, capacities: Mapping[int, int] | None = None) -> list[ExemplarLoad]:
    """Active partnerships per exemplar against its declared capacity per quarter (None when
    undeclared). Capacities default to those the snapshot carried."""
    counts: dict[int, int] = {}
    for p in partnerships(g):
        counts[p.exemplar_id] = counts.get(p.exemplar_id, 0) + 1
    caps: Mapping[int, int] = g.graph.get("capacities", {}) if capacities is None else capacities
    rows = []
    for e in set(counts) | set(caps):
        o = organisation(g, e)
        rows.append(ExemplarLoad(e, o.name if o else str(e), counts.get(e, 0), caps.get(e)))
    return sorted(rows, key=lambda r: (-r.partnerships, r.name))


def follower_components(g: nx.MultiDiGraph) -> list[list[int]]:
    """Connected groups of organisations linked by active partnerships (largest first)."""
    sub = nx.Graph()
    for p in partnerships(g):
        sub.add_edge(p.follower_id, p.exemplar_id)
    comps = [sorted(c) for c in nx.connected_components(sub)]
    return sorted(comps, key=lambda c: (-len(c), c))
