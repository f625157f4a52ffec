"""Compiling OCDS releases into a record's compiled release: the OCDS 1.1 merge routine.

Pure functions on plain JSON values. The rules, from the standard's "Merging" guidance:
  * releases are applied oldest first (by `date`);
  * objects merge field by field; a field set to null in a later release is removed;
  * an array whose items are all objects with an `id` is merged item by item on that id
    ("identifier merge"), keeping first-seen order;
  * any other array (strings, objects without ids, or a field marked wholeListMerge in the
    schema) is replaced as a whole;
  * the release-level `id`, `date` and `tag` are not merged (omitWhenMerged): the compiled
    release gets tag ["compiled"], the date of the newest release and an id made of the ocid and
    that date.
"""
from __future__ import annotations

import copy
from typing import Any, Iterable

#: Fields that the release schema marks wholeListMerge (their arrays are replaced, never merged).
WHOLE_LIST_FIELDS = frozenset({"additionalIdentifiers", "additionalClassifications"})
OMIT_WHEN_MERGED = frozenset({"id", "date", "tag"})


def _is_identified_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) and "id" in i for i in value)


def _merge_list(current: list, new: list) -> list:
    result = [copy.deepcopy(i) for i in current] if _is_identified_list(current) else []
    index = {str(i["id"]): n for n, i in enumerate(result)}
    for item in new:
        key = str(item["id"])
        if key in index:
            result[index[key]] = merge_value(result[index[key]], item)
        else:
            index[key] = len(result)
            result.append(merge_value({}, item))
    return result


def merge_value(current: Any, new: Any, field: str = "") -> Any:
    """`new` applied on top of `current` under the merge rules (inputs are not changed)."""
    if isinstance(new, dict):
        base = copy.deepcopy(current) if isinstance(current, dict) else {}
        for key, value in new.items():
            if value is None:
                base.pop(key, None)
                continue
            merged = merge_value(base.get(key), value, key)
            if merged is None or merged == {}:
                base.pop(key, None)
            else:
                base[key] = merged
        return base
    if isinstance(new, list):
        if field not in WHOLE_LIST_FIELDS and _is_identified_list(new):
            return _merge_list(current if isinstance(current, list) else [], new)
        return copy.deepcopy(new)
    return new


def compile_releases(releases: Iterable[dict]) -> dict:
    """The compiled release of one contracting process's releases."""
    ordered = sorted(releases, key=lambda r: r["date"])  # stable: same-moment releases keep their order
    if not ordered:
        raise ValueError("no releases to compile")
    ocids = {r["ocid"] for r in ordered}
    if len(ocids) != 1:
        raise ValueError(f"releases of several processes given: {sorted(ocids)}")
    compiled: dict = {}
    for release in ordered:
        compiled = merge_value(compiled, {k: v for k, v in release.items() if k not in OMIT_WHEN_MERGED})
    latest = ordered[-1]["date"]
    compiled.update({"ocid": ordered[0]["ocid"], "id": f"{ordered[0]['ocid']}-{latest}", "date": latest,
                     "tag": ["compiled"]})
    return compiled
