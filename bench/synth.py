"""Deterministic synthetic rows for the benchmark databases (pure: no Flask, no database).

`Synth(spec, seed).tables()` yields (table name, list of row dicts) in foreign-key order, every
row with its id, so the loader can bulk-insert them with executemany and nothing is read back.
The same spec and seed always give the same rows.

The offer text is made of a background vocabulary plus a few *planted* words whose share of the
offer versions is fixed (SEARCH_TERMS), so the search benchmark can query from rare to very
common terms and know roughly how many hits each has.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator

from app.concentration.records import CATEGORY_SCOPE
from app.offers.vocab import CAPABILITY_CATALOGUE, PRICING_MODELS
from app.registry.vocab import STANDARDS, SYSTEM_CATEGORIES

from .synth_calloffs import REF, CallOffs, _ts

@dataclass(frozen=True)
class Spec:
    """How much of everything a size has."""

    name: str
    trusts: int
    icbs: int
    exemplars: int
    suppliers: int
    systems: int
    deployments: int
    frameworks: int
    lots_per_framework: int
    lots_per_exemplar: tuple[int, int]
    offers: int
    competitions: int
    bids: int


SIZES: dict[str, Spec] = {
    "national": Spec("national", trusts=200, icbs=42, exemplars=40, suppliers=15, systems=30, deployments=2_000,
                     frameworks=1, lots_per_framework=4, lots_per_exemplar=(3, 4), offers=2_000,
                     competitions=500, bids=10_000),
    "10x": Spec("10x", trusts=2_000, icbs=100, exemplars=400, suppliers=60, systems=150, deployments=20_000,
                frameworks=2, lots_per_framework=4, lots_per_exemplar=(1, 3), offers=20_000,
                competitions=5_000, bids=100_000),
    "gcloud": Spec("gcloud", trusts=9_792, icbs=200, exemplars=2_000, suppliers=300, systems=800,
                   deployments=100_000, frameworks=4, lots_per_framework=4, lots_per_exemplar=(1, 3),
                   offers=50_000, competitions=20_000, bids=200_000),
}

#: Planted words and the share of offer versions that contain them (rare → very common).
PLANTED = {"zygomatic": 0.0005, "telemetry": 0.01, "kiosk": 0.04, "interoperability": 0.12,
           "clinical": 0.55, "support": 0.92}
#: The benchmark's search queries, rare to very common (each term is made of planted words).
SEARCH_TERMS = ["zygomatic", "telemetry", "kiosk", "interoperability", "clinical support", "clinical", "support"]

TRUST_TYPES = (("acute", 0.55), ("mental_health", 0.18), ("community", 0.13), ("ambulance", 0.05),
               ("specialist", 0.09))
#: What the register knows of a trust's system in a category, as in the real register (the demo's
#: acute EPR: 116 of 134 acute and specialist trusts with a system, 17 known to have none, 1 not
#: known): a share known to have no system, a share not known at all; the rest run one.
KNOWN_NONE, NOT_KNOWN = 0.12, 0.01
#: The share of rows resting on NHS England's 2024 FOI list alone (57 of 133 in the demo).
FOI_2024_ONLY = 0.43
REGIONS = ("NORTH EAST AND YORKSHIRE", "NORTH WEST", "MIDLANDS", "EAST OF ENGLAND", "LONDON", "SOUTH EAST",
           "SOUTH WEST")
_ROOTS = ("ash", "brook", "wick", "ford", "ham", "ley", "don", "mere", "by", "ton", "well", "field", "stow",
          "bury", "worth", "chester", "dale", "combe", "holt", "minster", "port", "stead", "wood", "cliff")
_HEADS = ("Alder", "Bram", "Carn", "Dun", "Elm", "Fair", "Gran", "Hart", "Ivy", "Kings", "Lang", "Mar", "Nor",
          "Oak", "Pen", "Quen", "Ros", "Stan", "Thorn", "Ux", "Ver", "Wes", "Yar", "Zen", "Bel", "Cor", "Dray",
          "Fen", "Gil", "Hol")
_BACKGROUND = (
    "patient record digital service team trust deployment workflow training adoption benefits data platform "
    "integration pathway ward nursing pharmacy medicines prescribing theatre outpatient discharge referral "
    "results orders imaging laboratory emergency community mental health ambulance dashboard reporting "
    "analytics governance safety assurance configuration build testing cutover readiness programme project "
    "change management engagement design review optimisation roadmap procurement specification migration "
    "hosting cloud network devices identity access security resilience incident recovery standards coding "
    "terminology messaging portal appointments scheduling booking rostering bed flow capacity demand coding "
    "audit quality improvement evaluation research population prevention inclusion volunteers partners "
    "experience feedback accessible mobile tablet scanning barcode wristband observations alerts escalation "
    "sepsis deterioration handover documentation notes letters correspondence archive legacy decommission"
).split()
_TITLE_TOPICS = ("EPR go-live", "EPR optimisation", "medicines management", "shared care record", "cyber resilience",
                 "data platform", "theatres workflow", "discharge planning", "outpatient redesign", "bed flow",
                 "digital inclusion", "training design", "clinical coding", "observations at the bedside",
                 "infrastructure refresh", "identity and access")
_TITLE_KINDS = ("readiness review", "delivery team", "playbook", "coaching", "peer review", "blueprint",
                "implementation help", "assurance", "rapid diagnostic", "mentoring")


def _words(rng: random.Random, n: int) -> list[str]:
    return rng.choices(_BACKGROUND, k=n)


def _place(rng: random.Random) -> str:
    return (rng.choice(_HEADS) + rng.choice(_ROOTS)).upper()


class Synth(CallOffs):
    """The rows of one size, table by table, from one seed."""

    def __init__(self, spec: Spec, seed: int = 2026):
        self.spec = spec
        self.rng = random.Random(f"{spec.name}:{seed}")
        # What is known of each trust's systems draws from a stream of its own, so the deployment
        # histories drawn are the same as before it was added (only the exemplars' offers of the
        # systems they run follow the rows kept).
        self.known_rng = random.Random(f"{spec.name}:{seed}:known")

    # The tables, in foreign-key order. Each method fills attributes later ones use.
    def tables(self) -> Iterator[tuple[str, list[dict]]]:
        yield "organisations", self.organisations()
        yield "suppliers", self.suppliers()
        yield "systems", self.systems()
        yield "system_standards", self.system_standards()
        yield "deployments", self.deployments()
        yield "no_system_findings", self.no_system_findings()
        yield "frameworks", self.frameworks()
        yield "framework_criteria", self.framework_criteria()
        yield "lots", self.lots()
        yield "memberships", self.memberships()
        yield "users", self.users()
        yield "user_roles", self.user_roles()
        offers, versions, ovs, ovr = self.offers()
        yield "offers", offers
        yield "offer_versions", versions
        yield "offer_version_systems", ovs
        yield "offer_version_regions", ovr
        comps, criteria, invitations, evaluators = self.competitions()
        yield "competitions", comps
        yield "competition_criteria", criteria
        yield "invitations", invitations
        yield "competition_evaluators", evaluators
        bids, answers, revisions, consensus, awards = self.bids()
        yield "bids", bids
        yield "bid_answers", answers
        yield "bid_revisions", revisions
        yield "consensus_scores", consensus
        yield "awards", awards
        partnerships, milestones = self.partnerships()
        yield "partnerships", partnerships
        yield "partnership_milestones", milestones

    # --- the register ---------------------------------------------------------------------------
    def organisations(self) -> list[dict]:
        rng, s = self.rng, self.spec
        rows = [dict(id=1, ods_code="X24", name="NHS ENGLAND", kind="national")]
        self.region_ids = list(range(2, 2 + len(REGIONS)))
        rows += [dict(id=i, ods_code=f"BY{k + 1}", name=f"{n} (BENCH)", kind="region")
                 for k, (i, n) in enumerate(zip(self.region_ids, REGIONS))]
        first_icb = 2 + len(REGIONS)
        self.icb_region = {}
        for k in range(s.icbs):
            i = first_icb + k
            self.icb_region[i] = self.region_ids[k % len(REGIONS)]
            rows.append(dict(id=i, ods_code=f"BQ{k:03d}", name=f"NHS {_place(rng)} INTEGRATED CARE BOARD",
                             kind="icb", region_id=self.icb_region[i]))
        types, weights = zip(*TRUST_TYPES)
        self.trusts: dict[int, str] = {}
        self.closed: set[int] = set()
        start = first_icb + s.icbs
        for k in range(s.trusts):
            i = start + k
            t = rng.choices(types, weights)[0]
            icb = rng.randrange(first_icb, first_icb + s.icbs)
            closed = date(2019 + rng.randrange(6), rng.randrange(1, 13), 1) if rng.random() < 0.02 else None
            if closed:
                self.closed.add(i)
            word = {"acute": "HOSPITALS", "mental_health": "MENTAL HEALTH", "community": "COMMUNITY HEALTH",
                    "ambulance": "AMBULANCE SERVICE", "specialist": "SPECIALIST HOSPITAL"}[t]
            rows.append(dict(id=i, ods_code=f"B{k:05d}", name=f"{_place(rng)} {word} NHS TRUST {k}", kind="trust",
                             trust_type=t, trust_type_source="bench", region_id=self.icb_region[icb], icb_id=icb,
                             town=_place(rng), postcode=f"ZZ{k % 99} {k % 9}ZZ",
                             opened_on=date(1990 + rng.randrange(30), 4, 1), closed_on=closed))
            self.trusts[i] = t
        open_trusts = [i for i in self.trusts if i not in self.closed]
        self.exemplars = sorted(rng.sample(open_trusts, s.exemplars))
        others = sorted(set(open_trusts) - set(self.exemplars))
        self.buyers = sorted(rng.sample(others, min(len(others), max(1, s.competitions // 3))))
        self.org_names = {r["id"]: r["name"] for r in rows}
        return rows

    def suppliers(self) -> list[dict]:
        rng = self.rng
        self.supplier_names = {}
        rows = []
        for i in range(1, self.spec.suppliers + 1):
            name = f"{_place(self.rng).title()} {rng.choice(('Health', 'Clinical', 'Care', 'Digital'))} Systems {i}"
            self.supplier_names[i] = name
            rows.append(dict(id=i, slug=f"bench-supplier-{i}", name=name))
        return rows

    def systems(self) -> list[dict]:
        rng = self.rng
        cats = list(SYSTEM_CATEGORIES)
        self.system_cat: dict[int, str] = {}
        self.system_supplier: dict[int, int] = {}
        self.system_names: dict[int, str] = {}
        rows = []
        for i in range(1, self.spec.systems + 1):
            cat = cats[(i - 1) % len(cats)]
            sup = 1 + min(int(rng.paretovariate(1.2)) - 1, self.spec.suppliers - 1) if rng.random() < 0.5 \
                else rng.randrange(1, self.spec.suppliers + 1)
            name = f"{self.supplier_names[sup].split()[0]} {cat.replace('_', ' ').title()} {i}"
            self.system_cat[i], self.system_supplier[i], self.system_names[i] = cat, sup, name
            rows.append(dict(id=i, slug=f"bench-system-{i}", name=name, supplier_id=sup, category=cat))
        # Popularity within a category falls off like a power law, so HHI is neither 0 nor 10,000.
        self.by_cat: dict[str, list[int]] = {c: [i for i, x in self.system_cat.items() if x == c] for c in cats}
        self.cat_weights = {c: [1 / (k + 1) ** 1.1 for k in range(len(v))] for c, v in self.by_cat.items()}
        return rows

    def system_standards(self) -> list[dict]:
        codes = list(STANDARDS)
        rows, n = [], 0
        for sid in self.system_cat:
            for code in self.rng.sample(codes, self.rng.randint(2, 5)):
                n += 1
                rows.append(dict(id=n, system_id=sid, standard=code))
        return rows

    def deployments(self) -> list[dict]:
        """A history per (trust, category): ended systems, then the live one, sometimes a planned successor."""
        rng = self.rng
        pairs = [(o, c) for o, t in self.trusts.items() for c, types in CATEGORY_SCOPE.items() if t in types]
        mean = max(1.0, self.spec.deployments / len(pairs))
        rows: list[dict] = []
        self.known_none: list[tuple[int, str]] = []
        for o, c in pairs:
            known = self.known_rng.random()
            if known < KNOWN_NONE:
                self.known_none.append((o, c))
            # A trust known to have none, or not known, gets no rows; its history is still drawn
            # (and dropped), so the main stream goes on as it did.
            start = len(rows)
            length = max(1, round(rng.expovariate(1 / mean) if mean > 1 else 1))
            length = min(length, 8)
            year = 2021 - 3 * length + rng.randrange(3)
            for k in range(length):
                last = k == length - 1
                sid = rng.choices(self.by_cat[c], self.cat_weights[c])[0]
                since = date(max(2000, year), rng.randrange(1, 13), 1)
                year += rng.randint(2, 4)
                until = None if last else date(max(2001, min(year, 2026)), 1, 1)
                if until and until < since:
                    until = since
                status = "live" if last else "ended"
                if last and rng.random() < 0.1:
                    status = "retiring"
                rows.append(dict(id=len(rows) + 1, organisation_id=o, system_id=sid, status=status, since=since,
                                 until=until, status_as_of=f"{2020 + rng.randrange(6)}-{rng.randrange(1, 13):02d}",
                                 confidence=rng.choice(("high", "medium", "low", "unrated")),
                                 historical=rng.random() < 0.03, created_at=_ts(since),
                                 foi_2024_only=self.known_rng.random() < FOI_2024_ONLY))
                if last and status == "retiring":
                    rows.append(dict(id=len(rows) + 1, organisation_id=o,
                                     system_id=rng.choices(self.by_cat[c], self.cat_weights[c])[0], status="planned",
                                     since=date(2027, rng.randrange(1, 13), 1), until=None,
                                     status_as_of="2026-06", confidence="medium", historical=False,
                                     created_at=_ts(date(2026, 6, 1)), foi_2024_only=False))
            if known < KNOWN_NONE + NOT_KNOWN:
                del rows[start:]
        self.live_system = {}
        for r in rows:
            if r["status"] == "live" and not r["historical"]:
                self.live_system.setdefault(r["organisation_id"], []).append(r["system_id"])
        return rows

    def no_system_findings(self) -> list[dict]:
        """Trusts known to have no system in a category (coverage counts them, shares do not)."""
        rng = self.known_rng
        return [dict(id=k + 1, organisation_id=o, category=c, known_from=date(2020 + rng.randrange(5), 1, 1),
                     until=None, status_as_of=f"{2022 + rng.randrange(4)}-{rng.randrange(1, 13):02d}",
                     confidence=rng.choice(("high", "medium", "low")), historical=False,
                     foi_2024_only=rng.random() < FOI_2024_ONLY, created_at=_ts(date(2024, 1, 1)))
                for k, (o, c) in enumerate(self.known_none)]

    def frameworks(self) -> list[dict]:
        return [dict(id=f, slug=f"bench-framework-{f}", name=f"Bench framework {f}", description="Synthetic.",
                     status="live", starts_on=date(2020 + f % 4, 1, 1), quality_weight_min=40,
                     quality_weight_max=80, min_invitees=3, clarification_days=5, response_days=10,
                     standstill_days=8, max_calloff_months=24, created_at=_ts(date(2020, 1, 1)))
                for f in range(1, self.spec.frameworks + 1)]

    CRITERIA = ("Clinical and technical capability", "Implementation approach and blueprints",
                "Capacity and availability of the team", "Track record of go-lives", "Social value")

    def framework_criteria(self) -> list[dict]:
        rows = []
        self.fw_criteria: dict[int, list[int]] = {}
        for f in range(1, self.spec.frameworks + 1):
            for k, name in enumerate(self.CRITERIA):
                rows.append(dict(id=len(rows) + 1, framework_id=f, position=k, name=name, description=""))
                self.fw_criteria.setdefault(f, []).append(len(rows))
        return rows

    def lots(self) -> list[dict]:
        rows = []
        self.lot_framework: dict[int, int] = {}
        for f in range(1, self.spec.frameworks + 1):
            for n in range(1, self.spec.lots_per_framework + 1):
                lid = len(rows) + 1
                self.lot_framework[lid] = f
                rows.append(dict(id=lid, framework_id=f, number=n, name=f"Lot {n} of framework {f}", description=""))
        return rows

    def memberships(self) -> list[dict]:
        rng = self.rng
        lots = list(self.lot_framework)
        rows = []
        self.lot_members: dict[int, list[int]] = {lot: [] for lot in lots}
        self.org_lots: dict[int, list[int]] = {}
        for e in self.exemplars:
            lo, hi = self.spec.lots_per_exemplar
            for lot in sorted(rng.sample(lots, min(len(lots), rng.randint(lo, hi)))):
                status = rng.choices(("admitted", "suspended", "removed"), (0.92, 0.05, 0.03))[0]
                rows.append(dict(id=len(rows) + 1, lot_id=lot, organisation_id=e, status=status,
                                 name_at_admission=self.org_names[e], ods_code_at_admission=None,
                                 admitted_on=date(2021, 1, 1), updated_at=_ts(date(2021, 1, 1))))
                if status == "admitted":
                    self.lot_members[lot].append(e)
                    self.org_lots.setdefault(e, []).append(lot)
        return rows

    def users(self) -> list[dict]:
        from .accounts import bench_password_hash

        password_hash = bench_password_hash()
        rows = []
        self.roles: list[tuple[int, str]] = []
        self.manager_of: dict[int, int] = {}
        self.buyer_user: dict[int, int] = {}
        self.evaluator_users: dict[int, list[int]] = {}

        def add(org: int, email: str, name: str, role: str) -> int:
            uid = len(rows) + 1
            rows.append(dict(id=uid, email=email, name=name, password_hash=password_hash, organisation_id=org,
                             active=True, session_version=1, created_at=_ts(date(2024, 1, 1))))
            self.roles.append((uid, role))
            return uid

        add(1, "admin@bench.invalid", "Bench Admin", "commercial_admin")
        add(1, "auditor@bench.invalid", "Bench Auditor", "auditor")
        for e in self.exemplars:
            self.manager_of[e] = add(e, f"exemplar.{e}@bench.invalid", f"Exemplar Manager {e}", "exemplar_manager")
        for b in self.buyers:
            self.buyer_user[b] = add(b, f"buyer.{b}@bench.invalid", f"Buyer {b}", "follower_buyer")
            self.evaluator_users[b] = [add(b, f"evaluator{k}.{b}@bench.invalid", f"Evaluator {k} of {b}", "evaluator")
                                       for k in range(1, 4)]
        return rows

    def user_roles(self) -> list[dict]:
        return [dict(id=k, user_id=u, role=r) for k, (u, r) in enumerate(self.roles, start=1)]

    # --- offers ---------------------------------------------------------------------------------
    def _text(self, n: int, planted: dict[str, bool]) -> str:
        words = _words(self.rng, n)
        for w, present in planted.items():
            if present:
                words.insert(self.rng.randrange(len(words) + 1), w)
        return " ".join(words).capitalize() + "."

    def offers(self):
        rng, s = self.rng, self.spec
        categories = 10  # the catalogue the offers migration makes; ids 1..10, 1 and 2 system-specific
        offers, versions, ovs, ovr = [], [], [], []
        exemplars_with_lots = [e for e in self.exemplars if self.org_lots.get(e)]
        self.org_lot_versions: dict[tuple[int, int], list[int]] = {}
        for oid in range(1, s.offers + 1):
            e = exemplars_with_lots[(oid - 1) % len(exemplars_with_lots)]
            lot = rng.choice(self.org_lots[e])
            status = rng.choices(("published", "draft", "withdrawn"), (0.85, 0.1, 0.05))[0]
            created = REF - timedelta(days=rng.randrange(30, 900))
            published = created + timedelta(days=3) if status != "draft" else None
            offers.append(dict(id=oid, organisation_id=e, lot_id=lot, status=status, current_version_id=None,
                               created_at=created,
                               published_at=published if published else None,
                               withdrawn_at=(published + timedelta(days=60))
                               if status == "withdrawn" else None,
                               updated_at=(created + timedelta(days=5))))
            n_versions = rng.choices((1, 2, 3), (0.6, 0.3, 0.1))[0]
            cat = rng.randrange(1, categories + 1)
            sys_ids = []
            live = self.live_system.get(e, [])
            if cat <= 2 or (live and rng.random() < 0.4):
                sys_ids = sorted(set(rng.sample(live, min(len(live), rng.randint(1, 2))))) if live \
                    else [rng.randrange(1, s.systems + 1)]
            regions = sorted(rng.sample(self.region_ids, rng.choice((0, 0, 1, 2))))
            for number in range(1, n_versions + 1):
                vid = len(versions) + 1
                planted = {w: rng.random() < p for w, p in PLANTED.items()}
                title = f"{rng.choice(_TITLE_TOPICS).capitalize()} {rng.choice(_TITLE_KINDS)}"
                if planted["kiosk"] and rng.random() < 0.5:
                    title, planted["kiosk"] = f"Self check-in kiosk {rng.choice(_TITLE_KINDS)}", False
                # Common words sometimes sit in the summary rather than the description.
                in_summary = {w: planted[w] and rng.random() < 0.3 for w in ("clinical", "support")}
                planted.update({w: False for w, here in in_summary.items() if here})
                summary = self._text(rng.randint(12, 22), in_summary)
                description = self._text(rng.randint(60, 140), planted)
                extra = [self.system_names[x] + " " + self.supplier_names[self.system_supplier[x]] for x in sys_ids]
                search_text = " ".join([CAPABILITY_CATALOGUE[cat - 1][1], self.org_names[e], f"B{e:05d}", f"Lot {lot}", *extra,
                                        *(REGIONS[r - 2] for r in regions)])
                versions.append(dict(
                    id=vid, offer_id=oid, number=number, title=title, summary=summary, description=description,
                    category_id=cat, pricing_model=rng.choice(tuple(PRICING_MODELS)),
                    price_pence=rng.randrange(50, 5000) * 10_000, vat="exclusive",
                    capacity_per_quarter=(cap := rng.randint(1, 6)), capacity_committed=rng.randint(0, cap),
                    lead_time_weeks=rng.randint(1, 16), evidence_links="", blueprint_links="",
                    contact_name=f"Contact {e}", contact_email=f"offers.{e}@bench.invalid", search_text=search_text,
                    created_at=(created + timedelta(days=number)),
                    created_by_id=self.manager_of[e]))
                ovs += [dict(offer_version_id=vid, system_id=x) for x in sys_ids]
                ovr += [dict(offer_version_id=vid, region_id=r) for r in regions]
                self.org_lot_versions.setdefault((e, lot), []).append(vid)
            # Offers and versions refer to each other: the loader checks keys only after the load.
            offers[-1]["current_version_id"] = len(versions)
        self.n_versions = len(versions)
        return offers, versions, ovs, ovr
