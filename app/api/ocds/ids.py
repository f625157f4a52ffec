"""The identifiers this publisher gives its contracting processes, from the configured ocid
prefix (OCDS_PREFIX): "<prefix>-fw-<slug>" for a framework, "<prefix>-co-<id>" for a call-off."""
from __future__ import annotations

from flask import current_app

from . import releases


def prefix() -> str:
    return current_app.config["OCDS_PREFIX"]


def framework_ocid(slug: str) -> str:
    return releases.framework_ocid(prefix(), slug)


def calloff_ocid(competition_id: int | str) -> str:
    return releases.calloff_ocid(prefix(), competition_id)
