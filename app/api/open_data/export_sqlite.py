"""The public register as a standalone SQLite database, for Datasette or any SQLite tool.

It exports everything public, from several domains (the register, published offers, awarded
call-off contracts), so it lives in the open-data layer above them, never in a domain.

`register_tables()` reads what the public may see (no drafts, no private data) into plain rows;
`write_register(path, tables)` writes them with sqlite-utils: one table per kind, natural keys
(ODS codes, slugs) as primary keys, foreign keys between the tables and full-text search on names
and offer text. `export_register(path)` does both.
"""
from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from sqlalchemy import select

from app.api.ocds.calloff_data import awarded_contracts
from app.extensions import db
from app.models_base import utcnow
from app.offers.exports import offer_record
from app.offers.models import Offer
from app.registry.models import Deployment, Framework, Membership, NoSystemFinding, Organisation, Supplier, System
from app.registry.vocab import (DEPLOYMENT_STATUSES, FRAMEWORK_STATUSES, MEMBERSHIP_STATUSES, SYSTEM_CATEGORIES,
                                TRUST_TYPES)

Rows = list[dict[str, Any]]

#: table → (columns with types, primary key, foreign keys, full-text columns), in creation order.
#: Money is integer pence (exact: `*_pence`); a list is a JSON array (Datasette's array facets read it);
#: a controlled value is its code with its words in `<column>_name`, as in the API and the CSVs.
SCHEMA: dict[str, tuple[dict[str, type], str, list[tuple[str, str, str]], list[str]]] = {
    "organisations": ({"ods_code": str, "name": str, "official_name": str, "kind": str, "trust_type": str,
                       "trust_type_name": str, "region_code": str, "icb_code": str, "town": str, "postcode": str,
                       "opened_on": str, "closed_on": str},
                      "ods_code", [("region_code", "organisations", "ods_code"),
                                   ("icb_code", "organisations", "ods_code")], ["name", "town", "ods_code"]),
    "suppliers": ({"slug": str, "register_id": str, "name": str}, "slug", [], ["name"]),
    "systems": ({"slug": str, "name": str, "supplier_slug": str, "category": str, "category_name": str,
                 "standards": str}, "slug", [("supplier_slug", "suppliers", "slug")], ["name", "category"]),
    "deployments": ({"id": int, "ods_code": str, "system_slug": str, "status": str, "status_name": str,
                     "since": str, "until": str, "status_as_of": str, "confidence": str, "historical": int,
                     "source_text": str, "source_url": str},
                    "id", [("ods_code", "organisations", "ods_code"), ("system_slug", "systems", "slug")], []),
    "no_system_findings": ({"id": int, "ods_code": str, "category": str, "category_name": str, "known_from": str,
                            "until": str, "status_as_of": str, "confidence": str, "source_text": str,
                            "source_url": str},
                           "id", [("ods_code", "organisations", "ods_code")], []),
    "frameworks": ({"slug": str, "name": str, "status": str, "status_name": str, "description": str,
                    "starts_on": str, "ends_on": str, "source_url": str}, "slug", [], ["name", "description"]),
    "lots": ({"id": int, "framework_slug": str, "number": int, "name": str, "description": str},
             "id", [("framework_slug", "frameworks", "slug")], []),
    "exemplars": ({"id": int, "lot_id": int, "ods_code": str, "status": str, "status_name": str,
                   "name_at_admission": str, "admitted_on": str}, "id",
                  [("lot_id", "lots", "id"), ("ods_code", "organisations", "ods_code")], []),
    "offers": ({"offer_id": int, "version": int, "title": str, "organisation": str, "organisation_name": str,
                "framework": str, "lot": int, "lot_id": int, "lot_label": str, "category": str,
                "category_name": str, "systems": str, "system_names": str, "suppliers": str, "supplier_names": str,
                "regions": str, "region_names": str, "pricing_model": str, "pricing_model_name": str,
                "price_pence": int, "vat": str, "vat_name": str, "capacity_per_quarter": int,
                "capacity_committed": int, "capacity_free": int, "lead_time_weeks": int, "published_at": str,
                "summary": str, "description": str},
               "offer_id", [("organisation", "organisations", "ods_code"), ("lot_id", "lots", "id")],
               ["title", "summary", "description", "system_names"]),
    "contracts": ({"id": str, "competition": str, "buyer_ods_code": str, "supplier_ods_code": str,
                   "title": str, "value_pence": int, "starts_on": str, "ends_on": str, "awarded_at": str},
                  "id", [("buyer_ods_code", "organisations", "ods_code"),
                         ("supplier_ods_code", "organisations", "ods_code")], ["title"]),
}


def _iso(value) -> str | None:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    """A row as the file stores it: nothing given is NULL (never an empty string, which Datasette
    would facet as a blank bucket), dates ISO, lists as JSON arrays (sqlite-utils writes them)."""
    out = {}
    for k, v in row.items():
        if isinstance(v, str) and not v.strip():
            v = None
        out[k] = _iso(v)
    return out


def _offers() -> Rows:
    offers = db.session.execute(select(Offer).where(Offer.status == "published").order_by(Offer.id)).unique().scalars()
    return [{**offer_record(o, o.current_version), "lot_id": o.lot_id, "summary": o.current_version.summary,
             "description": o.current_version.description}
            for o in offers if o.current_version is not None]


def register_tables() -> dict[str, Rows]:
    """The public register as plain rows per table (drafts and non-public memberships left out)."""
    orgs = db.session.execute(select(Organisation).order_by(Organisation.ods_code)).unique().scalars().all()
    code = {o.id: o.ods_code for o in orgs}
    suppliers = db.session.execute(select(Supplier).order_by(Supplier.slug)).scalars().all()
    systems = db.session.execute(select(System).order_by(System.slug)).unique().scalars().all()
    deployments = db.session.execute(select(Deployment).order_by(Deployment.id)).unique().scalars().all()
    findings = db.session.execute(select(NoSystemFinding).order_by(NoSystemFinding.id)).unique().scalars().all()
    frameworks = db.session.execute(
        select(Framework).where(Framework.status != "draft").order_by(Framework.slug)).scalars().all()
    public_fw = {f.id for f in frameworks}
    lots = [l for f in frameworks for l in f.lots]
    memberships = db.session.execute(
        select(Membership).where(Membership.status.in_(("admitted", "suspended"))).order_by(Membership.id)
    ).unique().scalars().all()
    tables = {
        "organisations": [{"ods_code": o.ods_code, "name": o.display_name, "official_name": o.name, "kind": o.kind,
                           "trust_type": o.trust_type, "trust_type_name": TRUST_TYPES.get(o.trust_type),
                           "region_code": code.get(o.region_id), "icb_code": code.get(o.icb_id), "town": o.town,
                           "postcode": o.postcode, "opened_on": o.opened_on, "closed_on": o.closed_on}
                          for o in orgs],
        "suppliers": [{"slug": s.slug, "register_id": s.register_id, "name": s.name} for s in suppliers],
        "systems": [{"slug": s.slug, "name": s.name, "supplier_slug": s.supplier.slug, "category": s.category,
                     "category_name": SYSTEM_CATEGORIES.get(s.category), "standards": list(s.standards)}
                    for s in systems],
        "deployments": [{"id": d.id, "ods_code": d.organisation.ods_code, "system_slug": d.system.slug,
                         "status": d.status, "status_name": DEPLOYMENT_STATUSES.get(d.status),
                         "since": _iso(d.since), "until": _iso(d.until),
                         "status_as_of": d.status_as_of, "confidence": d.confidence, "historical": int(d.historical),
                         "source_text": d.source_text, "source_url": d.source_url} for d in deployments],
        # Trusts known to have no system of a category (known, not unknown: coverage counts them).
        "no_system_findings": [{"id": f.id, "ods_code": f.organisation.ods_code, "category": f.category,
                                "category_name": SYSTEM_CATEGORIES.get(f.category), "known_from": _iso(f.known_from),
                                "until": _iso(f.until), "status_as_of": f.status_as_of, "confidence": f.confidence,
                                "source_text": f.source_text, "source_url": f.source_url} for f in findings],
        "frameworks": [{"slug": f.slug, "name": f.name, "status": f.status,
                        "status_name": FRAMEWORK_STATUSES.get(f.status), "description": f.description,
                        "starts_on": _iso(f.starts_on), "ends_on": _iso(f.ends_on), "source_url": f.source_url}
                       for f in frameworks],
        "lots": [{"id": l.id, "framework_slug": l.framework.slug, "number": l.number, "name": l.name,
                  "description": l.description} for l in lots],
        "exemplars": [{"id": m.id, "lot_id": m.lot_id, "ods_code": m.organisation.ods_code, "status": m.status,
                       "status_name": MEMBERSHIP_STATUSES.get(m.status), "name_at_admission": m.name_at_admission,
                       "admitted_on": _iso(m.admitted_on)}
                      for m in memberships if m.lot.framework_id in public_fw],
        "offers": [o for o in _offers() if o["lot_id"] in {l.id for l in lots}],
        "contracts": awarded_contracts(),  # as published in the OCDS data (none until there are awards)
    }
    return {name: [_plain(row) for row in rows] for name, rows in tables.items()}


def write_register(path: str | Path, tables: dict[str, Rows]) -> None:
    """Write the tables to a new SQLite file at `path` (replaced if it exists)."""
    path = Path(path)
    if path.exists():
        path.unlink()
    database = sqlite_utils.Database(path)
    # Keys are checked once everything is in (PRAGMA foreign_key_check below), so the load order
    # does not matter (organisations refer to their region and ICB, which are organisations too).
    with database.conn:
        for name, (columns, pk, fks, _fts) in SCHEMA.items():
            database[name].create(columns, pk=pk, foreign_keys=fks)
            if tables.get(name):
                database[name].insert_all(tables[name], batch_size=500)
        for name, (_c, _pk, fks, _fts) in SCHEMA.items():
            for column, _other, _col in fks:
                database[name].create_index([column], if_not_exists=True)
        database["about"].insert_all([
            {"key": "title", "value": "Exemplar Exchange: the public framework register"},
            {"key": "generated_at", "value": utcnow().isoformat(timespec="seconds")},
            {"key": "licence", "value": "Open Government Licence v3.0 (register facts keep their source links)"},
            {"key": "money", "value": "Integer pence, exact (price_pence 95000 is £950.00)."},
            {"key": "vocabulary", "value": "A controlled value is its code, as the API gives it, with its words in "
                                           "the <column>_name column; lists are JSON arrays; NULL means not given."},
            {"key": "note", "value": "Deployments are a sourced map, not a census (the 2026 EPR map, with NHS "
                                     "England's 2024 FOI list where nothing newer is known): see source_url, "
                                     "status_as_of and confidence. no_system_findings lists trusts known to "
                                     "have no system of a category (known, not unknown)."},
        ], pk="key")
    for name, (_c, _pk, _fks, fts) in SCHEMA.items():
        if fts:
            database[name].enable_fts(fts, create_triggers=False, tokenize="porter")
    database.conn.commit()
    problems = list(database.execute("PRAGMA foreign_key_check").fetchall())
    database.close()
    if problems:
        raise RuntimeError(f"register export broke a foreign key: {problems[:3]}")


def export_register(path: str | Path) -> dict[str, int]:
    """Export the public register to `path`; returns the number of rows per table."""
    tables = register_tables()
    write_register(path, tables)
    return {name: len(rows) for name, rows in tables.items()}
