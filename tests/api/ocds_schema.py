"""Validating OCDS packages against the official schemas kept in ../shared/ocds.

The release schema is OCDS 1.1.5 with the bids and techniques extensions, then the UK extension's
dependencies and the UK extension last (../shared/ocds/README.md), merged in with JSON Merge Patch
(RFC 7386), as the extension tooling does. The schemas are draft 4 and refer to each other
by URL; a `referencing` registry serves those URLs from the local files, so nothing is fetched.
Formats are checked (date-time, uri, ...): jsonschema checks those two only with optional
packages, so small checkers for them are added here.

No Flask and no database: the unit tests use this too.
"""
from __future__ import annotations

import json
import os
import re
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from jsonschema import Draft4Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from app.api.ocds.compile import merge_patch

#: ../shared/ocds beside the repository (as in CI); OCDS_SCHEMAS names another copy (a work tree elsewhere).
OCDS_DIR = Path(os.environ.get("OCDS_SCHEMAS") or Path(__file__).resolve().parents[2] / ".." / "shared" / "ocds")
STANDARD = OCDS_DIR / "standard-1.1.5"
EXTENSIONS = ("bids-v1.1.5", "techniques", "awardCriteria", "communication", "location", "otherRequirements",
              "performance_failures", "subcontracting", "suitability", "uk")
BASE = "https://standard.open-contracting.org/schema/1__1__5/"

RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


def skip_without_schemas() -> None:
    if not (STANDARD / "release-package-schema.json").exists():
        pytest.skip(f"the OCDS schemas are not there: expected them in {OCDS_DIR.resolve()} "
                    "(the shared folder beside the repository)")


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def release_schema() -> dict:
    schema = _load(STANDARD / "release-schema.json")
    for name in EXTENSIONS:
        schema = merge_patch(schema, _load(OCDS_DIR / "extensions" / name / "release-schema.json"))
    return schema


def format_checker() -> FormatChecker:
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value) -> bool:
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            raise ValueError(f"{value!r} is not an RFC 3339 date-time")
        datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return True

    @checker.checks("uri", raises=ValueError)
    def _uri(value) -> bool:
        if not isinstance(value, str):
            return True
        parts = urlsplit(value)
        if not parts.scheme or not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*$", parts.scheme) or " " in value:
            raise ValueError(f"{value!r} is not an absolute URI")
        if parts.scheme in ("http", "https") and not parts.netloc:
            raise ValueError(f"{value!r} has no host")
        return True

    return checker


@lru_cache(maxsize=1)
def _registry() -> Registry:
    resources = {
        BASE + "release-schema.json": release_schema(),
        BASE + "versioned-release-validation-schema.json": _load(STANDARD / "versioned-release-validation-schema.json"),
        BASE + "release-package-schema.json": _load(STANDARD / "release-package-schema.json"),
        BASE + "record-package-schema.json": _load(STANDARD / "record-package-schema.json"),
    }
    return Registry().with_resources(
        (uri, Resource(contents=contents, specification=DRAFT4)) for uri, contents in resources.items())


def _validator(name: str) -> Draft4Validator:
    skip_without_schemas()
    registry = _registry()
    schema = registry[BASE + name].contents
    return Draft4Validator(schema, registry=registry, format_checker=format_checker())


def errors(package: dict, kind: str = "release") -> list[str]:
    """Every schema error of a release package (kind="release") or record package ("record")."""
    validator = _validator(f"{kind}-package-schema.json")
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}"
            for e in sorted(validator.iter_errors(package), key=lambda e: list(map(str, e.absolute_path)))]


def release_errors(release: dict) -> list[str]:
    skip_without_schemas()
    validator = Draft4Validator(release_schema(), registry=_registry(), format_checker=format_checker())
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(release)]


def assert_valid(package: dict, kind: str = "release") -> None:
    problems = errors(package, kind)
    assert not problems, "\n".join(problems[:20])
