"""The trust type an official ODS name reveals (pure).

ODS does not record whether a trust is acute, mental health, community, ambulance or specialist.
The seed build (seed/build) and the register's CSV import both type a trust by these name rules, so
they live here once; reviewed exceptions are in seed/org_type_overrides.csv.
"""
from __future__ import annotations

import re

#: First matching rule wins; acute by default.
ORG_TYPE_NAME_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("ambulance", re.compile(r"\bAMBULANCE\b")),
    ("mental_health", re.compile(r"\bMENTAL HEALTH\b")),
    ("community", re.compile(r"\bCOMMUNITY\b")),
    ("specialist", re.compile(
        r"\bCHILDREN'?S?\b|\bWOMEN'?S\b|\bORTHOPAEDIC\b|\bCANCER\b|\bEYE HOSPITAL\b|\bHEART AND CHEST\b"
    )),
]


def org_type_from_name(name: str) -> str:
    """The trust type its official name reveals (first matching rule; acute by default)."""
    for org_type, pattern in ORG_TYPE_NAME_RULES:
        if pattern.search(name):
            return org_type
    return "acute"
