"""Writing the audit log: record() appends chained entries in the caller's transaction."""
from __future__ import annotations

import json
from datetime import timezone

import pytest
from sqlalchemy import func, select

from app.audit import chain
from app.audit.models import AuditEvent
from app.audit.services import changed, record, snapshot, verify_chain
from app.registry import services
from app.registry.models import Framework


def last_entry(session) -> AuditEvent:
    return session.execute(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).scalar_one()


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def test_an_entry_points_to_the_hash_of_the_entry_before_it(db_session, make):
    before = last_entry(db_session)
    org = make.org()
    first = record("test.first", org, summary="first")
    second = record("test.second", org, summary="second")
    assert first.prev_hash == before.hash
    assert second.prev_hash == first.hash
    assert first.id < second.id
    assert len({before.hash, first.hash, second.hash}) == 3


def test_an_entry_keeps_who_what_when_and_before_and_after(db_session, make):
    admin = make.user("commercial_admin", org=make.org("X24"))
    org = make.org(name="ENTRY TEST NHS TRUST")
    entry = record("organisation.rename", org, before={"name": "OLD"}, after={"name": "NEW"},
                   summary="Renamed a trust", actor=admin)
    assert entry.actor_id == admin.id
    assert entry.actor_label == f"{admin.name} <{admin.email}> (X24)"
    assert (entry.action, entry.object_type, entry.object_id) == ("organisation.rename", "Organisation", str(org.id))
    assert json.loads(entry.before) == {"name": "OLD"} and json.loads(entry.after) == {"name": "NEW"}
    assert entry.summary == "Renamed a trust"
    assert entry.occurred_at.tzinfo is not None and entry.occurred_at.utcoffset().total_seconds() == 0


def test_the_stored_hash_covers_every_field(db_session, make):
    entry = record("test.hash", make.org(), before={"a": 1}, after={"a": 2}, summary="hashed")
    assert entry.hash == chain.entry_hash(entry.prev_hash, entry.occurred_at.isoformat(), entry.actor_label,
                                          entry.action, entry.object_type, entry.object_id, entry.summary,
                                          entry.before, entry.after)


def test_an_entry_survives_the_round_trip_through_the_database_unchanged(db_session, make):
    entry = record("test.roundtrip", make.org(), after={"when": "now"}, summary="round trip")
    entry_id = entry.id
    db_session.expire_all()
    stored = db_session.get(AuditEvent, entry_id)
    assert stored.hash == chain.entry_hash(stored.prev_hash, stored.occurred_at.astimezone(timezone.utc).isoformat(),
                                           stored.actor_label, stored.action, stored.object_type, stored.object_id,
                                           stored.summary, stored.before, stored.after)


def test_without_an_actor_or_a_request_the_entry_is_the_command_line(db_session, make):
    entry = record("test.cli", make.org())
    assert entry.actor_id is None
    assert entry.actor_label == "system (command line)"


def test_an_entry_without_an_object_needs_an_object_type(db_session):
    with pytest.raises(ValueError):
        record("test.nothing")
    entry = record("test.typed", object_type="DemoData", object_id=7)
    assert (entry.object_type, entry.object_id) == ("DemoData", "7")


def test_record_flushes_a_new_object_so_the_entry_has_its_id(db_session):
    fw = Framework(slug="audit-flush", name="Flush test", status="draft")
    db_session.add(fw)
    entry = record("framework.create", fw)
    assert fw.id is not None and entry.object_id == str(fw.id)


def test_a_rollback_removes_both_the_change_and_its_entry(db_session):
    frameworks, entries = count(db_session, Framework), count(db_session, AuditEvent)
    services.create_framework(slug="rolled-back", name="Rolled back")
    assert count(db_session, AuditEvent) == entries + 1
    db_session.rollback()
    assert count(db_session, Framework) == frameworks
    assert count(db_session, AuditEvent) == entries
    assert db_session.execute(select(Framework).where(Framework.slug == "rolled-back")).first() is None


def test_a_commit_keeps_the_change_and_its_entry_together(db_session):
    services.create_framework(slug="kept", name="Kept")
    db_session.commit()
    fw = db_session.execute(select(Framework).where(Framework.slug == "kept")).scalar_one()
    entry = last_entry(db_session)
    assert (entry.action, entry.object_id) == ("framework.create", str(fw.id))


def test_an_audit_entry_cannot_be_edited(db_session, make):
    entry = record("test.immutable", make.org(), summary="as it happened")
    entry.summary = "rewritten"
    with pytest.raises(RuntimeError, match="append-only"):
        db_session.flush()
    db_session.rollback()


def test_an_audit_entry_cannot_be_deleted(db_session, make):
    entry = record("test.undeletable", make.org())
    db_session.delete(entry)
    with pytest.raises(RuntimeError, match="append-only"):
        db_session.flush()
    db_session.rollback()


def test_the_chain_still_verifies_after_new_entries(db_session, make):
    org = make.org()
    for i in range(3):
        record("test.more", org, after={"i": i})
    report = verify_chain(batch=7)  # small batches: the walk must carry the link across them
    assert report.ok, report
    assert report.checked == count(db_session, AuditEvent)


def test_a_snapshot_has_the_columns_but_never_the_password_hash(db_session, make):
    user = make.user("auditor")
    snap = snapshot(user)
    assert snap["email"] == user.email
    assert "password_hash" not in snap


def test_creating_a_user_does_not_put_the_password_in_the_log(db_session, make):
    from app.accounts.services import create_user

    create_user(email="New.Person@Example.NHS.uk", name="New Person", organisation=make.org(),
                roles=["auditor"], password="a secret password 123")
    entry = last_entry(db_session)
    assert entry.action == "user.create"
    assert "a secret password" not in (entry.after or "") + entry.summary
    assert "argon2" not in (entry.after or "")
    assert json.loads(entry.after)["email"] == "new.person@example.nhs.uk"


def test_changed_lists_only_the_fields_that_differ():
    assert changed({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": (2, 3), "c": (None, 4)}
