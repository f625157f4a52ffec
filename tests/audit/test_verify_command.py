"""`flask audit verify`: passes on an intact log, names the first broken entry and exits 1."""
from __future__ import annotations

import re

from sqlalchemy import func, select, text

from app.audit.models import AuditEvent
from app.audit.services import record


def entry_ids(session) -> list[int]:
    return session.execute(select(AuditEvent.id).order_by(AuditEvent.id)).scalars().all()


def test_the_chain_of_the_seeded_database_is_intact(runner, db_session):
    total = db_session.scalar(select(func.count()).select_from(AuditEvent))
    assert total > 0, "the demo data should have written audit entries"
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert f"Audit chain intact: {total} entries verified." in result.output


def test_an_entry_edited_in_the_database_is_reported_with_exit_code_1(runner, db_session):
    ids = entry_ids(db_session)
    victim = ids[len(ids) // 2]
    db_session.execute(text("UPDATE audit_events SET summary = 'nothing to see' WHERE id = :id"), {"id": victim})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"Audit chain BROKEN at entry {victim}:" in result.output
    assert "its content does not match its hash" in result.output
    assert f"({ids.index(victim)} entries verified before it)" in result.output


def test_the_first_of_several_broken_entries_is_the_one_reported(runner, db_session):
    ids = entry_ids(db_session)
    for victim in (ids[-1], ids[3], ids[-2]):
        db_session.execute(text("UPDATE audit_events SET action = 'x.y' WHERE id = :id"), {"id": victim})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert re.search(rf"BROKEN at entry {ids[3]}\b", result.output)


def test_an_entry_deleted_from_the_database_is_reported_at_the_next_entry(runner, db_session):
    ids = entry_ids(db_session)
    db_session.execute(text("DELETE FROM audit_events WHERE id = :id"), {"id": ids[5]})
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {ids[6]}:" in result.output
    assert "does not point to the hash of the entry before it" in result.output


def test_a_changed_before_value_is_detected(runner, db_session, make):
    entry = record("test.tamper", make.org(), before={"status": "draft"}, after={"status": "open"})
    db_session.execute(text("UPDATE audit_events SET before = :b WHERE id = :id"),
                       {"b": '{"status":"live"}', "id": entry.id})
    db_session.expire_all()  # the tampering happened behind the session's back
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at entry {entry.id}:" in result.output


def test_new_entries_keep_the_chain_intact(runner, db_session, make):
    org = make.org()
    record("test.one", org)
    record("test.two", org)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
