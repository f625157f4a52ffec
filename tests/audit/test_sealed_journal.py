"""Sealed journals (app/audit/journal.py): entries about a sealed object stay out of the main
chain, in a journal with its own hash chain, until the domain opens it; then they join the main
chain after one opening entry, and `flask audit verify` checks both.

A made-up type, "Thing", is sealed here while its id is in a set, its journal "things-1".
"""
from __future__ import annotations

import pytest
from sqlalchemy import func, literal, select, text, union_all

from app.audit import journal, sealing
from app.audit.models import AuditEvent, SealedEntry, SealedJournal
from app.audit.services import SYSTEM_CLOCK, record, verify_chain, verify_journals

KEY = "things-1"


@pytest.fixture()
def sealed_things(monkeypatch, db_session):
    monkeypatch.setattr(sealing, "_SEALED", dict(sealing._SEALED))
    monkeypatch.setattr(sealing, "_JOURNAL_OF", dict(sealing._JOURNAL_OF))
    sealed: set[str] = {"7", "8"}
    sealing.register("Thing", lambda: _ids(sealed), journal_of=lambda object_type, object_id, obj: KEY)
    return sealed


def _ids(sealed: set[str]):
    """A SELECT of the given ids, as a registered type's sealed_ids() returns."""
    return union_all(*(select(literal(i)) for i in sorted(sealed)))


def _main(db_session) -> tuple[int, int]:
    return (db_session.scalar(select(func.count()).select_from(AuditEvent)),
            db_session.scalar(select(func.max(AuditEvent.id))))


def _open():
    return journal.open_journal(KEY, action="thing.opened", object_type="Thing", object_id=None,
                                summary="Things opened", actor=SYSTEM_CLOCK)


def test_an_entry_about_a_sealed_object_goes_to_its_journal_and_leaves_no_trace_in_the_main_chain(
        db_session, sealed_things):
    before = _main(db_session)
    entry = record("thing.touch", object_type="Thing", object_id=7, summary="quokka touched")
    record("thing.touch", object_type="Thing", object_id=8, summary="wombat touched")
    assert isinstance(entry, SealedEntry) and entry.journal_key == KEY and entry.position == 1
    assert _main(db_session) == before
    assert db_session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.summary.like("%touched%"))) == 0
    shown = record("thing.touch", object_type="Thing", object_id=9, summary="numbat touched")
    assert isinstance(shown, AuditEvent) and shown.id == before[1] + 1  # no id went missing
    assert verify_chain().ok and verify_journals().ok


def test_opening_joins_the_entries_to_the_main_chain_after_one_opening_entry(db_session, sealed_things):
    first = record("thing.touch", object_type="Thing", object_id=7, summary="quokka touched", after={"n": 1})
    second = record("thing.touch", object_type="Thing", object_id=8, summary="wombat touched")
    count, last = _main(db_session)
    opened_before = verify_journals().opened
    opening = _open()
    assert opening.id == last + 1 and opening.actor_label == "system (clock)" and opening.actor_id is None
    assert '"entries":2' in opening.after and second.hash in opening.after
    copies = db_session.execute(select(AuditEvent).where(AuditEvent.id > opening.id).order_by(AuditEvent.id)
                                ).scalars().all()
    assert [(c.summary, c.occurred_at, c.after) for c in copies] == [
        ("quokka touched", first.occurred_at, first.after), ("wombat touched", second.occurred_at, None)]
    assert [c.id for c in copies] == [last + 2, last + 3]
    assert db_session.get(SealedJournal, KEY).opening_event_id == opening.id
    assert verify_chain().ok
    report = verify_journals()
    assert report.ok and report.opened == opened_before + 1


def test_opening_again_does_nothing_and_later_entries_go_to_the_main_chain(db_session, sealed_things):
    record("thing.touch", object_type="Thing", object_id=7, summary="quokka touched")
    assert _open() is not None
    count = _main(db_session)[0]
    assert _open() is None and _main(db_session)[0] == count
    later = record("thing.touch", object_type="Thing", object_id=7, summary="still flagged sealed")
    assert isinstance(later, AuditEvent) and verify_journals().ok


def test_an_empty_journal_opens_with_an_entry_that_says_none_was_sealed(db_session, sealed_things):
    opening = _open()
    assert '"entries":0' in opening.after and verify_journals().ok and verify_chain().ok


def test_a_tampered_sealed_entry_is_reported_and_the_journal_is_not_opened(db_session, sealed_things):
    entry = record("thing.touch", object_type="Thing", object_id=7, summary="quokka touched")
    record("thing.touch", object_type="Thing", object_id=8, summary="wombat touched")
    db_session.execute(text("UPDATE sealed_audit_entries SET summary = 'nothing' WHERE id = :id"), {"id": entry.id})
    db_session.expire_all()
    report = verify_journals()
    assert not report.ok and report.problems[0].key == KEY and "entry 1" in report.problems[0].problem
    with pytest.raises(journal.JournalBroken):
        _open()


def test_an_entry_slipped_into_an_opened_journal_is_reported(db_session, sealed_things):
    record("thing.touch", object_type="Thing", object_id=7, summary="quokka touched")
    _open()
    db_session.execute(text(
        "INSERT INTO sealed_audit_entries (journal_key, position, occurred_at, actor_label, action, object_type, "
        "summary, prev_hash, hash) SELECT journal_key, 2, occurred_at, actor_label, action, object_type, 'extra', "
        "hash, CASE WHEN substr(hash, 1, 1) = 'f' THEN 'e' ELSE 'f' END || substr(hash, 2) "  # never its own hash
        "FROM sealed_audit_entries WHERE journal_key = :k AND position = 1"), {"k": KEY})
    report = verify_journals()
    assert not report.ok  # its chain may hold, but it no longer holds what the opening recorded


def test_verify_command_checks_the_journals_too(runner, db_session, sealed_things):
    entry = record("thing.touch", object_type="Thing", object_id=7, summary="quokka touched")
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "Sealed journals intact" in result.output
    assert KEY not in result.output  # a still-sealed journal is not named
    db_session.execute(text("UPDATE sealed_audit_entries SET action = 'x.y' WHERE id = :id"), {"id": entry.id})
    db_session.expire_all()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and f"Sealed journal {KEY} BROKEN" in result.output


def test_a_sealed_object_that_no_journal_takes_is_refused_rather_than_written_in_the_open(monkeypatch, db_session):
    monkeypatch.setattr(sealing, "_SEALED", dict(sealing._SEALED))
    sealing.register("Orphan", lambda: _ids({"1"}))
    with pytest.raises(sealing.SealingError):
        record("orphan.touch", object_type="Orphan", object_id=1, summary="who takes me")
