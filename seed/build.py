#!/usr/bin/env python3
"""Build the Exemplar Exchange seed CSV files from the public data in ../shared/data.

Usage:
    python seed/build.py [--shared ../shared/data] [--out seed]

Stdlib only and deterministic: the same inputs always give byte-identical outputs
(UTF-8, ``\\n`` line endings, header row, rows sorted).

Inputs
    * the public data files in ``--shared`` (see ../shared/data/README.md);
    * the hand-written, reviewed tables kept in ``seed/`` next to this script:
      ``system_name_mapping.csv``, ``org_type_overrides.csv`` and ``successors.csv``.

Outputs (in ``--out``, default ``seed/``)
    regions.csv, icbs.csv, organisations.csv, suppliers.csv, systems.csv,
    deployments.csv, frameworks.csv, lots.csv, exemplars.csv, fast_followers.csv

Rules: no invented facts, unknown stays unknown, source URLs and confidence are kept.
Anything that cannot be attributed honestly is skipped and listed in the printed report.
The build fails (exit 1) when an input is inconsistent, e.g. the EPR map has a
(supplier, product) pair the mapping table lacks.
"""
from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parent
REPO_ROOT = SEED_DIR.parent
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"

# --------------------------------------------------------------------------------------
# Public input files (in the shared data folder)
F_REGIONS = "nhs_england_regions_7.csv"
F_TRUSTS_OPEN = "nhs_trusts_open_2026_region_icb.csv"
F_ETR_2026 = "etr_nhs_trusts_2026.csv"
F_EPR_MAP = "epr_supplier_by_trust_partial.csv"
F_GDE = "gde_exemplars_fast_followers.csv"

# Hand-written, reviewed inputs (in seed/)
F_MAPPING = "system_name_mapping.csv"
F_ORG_TYPE_OVERRIDES = "org_type_overrides.csv"
F_SUCCESSORS = "successors.csv"

# Output files and their exact columns (the app's loader is written against these).
OUTPUT_COLUMNS: dict[str, list[str]] = {
    "regions.csv": ["ods_code", "ons_code", "name"],
    "icbs.csv": ["ods_code", "name", "region_ods_code", "name_inferred"],
    "organisations.csv": [
        "ods_code", "name", "org_type", "org_type_source", "region_ods_code",
        "icb_ods_code", "town", "postcode", "opened_on",
    ],
    "suppliers.csv": ["slug", "name"],
    "systems.csv": ["slug", "name", "supplier_slug", "category", "standards"],
    "deployments.csv": [
        "ods_code", "system_slug", "status", "since", "until", "source_supplier_text",
        "source_product_text", "source_status_text", "status_as_of", "source_url",
        "confidence", "notes",
    ],
    "frameworks.csv": ["slug", "name", "status", "description", "starts_on", "ends_on", "source_url"],
    "lots.csv": ["framework_slug", "number", "name", "description"],
    "exemplars.csv": [
        "framework_slug", "lot_number", "ods_code", "name_at_announcement",
        "ods_code_at_announcement", "wave", "announced", "source_urls", "notes",
    ],
    "fast_followers.csv": [
        "follower_ods_code", "exemplar_ods_code", "name_at_announcement",
        "ods_code_at_announcement", "announced", "source_urls", "notes",
    ],
}

ORG_TYPES = ("acute", "mental_health", "community", "ambulance", "specialist")
SYSTEM_CATEGORIES = (
    "acute_epr", "mental_health_epr", "community_epr", "ambulance_epr", "pas",
    "eprescribing", "shared_care_record",
)
STANDARDS = ("FHIR_UK_CORE", "HL7V2", "SNOMED_CT", "DMD", "DCB0129", "DSPT", "DTAC")
DEPLOYMENT_STATUSES = ("planned", "live", "retiring", "ended")

# The six ICB codes created by the 1 April 2026 mergers; their names in the derived
# trusts file are INFERRED (see ../shared/data/README.md).
INFERRED_ICB_CODES = frozenset({"Z9B2Z", "D7T5G", "S9B9J", "S0E4D", "S1Y5D", "T6Y0W"})
INFERRED_NAME_SUFFIX = re.compile(r"\s*\(merged 1 Apr 2026; name inferred\)\s*$")

# --------------------------------------------------------------------------------------
# Catalogue: canonical suppliers and systems.
# Suppliers appearing in the EPR map, plus the suppliers of systems named in
# PRODUCT.md (TPP for SystmOne, Servelec for RiO) so that those systems exist.
SUPPLIERS: list[tuple[str, str]] = [
    ("altera", "Altera Digital Health"),
    ("dedalus", "Dedalus"),
    ("epic", "Epic Systems"),
    ("ims-maxims", "IMS MAXIMS"),
    ("in-house", "In-house build"),
    ("intersystems", "InterSystems"),
    ("meditech", "MEDITECH"),
    ("nervecentre", "Nervecentre"),
    ("oneadvanced", "OneAdvanced"),
    ("oracle-health", "Oracle Health"),
    ("servelec", "Servelec"),
    ("system-c", "System C"),
    ("tpp", "TPP"),
]

# Standards are deliberately conservative: only what is broadly true of the product.
_EPR_CORE = ("HL7V2", "SNOMED_CT", "DMD", "DCB0129", "DSPT")
_EPR_FHIR = ("FHIR_UK_CORE",) + _EPR_CORE
SYSTEMS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    # slug, name, supplier_slug, category, standards
    ("altera-sunrise", "Altera Sunrise", "altera", "acute_epr", _EPR_CORE),
    ("dedalus-lorenzo", "Dedalus Lorenzo", "dedalus", "acute_epr", _EPR_CORE),
    ("epic-ehr", "Epic", "epic", "acute_epr", _EPR_FHIR),
    ("ims-maxims-openmaxims", "IMS MAXIMS openMAXIMS", "ims-maxims", "acute_epr",
     ("HL7V2", "SNOMED_CT", "DCB0129", "DSPT")),
    ("in-house", "In-house build", "in-house", "acute_epr", ()),
    ("intersystems-trakcare", "InterSystems TrakCare", "intersystems", "acute_epr", _EPR_FHIR),
    ("meditech-expanse", "MEDITECH Expanse", "meditech", "acute_epr", _EPR_CORE),
    ("nervecentre-epr", "Nervecentre EPR", "nervecentre", "acute_epr", _EPR_FHIR),
    ("oneadvanced-carenotes", "CareNotes", "oneadvanced", "mental_health_epr",
     ("SNOMED_CT", "DCB0129", "DSPT")),
    ("oracle-health-millennium", "Oracle Health Millennium", "oracle-health", "acute_epr", _EPR_FHIR),
    ("servelec-rio", "RiO", "servelec", "mental_health_epr", ("SNOMED_CT", "DCB0129", "DSPT")),
    ("system-c-careflow", "System C CareFlow (Medway)", "system-c", "acute_epr", _EPR_FHIR),
    ("tpp-systmone", "SystmOne", "tpp", "community_epr", ("SNOMED_CT", "DMD", "DCB0129", "DSPT")),
]

# --------------------------------------------------------------------------------------
# Organisation type from the official name. First matching rule wins; default acute.
# Reviewed exceptions live in seed/org_type_overrides.csv.
ORG_TYPE_NAME_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("ambulance", re.compile(r"\bAMBULANCE\b")),
    ("mental_health", re.compile(r"\bMENTAL HEALTH\b")),
    ("community", re.compile(r"\bCOMMUNITY\b")),
    ("specialist", re.compile(
        r"\bCHILDREN'?S?\b|\bWOMEN'?S\b|\bORTHOPAEDIC\b|\bCANCER\b|\bEYE HOSPITAL\b|\bHEART AND CHEST\b"
    )),
]

# --------------------------------------------------------------------------------------
# Deployment status from the free-text status of the EPR map.
# Ordered: the first matching rule wins. SKIP means "no deployment" (reported).
SKIP = "skip"
STATUS_RULES: list[tuple[str, str, re.Pattern[str]]] = [
    # (rule name, status, pattern) -- patterns are matched case-insensitively
    ("ended: replaced/superseded/ended/decommissioned", "ended",
     re.compile(r"\bsuperseded\b|\breplaced\b|\bended\b|\bdecommissioned\b", re.I)),
    ("retiring: being replaced or re-procured", "retiring",
     re.compile(r"\breplacing\b|\bbeing replaced\b|\bretiring\b|\bre-?procur\w*|\bjoint procurement\b", re.I)),
    ("skip: selection abandoned, never deployed", SKIP,
     re.compile(r"\bthen abandoned\b", re.I)),
    ("planned: selection, contract or implementation not yet live", "planned",
     re.compile(
         r"\bselected\b|\bpreferred\b|\bchose\b|\bcontract\b|\bsigned\b|\bawarded\b|\bplanned\b"
         r"|\bprocurement\b|\bannounced\b|\bimplementing\b|\bin progress\b|\bexpected\b",
         re.I)),
    ("live: source states the system is live / in use", "live",
     re.compile(r"(?<!go-)\blive\b|\bin use\b|\bused\b|\bswitched\b|\bfirst\b.*\b(deployment|user)\b", re.I)),
]

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
RE_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
RE_MONTH_YEAR = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(\d{4})\b", re.I)
RE_AS_OF_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
RE_AS_OF_YEAR = re.compile(r"^(\d{4})$")

# Exemplar categories in the GDE file -> lot number of the gde framework.
GDE_CATEGORY_LOT = {"acute_GDE": 1, "mental_health_GDE": 2, "ambulance_GDE": 3}
EXPECTED_EXEMPLARS = {1: 16, 2: 7, 3: 3}
# Fast-follower rows the source marks as dropped are not current pairings: skipped
# (and reported) because fast_followers.csv has no status column.
INCLUDE_DROPPED_FAST_FOLLOWERS = False

FRAMEWORK = {
    "slug": "gde",
    "name": "Global Digital Exemplar framework",
    "status": "live",
    "description": (
        "NHS England's Global Digital Exemplar (GDE) programme: digitally advanced NHS trusts "
        "funded to become exemplars and to help 'fast follower' trusts adopt what works. "
        "12 acute GDEs were named at the Health and Care Innovation Expo in September 2016; "
        "4 more acute GDEs and 7 mental health GDEs followed on 31 March 2017 (Next Steps on the "
        "NHS Five Year Forward View); 3 ambulance GDEs sharing GBP5m of central funding were named "
        "in 2017/18; acute fast followers were named in September 2017. Modelled here as a "
        "framework with lots; membership is as announced, with current (2026) ODS codes."
    ),
    "starts_on": "2016-09-01",
    "ends_on": "",
}
LOTS = [
    (1, "Acute", "Acute trust exemplars: the 16 acute GDEs (12 named Sept 2016, 4 named March 2017)."),
    (2, "Mental health", "Mental health trust exemplars: the 7 mental health GDEs named March 2017."),
    (3, "Ambulance", "Ambulance trust exemplars: the 3 ambulance GDEs named 2017/18."),
    (4, "Place-based", "Place-based exemplars (local health and care systems). No sourced membership "
                       "list is held, so this lot has no exemplars in the seed data."),
]


class BuildError(Exception):
    """An input is missing or inconsistent: the build must not produce seed files."""


class Report:
    """Lines printed after a build: skipped rows and why, overrides applied, counts."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, section: str, message: str) -> None:
        self.lines.append(f"[{section}] {message}")

    def text(self) -> str:
        return "\n".join(self.lines)


# --------------------------------------------------------------------------------------
# CSV helpers
def read_csv(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise BuildError(f"missing input file: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def render_csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buf.getvalue().encode("utf-8")


def write_outputs(out_dir: Path, tables: dict[str, list[dict[str, str]]]) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, columns in OUTPUT_COLUMNS.items():
        (out_dir / name).write_bytes(render_csv(columns, tables[name]))


def split_urls(text: str) -> list[str]:
    return [u.strip() for u in text.split(" ; ") if u.strip()]


def iso_from_yyyymmdd(value: str) -> str:
    if not re.fullmatch(r"\d{8}", value or ""):
        raise BuildError(f"bad ODS date {value!r}")
    return f"{value[0:4]}-{value[4:6]}-{value[6:8]}"


# --------------------------------------------------------------------------------------
# Builders
def build_regions(regions_rows):
    rows = [
        {"ods_code": r["region_ods_code"], "ons_code": r["region_ons_code"], "name": r["region_name"]}
        for r in regions_rows
    ]
    if len(rows) != 7:
        raise BuildError(f"expected 7 NHS England regions, found {len(rows)}")
    return sorted(rows, key=lambda r: r["ods_code"])


def english_open_trusts(trust_rows, region_codes):
    english = []
    for r in trust_rows:
        if not r["region_ods_code"]:
            continue  # Welsh trusts: no NHS England region
        if r["region_ods_code"] not in region_codes:
            raise BuildError(f"{r['ods_code']}: unknown region {r['region_ods_code']}")
        if not r["icb_code_2026"]:
            raise BuildError(f"{r['ods_code']}: English trust without a 2026 ICB")
        english.append(r)
    return english


def build_icbs(english):
    icbs: dict[str, dict[str, str]] = {}
    for r in english:
        code, raw_name = r["icb_code_2026"], r["icb_name_2026"]
        inferred = code in INFERRED_ICB_CODES
        if inferred != ("name inferred" in raw_name):
            raise BuildError(f"ICB {code}: name-inferred flag disagrees with the name {raw_name!r}")
        name = INFERRED_NAME_SUFFIX.sub("", raw_name) if inferred else raw_name
        row = {
            "ods_code": code,
            "name": name,
            "region_ods_code": r["region_ods_code"],
            "name_inferred": "true" if inferred else "false",
        }
        previous = icbs.setdefault(code, row)
        if previous != row:
            raise BuildError(f"ICB {code}: trusts disagree on its name or region ({previous} vs {row})")
    return sorted(icbs.values(), key=lambda r: r["ods_code"])


def org_type_from_name(name: str) -> str:
    for org_type, pattern in ORG_TYPE_NAME_RULES:
        if pattern.search(name):
            return org_type
    return "acute"


def build_organisations(english, overrides_rows, report):
    codes = {r["ods_code"] for r in english}
    overrides: dict[str, str] = {}
    for o in overrides_rows:
        code, org_type, reason = o["ods_code"].strip(), o["org_type"].strip(), o["reason"].strip()
        if code not in codes:
            raise BuildError(f"{F_ORG_TYPE_OVERRIDES}: {code} is not an open English trust")
        if org_type not in ORG_TYPES:
            raise BuildError(f"{F_ORG_TYPE_OVERRIDES}: {code} has unknown org_type {org_type!r}")
        if not reason:
            raise BuildError(f"{F_ORG_TYPE_OVERRIDES}: {code} has no reason")
        if code in overrides:
            raise BuildError(f"{F_ORG_TYPE_OVERRIDES}: {code} listed twice")
        overrides[code] = org_type
    rows = []
    changed: list[str] = []
    for r in english:
        from_name = org_type_from_name(r["name"])
        if r["ods_code"] in overrides:
            org_type, source = overrides[r["ods_code"]], "override"
            if org_type != from_name:
                changed.append(f"{r['ods_code']} {from_name}->{org_type}")
        else:
            org_type, source = from_name, "name"
        rows.append({
            "ods_code": r["ods_code"],
            "name": r["name"],
            "org_type": org_type,
            "org_type_source": source,
            "region_ods_code": r["region_ods_code"],
            "icb_ods_code": r["icb_code_2026"],
            "town": r["town"],
            "postcode": r["postcode"],
            "opened_on": iso_from_yyyymmdd(r["open_date"]),
        })
    report.add("org_type", f"{len(overrides)} reviewed overrides, {len(changed)} differ from the "
                           f"name-derived type: {', '.join(sorted(changed))}")
    return sorted(rows, key=lambda r: r["ods_code"])


def build_catalogue():
    supplier_slugs = {s for s, _ in SUPPLIERS}
    suppliers = [{"slug": s, "name": n} for s, n in sorted(SUPPLIERS)]
    systems = []
    for slug, name, supplier, category, standards in sorted(SYSTEMS):
        if supplier not in supplier_slugs:
            raise BuildError(f"system {slug}: unknown supplier {supplier}")
        if category not in SYSTEM_CATEGORIES:
            raise BuildError(f"system {slug}: unknown category {category}")
        bad = [s for s in standards if s not in STANDARDS]
        if bad:
            raise BuildError(f"system {slug}: unknown standards {bad}")
        ordered = [s for s in STANDARDS if s in standards]  # canonical order
        systems.append({
            "slug": slug, "name": name, "supplier_slug": supplier,
            "category": category, "standards": ";".join(ordered),
        })
    return suppliers, systems


def load_mapping(mapping_rows, system_slugs):
    mapping: dict[tuple[str, str], dict] = {}
    for m in mapping_rows:
        key = (m["supplier_text"], m["product_text"])
        if key in mapping:
            raise BuildError(f"{F_MAPPING}: duplicate row for {key}")
        slugs = [s.strip() for s in m["system_slug"].split(";") if s.strip()]
        for s in slugs:
            if s not in system_slugs:
                raise BuildError(f"{F_MAPPING}: {key} maps to unknown system {s!r}")
        if not slugs and not m["note"].strip():
            raise BuildError(f"{F_MAPPING}: unmapped row {key} needs a note saying why")
        mapping[key] = {"slugs": slugs, "note": m["note"].strip()}
    return mapping


def classify_status(status_text: str) -> tuple[str, str]:
    """Return (status, rule name) for a free-text status; raise if no rule matches."""
    for rule_name, status, pattern in STATUS_RULES:
        if pattern.search(status_text):
            return status, rule_name
    raise BuildError(f"no status rule matches {status_text!r}; add an explicit rule")


def live_since(status_text: str, status_as_of: str) -> tuple[str, str]:
    """ISO 'since' date for a live deployment and how it was obtained.

    A go-live date stated in the status text wins (e.g. 'live since 2014-10-26',
    'live April 2019'); otherwise the source's status_as_of date is used ('YYYY-MM' ->
    first of month, 'YYYY' -> 1 January), meaning "live by this date". Otherwise blank.
    """
    m = RE_ISO_DATE.search(status_text)
    if m:
        return m.group(0), "since = go-live date stated in source status"
    m = RE_MONTH_YEAR.search(status_text)
    if m:
        month = MONTHS[m.group(1).lower()[:3]]
        return f"{m.group(2)}-{month:02d}-01", "since = go-live month stated in source status"
    m = RE_AS_OF_MONTH.match(status_as_of.strip())
    if m:
        return f"{m.group(1)}-{m.group(2)}-01", "since = status_as_of (live by then; go-live date not in source)"
    m = RE_AS_OF_YEAR.match(status_as_of.strip())
    if m:
        return f"{m.group(1)}-01-01", "since = status_as_of year (live by then; go-live date not in source)"
    return "", "since unknown (source undated)"


def load_successors(successor_rows, etr_2026_rows, org_codes, gde_rows):
    etr = {r["org_code"]: r for r in etr_2026_rows}
    gde_successor = {}
    for g in gde_rows:
        if re.fullmatch(r"[A-Z0-9]{3,5}", g["current_successor_ods_code"]):
            gde_successor[g["ods_code_at_announcement"]] = g["current_successor_ods_code"]
    successors: dict[str, str] = {}
    for s in successor_rows:
        old, new = s["predecessor_ods_code"].strip(), s["successor_ods_code"].strip()
        if old not in etr or not etr[old]["close_date"]:
            raise BuildError(f"{F_SUCCESSORS}: {old} is not a closed trust in {F_ETR_2026}")
        if new not in org_codes:
            raise BuildError(f"{F_SUCCESSORS}: successor {new} is not an open English trust")
        if old in gde_successor and gde_successor[old] != new:
            raise BuildError(f"{F_SUCCESSORS}: {old}->{new} disagrees with {F_GDE} ({gde_successor[old]})")
        if not s["evidence"].strip():
            raise BuildError(f"{F_SUCCESSORS}: {old} has no evidence")
        successors[old] = new
    return successors, etr


def build_deployments(epr_rows, mapping, successors, etr, orgs_by_code, report):
    # Every (supplier, product) pair in the map must be in the reviewed mapping table.
    missing = sorted({(r["supplier"], r["product"]) for r in epr_rows} - set(mapping))
    if missing:
        lines = "\n  ".join(f"{s!r}, {p!r}" for s, p in missing)
        raise BuildError(f"{F_MAPPING} lacks {len(missing)} (supplier, product) pair(s) "
                         f"found in {F_EPR_MAP}:\n  {lines}")
    unused = sorted(set(mapping) - {(r["supplier"], r["product"]) for r in epr_rows})
    for key in unused:
        report.add("mapping", f"row {key} is not used by {F_EPR_MAP} (stale?)")

    rows = []
    previous = None
    for line_no, r in enumerate(epr_rows, start=2):
        where = f"{F_EPR_MAP} line {line_no} ({r['ods_code']} {r['supplier']} / {r['product']})"
        status_text = r["status"].strip()
        notes: list[str] = []
        if status_text.lower() == "as above":
            if previous is None or (previous["supplier"], previous["product"]) != (r["supplier"], r["product"]):
                raise BuildError(f"{where}: 'as above' does not follow a row for the same system")
            status_text = previous["resolved_status"]
            origin = previous["status_origin"]
            notes.append(f"source status reads 'as above': copied from the {origin} row")
        else:
            origin = r["ods_code"]
        r = dict(r, resolved_status=status_text, status_origin=origin)
        previous = r

        mapped = mapping[(r["supplier"], r["product"])]
        if not mapped["slugs"]:
            report.add("deployments", f"skipped {where}: no honest system mapping ({mapped['note']})")
            continue

        ods = r["ods_code"]
        if r["etr_close_date"].strip():
            if ods not in successors:
                report.add("deployments", f"skipped {where}: trust closed {r['etr_close_date']} and no "
                                          f"reviewed successor in {F_SUCCESSORS}")
                continue
            successor = successors[ods]
            notes.append(f"recorded at predecessor {ods} {etr[ods]['name']} (closed "
                         f"{iso_from_yyyymmdd(etr[ods]['close_date'])}); attributed to successor {successor}")
            report.add("deployments", f"{where}: closed trust, attributed to successor {successor}")
            ods = successor
        if ods not in orgs_by_code:
            raise BuildError(f"{where}: {ods} is not an open English trust in organisations")

        status, rule = classify_status(status_text)
        if status == SKIP:
            report.add("deployments", f"skipped {where}: {rule} (status: {status_text!r})")
            continue
        notes.append(f"status rule: {rule}")
        since = ""
        if status == "live":
            since, how = live_since(status_text, r["status_as_of"])
            notes.append(how)
        for slug in mapped["slugs"]:
            rows.append({
                "ods_code": ods,
                "system_slug": slug,
                "status": status,
                "since": since,
                "until": "",  # no end date is given by any source row
                "source_supplier_text": r["supplier"],
                "source_product_text": r["product"],
                "source_status_text": status_text,
                "status_as_of": r["status_as_of"],
                "source_url": " ; ".join(split_urls(r["source_urls"])),
                "confidence": r["confidence"],
                "notes": "; ".join(notes),
            })
    keys = [(d["ods_code"], d["system_slug"]) for d in rows]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise BuildError(f"more than one deployment for (ods_code, system_slug): {dupes}")
    for d in rows:
        if d["status"] not in DEPLOYMENT_STATUSES:
            raise BuildError(f"bad status {d['status']!r}")
    return sorted(rows, key=lambda d: (d["ods_code"], d["system_slug"]))


def build_framework(gde_rows):
    first_urls = split_urls(gde_rows[0]["source_urls"]) if gde_rows else []
    if not first_urls:
        raise BuildError(f"{F_GDE}: first row has no source URL")
    framework = dict(FRAMEWORK, source_url=first_urls[0])
    lots = [
        {"framework_slug": FRAMEWORK["slug"], "number": str(n), "name": name, "description": desc}
        for n, name, desc in LOTS
    ]
    return [framework], lots


RE_TRAILING_PAREN = re.compile(r"\s*\(([^()]*)\)\s*$")


def split_name_note(name: str) -> tuple[str, str]:
    """'Imperial ... Trust (joint GDE with ...)' -> ('Imperial ... Trust', 'joint GDE with ...')."""
    m = RE_TRAILING_PAREN.search(name)
    if m and not re.search(r"NHS (Foundation )?Trust$", name, re.I):
        return name[: m.start()].strip(), m.group(1).strip()
    return name.strip(), ""


def join_notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def build_exemplars(gde_rows, org_codes):
    exemplars = []
    for g in gde_rows:
        lot = GDE_CATEGORY_LOT.get(g["category"])
        if lot is None:
            continue
        code = g["current_successor_ods_code"]
        if code not in org_codes:
            raise BuildError(f"GDE {g['trust_name_at_announcement']}: successor {code!r} not in organisations")
        name, extra = split_name_note(g["trust_name_at_announcement"])
        exemplars.append({
            "framework_slug": FRAMEWORK["slug"],
            "lot_number": str(lot),
            "ods_code": code,
            "name_at_announcement": name,
            "ods_code_at_announcement": g["ods_code_at_announcement"],
            "wave": g["wave"],
            "announced": g["announced"],
            "source_urls": " ; ".join(split_urls(g["source_urls"])),
            "notes": join_notes(extra, g["notes"]),
        })
    for lot, expected in EXPECTED_EXEMPLARS.items():
        found = sum(1 for e in exemplars if e["lot_number"] == str(lot))
        if found != expected:
            raise BuildError(f"lot {lot}: expected {expected} exemplars, found {found}")
    return sorted(exemplars, key=lambda e: (int(e["lot_number"]), e["ods_code"]))


RE_PAIRED_CODE = re.compile(r"\(([A-Z0-9]{3,5})\)\s*$")


def build_fast_followers(gde_rows, org_codes, report):
    acute_gde = {
        g["ods_code_at_announcement"]: g["current_successor_ods_code"]
        for g in gde_rows if g["category"] == "acute_GDE"
    }
    rows = []
    for g in gde_rows:
        if g["category"] != "acute_fast_follower":
            continue
        label = f"{g['trust_name_at_announcement']} ({g['ods_code_at_announcement']})"
        if not g["source_urls"].strip():
            report.add("fast_followers", f"skipped {label}: no source URL")
            continue
        m = RE_PAIRED_CODE.search(g["paired_gde"])
        if not m:
            report.add("fast_followers", f"skipped {label}: pairing not confirmed in source "
                                         f"({g['paired_gde']})")
            continue
        exemplar_at_announcement = m.group(1)
        exemplar = acute_gde.get(exemplar_at_announcement)
        if exemplar is None:
            report.add("fast_followers", f"skipped {label}: paired exemplar {exemplar_at_announcement} "
                                         f"is not an acute GDE")
            continue
        follower = g["current_successor_ods_code"]
        if follower not in org_codes:
            report.add("fast_followers", f"skipped {label}: current successor {follower!r} cannot be "
                                         f"resolved to one open trust")
            continue
        if follower == exemplar:
            report.add("fast_followers", f"skipped {label}: follower has since merged into its exemplar "
                                         f"({exemplar_at_announcement} -> {exemplar}); no pairing between "
                                         f"two current organisations")
            continue
        if "DROPPED" in g["notes"].upper() and not INCLUDE_DROPPED_FAST_FOLLOWERS:
            report.add("fast_followers", f"skipped {label}: source says the pairing was dropped "
                                         f"({g['notes']})")
            continue
        name, extra = split_name_note(g["trust_name_at_announcement"])
        rows.append({
            "follower_ods_code": follower,
            "exemplar_ods_code": exemplar,
            "name_at_announcement": name,
            "ods_code_at_announcement": g["ods_code_at_announcement"],
            "announced": g["announced"],
            "source_urls": " ; ".join(split_urls(g["source_urls"])),
            "notes": join_notes(extra, f"paired GDE at announcement: {g['paired_gde']}", g["notes"]),
        })
    return sorted(rows, key=lambda f: (f["exemplar_ods_code"], f["follower_ods_code"]))


# --------------------------------------------------------------------------------------
def build(shared_dir, out_dir, inputs_dir=SEED_DIR) -> Report:
    """Read the public data in shared_dir and the reviewed tables in inputs_dir; write
    the seed CSV files into out_dir. Returns the report; raises BuildError on bad input."""
    shared_dir, out_dir, inputs_dir = Path(shared_dir), Path(out_dir), Path(inputs_dir)
    if not shared_dir.is_dir():
        raise BuildError(f"shared data folder not found: {shared_dir}")
    report = Report()

    regions = build_regions(read_csv(shared_dir / F_REGIONS))
    region_codes = {r["ods_code"] for r in regions}
    trust_rows = read_csv(shared_dir / F_TRUSTS_OPEN)
    english = english_open_trusts(trust_rows, region_codes)
    for r in trust_rows:
        if not r["region_ods_code"]:
            report.add("organisations", f"excluded non-English trust {r['ods_code']} {r['name']}")
    icbs = build_icbs(english)
    organisations = build_organisations(english, read_csv(inputs_dir / F_ORG_TYPE_OVERRIDES), report)
    orgs_by_code = {o["ods_code"]: o for o in organisations}

    suppliers, systems = build_catalogue()
    system_slugs = {s["slug"] for s in systems}
    mapping = load_mapping(read_csv(inputs_dir / F_MAPPING), system_slugs)

    gde_rows = read_csv(shared_dir / F_GDE)
    successors, etr = load_successors(
        read_csv(inputs_dir / F_SUCCESSORS), read_csv(shared_dir / F_ETR_2026), set(orgs_by_code), gde_rows)
    deployments = build_deployments(
        read_csv(shared_dir / F_EPR_MAP), mapping, successors, etr, orgs_by_code, report)

    frameworks, lots = build_framework(gde_rows)
    exemplars = build_exemplars(gde_rows, set(orgs_by_code))
    fast_followers = build_fast_followers(gde_rows, set(orgs_by_code), report)

    tables = {
        "regions.csv": regions,
        "icbs.csv": icbs,
        "organisations.csv": organisations,
        "suppliers.csv": suppliers,
        "systems.csv": systems,
        "deployments.csv": deployments,
        "frameworks.csv": frameworks,
        "lots.csv": lots,
        "exemplars.csv": exemplars,
        "fast_followers.csv": fast_followers,
    }
    # Final referential checks across the generated tables.
    for d in deployments:
        if d["ods_code"] not in orgs_by_code:
            raise BuildError(f"deployment {d['ods_code']}/{d['system_slug']}: unknown organisation")
        if d["system_slug"] not in system_slugs:
            raise BuildError(f"deployment {d['ods_code']}: unknown system {d['system_slug']}")
    icb_codes = {i["ods_code"] for i in icbs}
    for o in organisations:
        if o["icb_ods_code"] not in icb_codes or o["region_ods_code"] not in region_codes:
            raise BuildError(f"organisation {o['ods_code']}: unknown ICB or region")
    write_outputs(out_dir, tables)
    for name in OUTPUT_COLUMNS:
        report.add("written", f"{name}: {len(tables[name])} rows")
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=str(DEFAULT_SHARED),
                        help="folder with the public data files (default: ../shared/data from the repo root)")
    parser.add_argument("--out", default=str(SEED_DIR), help="output folder (default: seed/)")
    args = parser.parse_args(argv)
    try:
        report = build(Path(args.shared), Path(args.out))
    except BuildError as exc:
        print(f"seed build FAILED: {exc}", file=sys.stderr)
        return 1
    print(report.text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
