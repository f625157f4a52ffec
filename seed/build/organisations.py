"""Regions, integrated care boards and trusts from the ODS extract, with each trust's type.

Trust type is not in ODS: it comes from the name (first matching rule wins; default acute) or from
the reviewed table org_type_overrides.csv, each override with its reason.
"""
from __future__ import annotations

import re

from app.registry.trust_types import ORG_TYPE_NAME_RULES, org_type_from_name  # noqa: F401  (one home for the rule)

from .common import F_ORG_TYPE_OVERRIDES, BuildError, iso_from_yyyymmdd

ORG_TYPES = ("acute", "mental_health", "community", "ambulance", "specialist")

# The six ICB codes created by the 1 April 2026 mergers; their names in the derived
# trusts file are INFERRED (see ../shared/data/README.md).
INFERRED_ICB_CODES = frozenset({"Z9B2Z", "D7T5G", "S9B9J", "S0E4D", "S1Y5D", "T6Y0W"})
INFERRED_NAME_SUFFIX = re.compile(r"\s*\(merged 1 Apr 2026; name inferred\)\s*$")

# --------------------------------------------------------------------------------------
def build_regions(regions_rows):
    """The seven NHS England regions."""
    rows = [
        {"ods_code": r["region_ods_code"], "ons_code": r["region_ons_code"], "name": r["region_name"]}
        for r in regions_rows
    ]
    if len(rows) != 7:
        raise BuildError(f"expected 7 NHS England regions, found {len(rows)}")
    return sorted(rows, key=lambda r: r["ods_code"])


def english_open_trusts(trust_rows, region_codes):
    """The open trusts with an NHS England region (the Welsh trusts have none)."""
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
    """The ICBs the open English trusts belong to; trusts must agree on each ICB's name and region."""
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


def build_organisations(english, overrides_rows, report):
    """One row per open English trust, typed by name or by a reviewed override."""
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
