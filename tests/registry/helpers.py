"""Shared helpers for the register tests (not fixtures: those are in conftest.py)."""
from __future__ import annotations

from contextlib import contextmanager

from flask import g
from sqlalchemy import func, select

from app.audit.models import AuditEvent

OTHER_ROLES = ["follower_buyer", "evaluator", "exemplar_manager", "auditor"]

FRAMEWORK_FORM = {
    "name": "Digital Exemplars 2027", "slug": "dx-2027", "description": "The next framework",
    "starts_on": "2027-04-01", "ends_on": "2031-03-31", "source_url": "https://www.england.nhs.uk/dx",
    "quality_weight_min": "50", "quality_weight_max": "70", "min_invitees": "3", "clarification_days": "5",
    "response_days": "10", "standstill_days": "8", "max_calloff_months": "24", "standstill_rule": "flexible",
    "over_budget_may_win": "yes",
    "direct_award_allowed": "no",
    "criteria": "Clinical capability\nTrack record\n\n  Social value  ",
}


def urls(w) -> dict[str, tuple[str, dict]]:
    """Every admin page, with a valid form for it."""
    return {
        "new_framework": ("/frameworks/new", FRAMEWORK_FORM),
        "edit_framework": ("/frameworks/admin-fw/edit", {**FRAMEWORK_FORM, "name": "Renamed framework"}),
        "framework_status": ("/frameworks/admin-fw/status", {"status": "expired"}),
        "new_lot": ("/frameworks/admin-fw/lots/new", {"number": "3", "name": "Community", "description": "New"}),
        "edit_lot": ("/frameworks/admin-fw/lots/1/edit", {"name": "Acute (renamed)", "description": "Changed"}),
        "new_deployment": (f"/organisations/{w['trust'].ods_code}/deployments/new",
                           {"system": "test-epr", "status": "planned", "confidence": "medium",
                            "source_url": "https://example.org/news", "notes": "Contract signed"}),
        "end_deployment": (f"/deployments/{w['deployment'].id}/end", {"until": "2026-06-30", "reason": "Replaced"}),
    }


PAGES = ["new_framework", "edit_framework", "framework_status", "new_lot", "edit_lot",
         "new_deployment", "end_deployment"]


def last_entry(session) -> AuditEvent:
    return session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()


def entry_count(session) -> int:
    return session.scalar(select(func.count()).select_from(AuditEvent))


def page(response) -> str:
    return response.get_data(as_text=True)


def followed(client, response) -> str:
    """The page a redirect leads to (with its flash message)."""
    assert response.status_code == 302, response.status_code
    g.pop("_login_user", None)
    return page(client.get(response.headers["Location"]))


@contextmanager
def nothing_recorded(session):
    """The block must change nothing in the audit log (it is expected to be refused)."""
    before = entry_count(session)
    yield
    assert entry_count(session) == before


@contextmanager
def caught(signal):
    """Collect the (sender, kwargs) of every send of a signal inside the block."""
    calls = []

    def receiver(sender, **kwargs):
        calls.append((sender, kwargs))

    with signal.connected_to(receiver):
        yield calls
