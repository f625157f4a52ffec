"""The audit log's kinds of object in people's words.

The log stores the kind of each object as its model's name ("AdmissionApplication"). People read
"Admission application". The log knows nothing of what it records: a kind's name is split into
words, and a domain whose model name reads badly that way tells the log its own words
(`register_label("CheckIn", "Quarterly check-in")`), as it tells the log what is sealed.
"""
from __future__ import annotations

import re

_LABELS: dict[str, str] = {}
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def register_label(object_type: str, label: str) -> None:
    """Say `object_type` (a model name in the log) as `label` wherever the log shows it."""
    _LABELS[object_type] = label


def object_label(object_type: str) -> str:
    """ "AdmissionApplication" → "Admission application"; "OCDSRelease" → "OCDS release"."""
    if object_type in _LABELS:
        return _LABELS[object_type]
    words = _WORD_START.sub(" ", object_type).replace("_", " ").split()
    if not words:
        return object_type
    return " ".join([words[0]] + [w if w.isupper() and len(w) > 1 else w.lower() for w in words[1:]])
