"""Checking the audit chain from the audit pages: a step a request with its progress, ending in the
same result as `flask audit verify`, intact or broken at the same entry."""
from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import select, text

from app.audit.models import AuditEvent
from app.audit.services import verify_chain


def _walk(client, app, step=150):
    """Start the check and follow each "Continue checking" link, as a person without JavaScript
    does; returns the pages seen."""
    app.config["AUDIT_VERIFY_STEP"] = step
    intro = client.get("/audit/verify").get_data(as_text=True)
    url = html.unescape(re.search(r'href="(/audit/verify\?walk=[^"]+)"', intro).group(1))
    pages = []
    for _ in range(1000):
        page = client.get(url)
        assert page.status_code == 200
        pages.append(page.get_data(as_text=True))
        following = re.search(r'<a href="([^"]+)" data-app-next>', pages[-1])
        if following is None:
            return pages
        url = html.unescape(following.group(1))
    raise AssertionError("the check never ended")


@pytest.fixture()
def reset_step(app):
    yield
    app.config["AUDIT_VERIFY_STEP"] = 20_000


def test_the_auditor_checks_an_intact_chain_in_steps_with_progress(client, as_role, db_session, app, reset_step):
    as_role("auditor")
    expected = verify_chain()
    assert expected.ok and expected.checked > 300
    pages = _walk(client, app)
    assert len(pages) >= 3
    assert re.search(r"Checked 150 of [\d,]+ entries \(\d+%\)", pages[0]) and "<progress" in pages[0]
    assert "The audit chain is intact" in pages[-1]
    assert f"{expected.checked:,} entries verified" in pages[-1]


def test_a_changed_entry_is_reported_where_the_command_line_reports_it(client, as_role, db_session, app, reset_step):
    ids = db_session.execute(select(AuditEvent.id).order_by(AuditEvent.id)).scalars().all()
    victim = ids[len(ids) * 2 // 3]
    db_session.execute(text("UPDATE audit_events SET summary = 'nothing to see' WHERE id = :id"), {"id": victim})
    expected = verify_chain()
    assert expected.first_broken_id == victim
    as_role("auditor")
    result = _walk(client, app)[-1]
    assert "The audit chain is broken" in result
    assert f"The chain breaks at entry {victim}: its content does not match its hash." in result
    assert f"{expected.checked:,} entries before it verified" in result


def test_each_step_answers_in_json_for_the_page_script(client, as_role, db_session, app, reset_step):
    as_role("commercial_admin")
    app.config["AUDIT_VERIFY_STEP"] = 100
    intro = client.get("/audit/verify").get_data(as_text=True)
    url = html.unescape(re.search(r'href="(/audit/verify\?walk=[^"]+)"', intro).group(1))
    walk = client.get(url + "&format=json").get_json()
    assert walk["checked"] == 100 and walk["done"] is False and walk["next"].startswith("/audit/verify?walk=")


def test_a_progress_edited_in_the_address_is_refused(client, as_role, db_session):
    as_role("auditor")
    assert client.get("/audit/verify?walk=WzAsIjAwMDAiLDk5OTk5LG51bGwsbnVsbCwxLHRydWUsbnVsbF0").status_code == 400


@pytest.mark.parametrize("role", ["follower_buyer", "evaluator", "exemplar_manager"])
def test_only_auditors_and_the_commercial_team_check_the_chain(client, as_role, role):
    as_role(role)
    assert client.get("/audit/verify").status_code == 403


def test_the_page_checks_the_sealed_journals_too_without_naming_a_sealed_one(client, as_role, db_session, app,
                                                                             reset_step, monkeypatch):
    """Same as `flask audit verify`: a tampered sealed journal makes the result broken, and a journal
    still sealed is not named (which competitions have bids stays secret)."""
    from sqlalchemy import literal, union_all

    from app.audit import sealing
    from app.audit.services import record

    monkeypatch.setattr(sealing, "_SEALED", dict(sealing._SEALED))
    monkeypatch.setattr(sealing, "_JOURNAL_OF", dict(sealing._JOURNAL_OF))
    sealing.register("Thing", lambda: union_all(select(literal("7"))), journal_of=lambda *_: "things-secret-1")
    as_role("auditor")
    entry = record("thing.touch", object_type="Thing", object_id=7, summary="quokka touched")
    result = _walk(client, app, step=5000)[-1]
    assert "The audit chain is intact" in result and "The sealed journals are intact" in result
    db_session.execute(text("UPDATE sealed_audit_entries SET summary = 'nothing' WHERE id = :id"), {"id": entry.id})
    db_session.expire_all()
    result = _walk(client, app, step=5000)[-1]
    assert "The audit chain is intact" in result  # the main chain is untouched
    assert "A sealed journal is broken" in result and "A journal still sealed (not named until its deadline)" in result
    assert "things-secret-1" not in result


def test_a_broken_bidders_journal_still_sealed_is_reported_without_naming_its_competition_or_bidder(
        client, as_role, db_session, app, reset_step):
    """Like `flask audit verify`: every sealed journal after the chain. A broken journal of one bidder,
    still sealed, is reported without its competition or bidder, and how many journals are sealed is
    never shown."""
    from app.audit.entries import Fields, append_sealed
    from app.models_base import utcnow

    key = "competition-424242/bidder-99"
    for n in (1, 2):
        append_sealed(key, Fields(utcnow(), None, "system (clock)", "bid.submit", "Bid", str(9000 + n),
                                  f"Sealed bid revision {n}", None, None))
    as_role("auditor")
    intact = _walk(client, app)[-1]
    assert "The audit chain is intact" in intact and "The sealed journals are intact" in intact
    assert "424242" not in intact
    db_session.execute(text("UPDATE sealed_audit_entries SET summary = 'changed' WHERE journal_key = :k "
                            "AND position = 2"), {"k": key})
    broken = _walk(client, app)[-1]
    assert "A sealed journal is broken" in broken and "The sealed journals are intact" not in broken
    assert "A journal still sealed (not named until its deadline): broken at its entry 2" in broken
    assert "424242" not in broken and "bidder-99" not in broken
