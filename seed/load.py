"""Load the demo data in seed/ into the database.

Safe to run again: every row is matched on its natural key (ODS code, slug, …) and created only
when missing, so a second run changes nothing. Facts come from the CSV files beside this module
(built from ../shared/data by seed/build/, `python -m seed.build`); demo-only content (accounts) is marked as such.
"""
from __future__ import annotations

import csv
import importlib
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.accounts.services import create_user
from app.audit.services import record
from app.extensions import db
from app.registry import services as registry
from app.registry.models import (
    Deployment,
    Framework,
    FrameworkCriterion,
    Lot,
    NoSystemFinding,
    Organisation,
    Partnership,
    Supplier,
    System,
    SystemStandard,
)

SEED_DIR = Path(__file__).resolve().parent

NATIONAL = {"ods_code": "X24", "name": "NHS ENGLAND"}

GDE_CRITERIA = [
    "Clinical and technical capability",
    "Implementation approach and blueprints",
    "Capacity and availability of the team",
    "Track record of go-lives",
    "Social value",
]

DEMO_PASSWORD = "demo-password-2026"

#: One demo account per role. Organisations are real trusts; the people are not.
DEMO_USERS = [
    ("buyer@demo.exemplar.nhs.uk", "Bea Buyer (demo)", "RJR", [FOLLOWER_BUYER]),
    ("evaluator@demo.exemplar.nhs.uk", "Evan Evaluator (demo)", "RJR", [EVALUATOR]),
    ("exemplar@demo.exemplar.nhs.uk", "Esme Exemplar (demo)", "RBL", [EXEMPLAR_MANAGER]),
    ("admin@demo.exemplar.nhs.uk", "Cam Commercial (demo)", "X24", [COMMERCIAL_ADMIN]),
    ("auditor@demo.exemplar.nhs.uk", "Aud Auditor (demo)", "X24", [AUDITOR]),
]


def read_csv(name: str) -> list[dict[str, str]]:
    with open(SEED_DIR / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _announced(text: str | None) -> date | None:
    """The first 'YYYY-MM' or 'YYYY' in free text such as '2016-09 (Expo)' or '2017/18'."""
    m = re.search(r"(\d{4})(?:-(\d{2}))?", text or "")
    if not m:
        return None
    return date(int(m.group(1)), int(m.group(2) or 1), 1)


def _date(text: str | None) -> date | None:
    text = (text or "").strip()
    if not text:
        return None
    parts = text.split("-")
    if len(parts) == 1:
        return date(int(parts[0]), 1, 1)
    if len(parts) == 2:
        return date(int(parts[0]), int(parts[1]), 1)
    return date.fromisoformat(text)


def parse_confidence(text: str) -> dict:
    """'medium (historical)' → confidence medium, historical; 'historical' alone → not rated."""
    text = (text or "").strip().lower()
    historical = "historical" in text
    level = text.replace("(historical)", "").replace("historical", "").strip()
    return {"confidence": level if level in ("high", "medium", "low") else "unrated", "historical": historical}


@dataclass
class Report:
    created: Counter = field(default_factory=Counter)
    existing: Counter = field(default_factory=Counter)

    def add(self, kind: str, created: bool) -> None:
        (self.created if created else self.existing)[kind] += 1

    def summary(self) -> str:
        kinds = sorted(set(self.created) | set(self.existing))
        lines = [f"  {k:<14} {self.created[k]:>4} new, {self.existing[k]:>4} already there" for k in kinds]
        return "Demo data:\n" + "\n".join(lines)


class Loader:
    def __init__(self, echo: Callable[[str], None] | None):
        self.echo = echo or (lambda s: None)
        self.report = Report()
        self.orgs: dict[str, Organisation] = {
            o.ods_code: o for o in db.session.execute(select(Organisation)).unique().scalars()
        }

    def org(self, ods_code: str, kind: str, **values) -> Organisation:
        org = self.orgs.get(ods_code)
        created = org is None
        if created:
            org = Organisation(ods_code=ods_code, kind=kind, **values)
            db.session.add(org)
            self.orgs[ods_code] = org
        self.report.add(kind, created)
        return org

    def organisations(self) -> None:
        self.echo("Loading regions, ICBs and trusts…")
        for r in read_csv("regions.csv"):
            self.org(r["ods_code"], "region", name=r["name"])
        for r in read_csv("icbs.csv"):
            self.org(r["ods_code"], "icb", name=r["name"], region=self.orgs[r["region_ods_code"]],
                     name_inferred=r["name_inferred"] == "true")
        for r in read_csv("organisations.csv"):
            self.org(r["ods_code"], "trust", name=r["name"], trust_type=r["org_type"],
                     trust_type_source=r["org_type_source"], region=self.orgs[r["region_ods_code"]],
                     icb=self.orgs[r["icb_ods_code"]], town=r["town"] or None, postcode=r["postcode"] or None,
                     opened_on=_date(r["opened_on"]))
        self.org(NATIONAL["ods_code"], "national", name=NATIONAL["name"])
        db.session.flush()

    def systems(self) -> dict[str, System]:
        self.echo("Loading suppliers and systems…")
        suppliers = {s.slug: s for s in db.session.execute(select(Supplier)).scalars()}
        for r in read_csv("suppliers.csv"):
            created = r["slug"] not in suppliers
            if created:
                suppliers[r["slug"]] = Supplier(slug=r["slug"], name=r["name"])
                db.session.add(suppliers[r["slug"]])
            self.report.add("supplier", created)
        systems = {s.slug: s for s in db.session.execute(select(System)).unique().scalars()}
        for r in read_csv("systems.csv"):
            created = r["slug"] not in systems
            if created:
                s = System(slug=r["slug"], name=r["name"], supplier=suppliers[r["supplier_slug"]],
                           category=r["category"])
                s.standard_rows = [SystemStandard(standard=c) for c in r["standards"].split(";") if c]
                db.session.add(s)
                systems[r["slug"]] = s
            self.report.add("system", created)
        db.session.flush()
        return systems

    def deployments(self, systems: dict[str, System]) -> None:
        self.echo("Loading deployments and 'no EPR' findings…")
        existing = {
            (d.organisation_id, d.system_id, d.status, d.source_url, d.status_as_of)
            for d in db.session.execute(select(Deployment)).unique().scalars()
        }
        for r in read_csv("deployments.csv"):
            org, system = self.orgs[r["ods_code"]], systems[r["system_slug"]]
            key = (org.id, system.id, r["status"], r["source_url"], r["status_as_of"])
            created = key not in existing
            if created:
                db.session.add(Deployment(
                    organisation=org, system=system, status=r["status"], since=_date(r["since"]),
                    until=_date(r["until"]), expected_on=_date(r["expected_on"]), status_as_of=r["status_as_of"],
                    source_text=f'{r["source_supplier_text"]} — {r["source_product_text"]}',
                    source_status_text=r["source_status_text"], source_status_code=r["source_status_code"],
                    source_url=r["source_url"], notes=r["notes"] or None,
                    confidence=parse_confidence(r["confidence"])["confidence"],
                    historical=r["historical"] == "true", foi_2024_only=r["foi_2024_only"] == "true",
                ))
                existing.add(key)
            self.report.add("deployment", created)
        found = {(f.organisation_id, f.category, f.known_from)
                 for f in db.session.execute(select(NoSystemFinding)).unique().scalars()}
        for r in read_csv("no_system.csv"):
            org = self.orgs[r["ods_code"]]
            key = (org.id, r["category"], _date(r["known_from"]))
            created = key not in found
            if created:
                db.session.add(NoSystemFinding(
                    organisation=org, category=r["category"], known_from=_date(r["known_from"]),
                    until=_date(r["until"]), status_as_of=r["status_as_of"],
                    source_text=f'{r["source_supplier_text"]} — {r["source_product_text"]}',
                    source_status_text=r["source_status_text"], source_url=r["source_url"], notes=r["notes"] or None,
                    foi_2024_only=r["foi_2024_only"] == "true", **parse_confidence(r["confidence"]),
                ))
                found.add(key)
            self.report.add("no EPR finding", created)
        db.session.flush()

    def frameworks(self) -> dict[tuple[str, int], Lot]:
        self.echo("Loading frameworks, lots and exemplars…")
        lots: dict[tuple[str, int], Lot] = {}
        for r in read_csv("frameworks.csv"):
            fw = db.session.execute(select(Framework).where(Framework.slug == r["slug"])).scalar_one_or_none()
            created = fw is None
            if created:
                fw = Framework(slug=r["slug"], name=r["name"], status=r["status"], description=r["description"],
                               starts_on=_date(r["starts_on"]), ends_on=_date(r["ends_on"]),
                               source_url=r["source_url"] or None,
                               # Call-offs: a voluntary standstill the buyer may shorten or skip (demo rule).
                               standstill_rule="flexible")
                fw.criteria = [FrameworkCriterion(position=i, name=c) for i, c in enumerate(GDE_CRITERIA)]
                db.session.add(fw)
            self.report.add("framework", created)
        db.session.flush()
        for r in read_csv("lots.csv"):
            fw = db.session.execute(select(Framework).where(Framework.slug == r["framework_slug"])).scalar_one()
            lot = next((l for l in fw.lots if l.number == int(r["number"])), None)
            created = lot is None
            if created:
                lot = Lot(number=int(r["number"]), name=r["name"], description=r["description"])
                fw.lots.append(lot)
            lots[(fw.slug, lot.number)] = lot
            self.report.add("lot", created)
        db.session.flush()
        for r in read_csv("exemplars.csv"):
            lot = lots[(r["framework_slug"], int(r["lot_number"]))]
            org = self.orgs[r["ods_code"]]
            member = registry.find_membership(lot, org)
            created = member is None
            if created:
                registry.admit_exemplar(
                    lot, org,
                    reason=f"Named a Global Digital Exemplar ({r['wave']}, announced {r['announced']}).",
                    evidence=r["source_urls"], name_at_admission=r["name_at_announcement"],
                    ods_code_at_admission=r["ods_code_at_announcement"], source_url=r["source_urls"],
                    admitted_on=_announced(r["announced"]),
                )
            self.report.add("exemplar", created)
        return lots

    def fast_followers(self, lots: dict[tuple[str, int], Lot]) -> None:
        self.echo("Loading fast-follower pairings…")
        existing = {
            (p.follower_id, p.exemplar_id)
            for p in db.session.execute(select(Partnership).where(Partnership.origin == "gde_fast_follower")).unique().scalars()
        }
        for r in read_csv("fast_followers.csv"):
            follower, exemplar = self.orgs[r["follower_ods_code"]], self.orgs[r["exemplar_ods_code"]]
            created = (follower.id, exemplar.id) not in existing
            if created:
                db.session.add(Partnership(
                    follower=follower, exemplar=exemplar, lot=lots.get(("gde", 1)), origin="gde_fast_follower",
                    status="active", started_on=_announced(r["announced"]), source_url=r["source_urls"],
                    notes=f"Announced as fast follower: {r['name_at_announcement']}. {r['notes']}".strip(),
                ))
                existing.add((follower.id, exemplar.id))
            self.report.add("partnership", created)
        db.session.flush()

    def users(self) -> None:
        self.echo("Creating demo accounts…")
        for email, name, ods, roles in DEMO_USERS:
            exists = db.session.execute(select(User.id).where(User.email == email)).first() is not None
            if not exists:
                create_user(email=email, name=name, organisation=self.orgs[ods], roles=roles, password=DEMO_PASSWORD)
            self.report.add("user", not exists)


#: Demo content of the later domains, each a module with `load(loader)`, run in this order.
DOMAIN_LOADERS: tuple[str, ...] = (
    "seed.aliases",
    "seed.demo_offers",
    "seed.demo_competitions",
    "seed.demo_concentration",
    "seed.demo_governance",
    "seed.demo_api",
)


def load_demo(echo: Callable[[str], None] | None = None) -> Report:
    """Load everything; the caller commits."""
    loader = Loader(echo)
    loader.organisations()
    systems = loader.systems()
    loader.deployments(systems)
    lots = loader.frameworks()
    loader.fast_followers(lots)
    loader.users()
    for module in DOMAIN_LOADERS:
        importlib.import_module(module).load(loader)
    if sum(loader.report.created.values()):
        record("seed.load", object_type="DemoData", after=dict(loader.report.created),
               summary="Loaded demo data: " + ", ".join(f"{n} {k}" for k, n in sorted(loader.report.created.items())))
    db.session.flush()
    # The concentration figures, built now so the first page after seeding shows them (afterwards a
    # job rebuilds them after each change).
    from app.api.open_data.regenerate import regenerate
    from app.concentration.services.rebuild import build

    build()
    regenerate()  # and the open-data register file
    return loader.report
