"""Compiling a contracting process's releases into its compiled release, with the Open
Contracting Partnership's `ocdsmerge` (the reference implementation of the OCDS merge routine).

ocdsmerge reads its merge rules (`wholeListMerge`, `omitWhenMerged`) from the release schema. It
is given the schema as a dict, built from the copies kept in app/api/ocds/schema (OCDS 1.1.5 with
the bids and techniques extensions the packages declare), so it never fetches one: given no
schema, or a URL, it would download the latest from the Open Contracting site.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import ocdsmerge

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
STANDARD = SCHEMA_DIR / "standard-1.1.5" / "release-schema.json"
#: The extensions the packages declare (app/api/ocds/releases.EXTENSIONS), merged into the standard.
EXTENSIONS = (SCHEMA_DIR / "extensions" / "bids-v1.1.5" / "release-schema.json",
              SCHEMA_DIR / "extensions" / "techniques" / "release-schema.json")


def merge_patch(target: Any, patch: Any) -> Any:
    """RFC 7386 JSON Merge Patch: objects merge recursively, null deletes, anything else replaces.
    How OCDS extensions are applied to the release schema."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def release_schema() -> dict:
    """The standard release schema with the extensions merged in (a new dict each call)."""
    schema = json.loads(STANDARD.read_text(encoding="utf-8"))
    for path in EXTENSIONS:
        schema = merge_patch(schema, json.loads(path.read_text(encoding="utf-8")))
    return schema


@lru_cache(maxsize=1)
def merger() -> ocdsmerge.Merger:
    """One Merger for the process: the merge rules are read from the schema once."""
    return ocdsmerge.Merger(schema=release_schema())


def compile_releases(releases: Iterable[dict]) -> dict:
    """The compiled release of one contracting process's releases (oldest first by date; releases
    of the same moment keep their order). Refused: no releases, or releases of several processes."""
    releases = list(releases)
    if not releases:
        raise ValueError("no releases to compile")
    ocids = {r["ocid"] for r in releases}
    if len(ocids) != 1:
        raise ValueError(f"releases of several processes given: {sorted(ocids)}")
    return merger().create_compiled_release(releases)
