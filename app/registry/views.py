"""The register's pages: the navigation and template helpers they share, and the subjects' pages
(organisations/views.py, frameworks/views.py), all on the registry blueprint."""
from __future__ import annotations

from app.web import nav_item

from . import bp
from .vocab import CONFIDENCE, FRAMEWORK_STATUSES, ORG_KINDS, STANDARDS, STANDSTILL_RULES, SYSTEM_CATEGORIES, TRUST_TYPES

nav_item("registry.organisations", "Register", 10, prefix="/organisations")
nav_item("registry.frameworks", "Frameworks", 20, prefix="/frameworks")
nav_item("registry.systems", "Systems", 30, prefix="/systems")


@bp.app_context_processor
def _vocab():
    return {"kinds": ORG_KINDS, "trust_types": TRUST_TYPES, "confidence": CONFIDENCE,
            "categories": SYSTEM_CATEGORIES, "framework_statuses": FRAMEWORK_STATUSES,
            "standstill_rules": STANDSTILL_RULES}


@bp.app_template_filter("standard_label")
def _standard_label(code: str) -> str:
    return STANDARDS.get(code, code)


from .exclusions import views as _exclusions  # noqa: E402,F401  (adds the subjects' pages to the blueprint)
from .frameworks import views as _frameworks  # noqa: E402,F401
from .organisations import views as _organisations  # noqa: E402,F401
