"""Build the Exemplar Exchange seed CSV files from the public data in ../shared/data.

Usage (from the repository root):
    python -m seed.build [--shared ../shared/data] [--out seed]

Stdlib only and deterministic: the same inputs always give byte-identical outputs
(UTF-8, ``\\n`` line endings, header row, rows sorted).

Inputs
    * the public data files in ``--shared`` (see ../shared/data/README.md);
    * the hand-written, reviewed tables kept in ``seed/``: ``system_name_mapping.csv``,
      ``supplier_name_mapping.csv``, ``org_type_overrides.csv``, ``successors.csv`` and
      ``alert_rules_reviewed.csv``.

Outputs (in ``--out``, default ``seed/``): see ``common.OUTPUT_COLUMNS``.

Rules: no invented facts, unknown stays unknown, source wording, URLs and confidence are kept.
Anything that cannot be attributed honestly is left out and listed in the printed report. The
build fails (exit 1, nothing written) when an input is inconsistent, e.g. the EPR map has a
supplier or a (supplier, product) pair the mapping tables lack, or a row's care setting disagrees
with its trust's type.

The steps live in modules of their own: ``organisations`` (regions, ICBs, trusts), ``catalogue``
(suppliers, systems, the mapping tables), ``dates`` (dates read from free text), ``epr``
(deployments and "no EPR" findings), ``exemplars`` (framework, lots, GDEs, fast followers) and
``thresholds`` (default alert rules and the published thresholds).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .catalogue import STANDARDS, SYSTEM_CATEGORIES, Catalogue, load_product_mapping, load_supplier_mapping
from .common import (
    F_EPR_MAP,
    F_ETR_2026,
    F_GDE,
    F_MAPPING,
    F_ORG_TYPE_OVERRIDES,
    F_REGIONS,
    F_RULES_REVIEWED,
    F_SUCCESSORS,
    F_SUPPLIER_MAPPING,
    F_THRESHOLDS,
    F_TRUSTS_OPEN,
    OUTPUT_COLUMNS,
    SEED_DIR,
    BuildError,
    Report,
    default_shared,
    read_csv,
    write_outputs,
)
from .epr import DEPLOYMENT_STATUSES, build_epr, load_successors
from .exemplars import build_exemplars, build_fast_followers, build_framework
from .organisations import (
    INFERRED_ICB_CODES,
    ORG_TYPES,
    build_icbs,
    build_organisations,
    build_regions,
    english_open_trusts,
    org_type_from_name,
)
from .thresholds import build_regimes, build_rules

__all__ = [
    "BuildError", "DEPLOYMENT_STATUSES", "F_EPR_MAP", "F_MAPPING", "F_ORG_TYPE_OVERRIDES", "F_RULES_REVIEWED",
    "F_SUCCESSORS", "F_SUPPLIER_MAPPING", "INFERRED_ICB_CODES", "ORG_TYPES", "OUTPUT_COLUMNS", "REVIEWED_INPUTS",
    "STANDARDS", "SYSTEM_CATEGORIES", "build", "main", "org_type_from_name",
]

#: The hand-written tables the build reads from seed/ (tests copy them to try broken inputs).
REVIEWED_INPUTS = (F_MAPPING, F_SUPPLIER_MAPPING, F_ORG_TYPE_OVERRIDES, F_SUCCESSORS, F_RULES_REVIEWED)


def build(shared_dir, out_dir, inputs_dir=SEED_DIR) -> Report:
    """Read the public data in shared_dir and the reviewed tables in inputs_dir; write the seed CSV
    files into out_dir. Returns the report; raises BuildError (writing nothing) on bad input."""
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

    catalogue = Catalogue()
    supplier_map = load_supplier_mapping(read_csv(inputs_dir / F_SUPPLIER_MAPPING), catalogue)
    product_map = load_product_mapping(read_csv(inputs_dir / F_MAPPING), catalogue)
    gde_rows = read_csv(shared_dir / F_GDE)
    successors, etr = load_successors(
        read_csv(inputs_dir / F_SUCCESSORS), read_csv(shared_dir / F_ETR_2026), set(orgs_by_code), gde_rows)
    deployments, no_system = build_epr(read_csv(shared_dir / F_EPR_MAP), catalogue, supplier_map, product_map,
                                       successors, etr, orgs_by_code, report)
    suppliers, systems = catalogue.tables()

    frameworks, lots = build_framework(gde_rows)
    exemplars = build_exemplars(gde_rows, set(orgs_by_code))
    fast_followers = build_fast_followers(gde_rows, set(orgs_by_code), report)
    thresholds = read_csv(shared_dir / F_THRESHOLDS)
    rules = build_rules(read_csv(inputs_dir / F_RULES_REVIEWED), thresholds)

    tables = {
        "regions.csv": regions, "icbs.csv": icbs, "organisations.csv": organisations,
        "suppliers.csv": suppliers, "systems.csv": systems, "deployments.csv": deployments,
        "no_system.csv": no_system, "frameworks.csv": frameworks, "lots.csv": lots,
        "exemplars.csv": exemplars, "fast_followers.csv": fast_followers,
        "concentration_alert_rules.csv": rules, "hhi_regimes.csv": build_regimes(thresholds),
    }
    _check_references(tables, region_codes)
    write_outputs(out_dir, tables)
    for name in OUTPUT_COLUMNS:
        report.add("written", f"{name}: {len(tables[name])} rows")
    return report


def _check_references(tables: dict[str, list[dict[str, str]]], region_codes: set[str]) -> None:
    """Every code a generated row refers to is a row of the generated tables."""
    orgs = {o["ods_code"] for o in tables["organisations.csv"]}
    systems = {s["slug"] for s in tables["systems.csv"]}
    suppliers = {s["slug"] for s in tables["suppliers.csv"]}
    for d in tables["deployments.csv"]:
        if d["ods_code"] not in orgs or d["system_slug"] not in systems:
            raise BuildError(f"deployment {d['ods_code']}/{d['system_slug']}: unknown organisation or system")
        if d["status"] not in DEPLOYMENT_STATUSES:
            raise BuildError(f"deployment {d['ods_code']}/{d['system_slug']}: bad status {d['status']!r}")
    for a in tables["no_system.csv"]:
        if a["ods_code"] not in orgs:
            raise BuildError(f"'no EPR' finding {a['ods_code']}: unknown organisation")
    for s in tables["systems.csv"]:
        if s["supplier_slug"] not in suppliers:
            raise BuildError(f"system {s['slug']}: unknown supplier {s['supplier_slug']}")
    icb_codes = {i["ods_code"] for i in tables["icbs.csv"]}
    for o in tables["organisations.csv"]:
        if o["icb_ods_code"] not in icb_codes or o["region_ods_code"] not in region_codes:
            raise BuildError(f"organisation {o['ods_code']}: unknown ICB or region")


def main(argv=None) -> int:
    """Command line: build, print the report; exit 1 with the reason on bad input."""
    parser = argparse.ArgumentParser(prog="python -m seed.build", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", default=str(default_shared()),
                        help="folder with the public data files (default: the shared/data folder beside the repository)")
    parser.add_argument("--out", default=str(SEED_DIR), help="output folder (default: seed/)")
    args = parser.parse_args(argv)
    try:
        report = build(Path(args.shared), Path(args.out))
    except BuildError as exc:
        print(f"seed build FAILED: {exc}", file=sys.stderr)
        return 1
    print(report.text())
    return 0
