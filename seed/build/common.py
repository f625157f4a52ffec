"""What every step of the seed build shares: file names, output columns, reading and writing CSV,
the error that stops a build and the report printed after one. Stdlib only."""
from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

SEED_DIR = Path(__file__).resolve().parents[1]
REPO_ROOT = SEED_DIR.parent

# Public input files (in the shared data folder)
F_REGIONS = "nhs_england_regions_7.csv"
F_TRUSTS_OPEN = "nhs_trusts_open_2026_region_icb.csv"
F_ETR_2026 = "etr_nhs_trusts_2026.csv"
F_EPR_MAP = "epr_supplier_by_trust_2026.csv"
F_GDE = "gde_exemplars_fast_followers.csv"
F_THRESHOLDS = "hhi_thresholds.csv"

# Hand-written, reviewed inputs (in seed/)
F_MAPPING = "system_name_mapping.csv"
F_SUPPLIER_MAPPING = "supplier_name_mapping.csv"
F_ORG_TYPE_OVERRIDES = "org_type_overrides.csv"
F_SUCCESSORS = "successors.csv"
F_RULES_REVIEWED = "alert_rules_reviewed.csv"

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
        "ods_code", "system_slug", "status", "since", "until", "expected_on", "source_supplier_text",
        "source_product_text", "source_status_text", "source_status_code", "status_as_of", "source_url",
        "confidence", "historical", "foi_2024_only", "notes",
    ],
    "no_system.csv": [
        "ods_code", "category", "known_from", "until", "source_supplier_text", "source_product_text",
        "source_status_text", "status_as_of", "source_url", "confidence", "foi_2024_only", "notes",
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
    "concentration_alert_rules.csv": [
        "slug", "name", "metric", "threshold", "delta_threshold", "severity", "active", "regime",
        "band_or_test", "published_threshold", "source_urls", "source_kind", "source_kind_text", "verified",
        "notes",
    ],
    "hhi_regimes.csv": [
        "regime", "band_or_test", "published_threshold", "notes", "source_urls", "source_kind",
        "source_kind_text", "verified",
    ],
}


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


def default_shared() -> Path:
    """Where the public data is: $EXEMPLAR_SHARED_DATA, else the first `shared/data` folder beside
    the repository or one of its parents (a worktree sits a level or two below the checkout)."""
    env = os.environ.get("EXEMPLAR_SHARED_DATA")
    if env:
        return Path(env)
    for parent in REPO_ROOT.parents:
        candidate = parent / "shared" / "data"
        if (candidate / F_TRUSTS_OPEN).is_file():
            return candidate
    return REPO_ROOT.parent / "shared" / "data"


def read_csv(path: Path) -> list[dict[str, str]]:
    """Every row of a UTF-8 CSV file with a header; a missing file stops the build."""
    if not path.is_file():
        raise BuildError(f"missing input file: {path}")
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def render_csv(columns: list[str], rows: list[dict[str, str]]) -> bytes:
    """The exact bytes of an output file: header, `\\n` line endings, UTF-8 (so reruns compare equal)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buf.getvalue().encode("utf-8")


def write_outputs(out_dir: Path, tables: dict[str, list[dict[str, str]]]) -> None:
    """Write every output file; called only once every table has passed its checks."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, columns in OUTPUT_COLUMNS.items():
        (out_dir / name).write_bytes(render_csv(columns, tables[name]))


_URL = re.compile(r"https?://[^\s;]+")


def urls_in(text: str) -> list[str]:
    """The web addresses in a source field, whether separated by spaces or by ' ; '."""
    return _URL.findall(text or "")


def join_urls(text: str) -> str:
    """A source field's addresses in the seed files' one form: joined with ' ; '."""
    return " ; ".join(urls_in(text))


def iso_from_yyyymmdd(value: str) -> str:
    """An ODS date (YYYYMMDD) as ISO; anything else is an inconsistent input."""
    if not re.fullmatch(r"\d{8}", value or ""):
        raise BuildError(f"bad ODS date {value!r}")
    return f"{value[0:4]}-{value[4:6]}-{value[6:8]}"


def join_notes(*parts: str) -> str:
    return "; ".join(p for p in parts if p)


def flag(value: bool) -> str:
    return "true" if value else "false"
