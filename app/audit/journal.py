"""Sealed journals: opening one into the main chain, and checking them all.

A sealed journal (models.SealedJournal) holds the entries about objects a domain has sealed
(sealing.py decides which entries go there; entries.append_sealed writes them). The journal has
its own hash chain, rooted in its key (chain.journal_genesis).

Opening it is one audited step, run by the domain when the seal breaks (competitions: "bids
opened" at the response deadline, by the system clock):

  1. one main-chain entry (the domain's action, e.g. "competition.bids_opened") whose `after`
     names the journal, its number of entries and its head hash;
  2. right after it, in the same transaction and under the main chain's lock, a copy of every
     journal entry in order (same time, actor, action, object, summary, before and after), chained
     into the main log like any other entry.

So the main log never had a gap or a break, and from the opening on it holds everything.
`verify_journals` (run by `flask audit verify` after the main chain) checks each journal's own
chain, and for an opened one that the opening entry and the copies after it match the journal.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models_base import utcnow

from . import chain
from .entries import Fields, actor_fields, append_main, fields_of, journal_head, lock_journal
from .models import AuditEvent, SealedEntry, SealedJournal


class JournalBroken(RuntimeError):
    """A sealed journal's chain does not hold: it is not joined to the main chain."""


def _entries(key: str) -> list[SealedEntry]:
    return list(db.session.execute(select(SealedEntry).where(SealedEntry.journal_key == key)
                                   .order_by(SealedEntry.position)).scalars())


def _as_chain(e: SealedEntry) -> chain.Entry:
    return chain.Entry(id=e.position, occurred_at=e.occurred_at.isoformat(), actor_label=e.actor_label,
                       action=e.action, object_type=e.object_type, object_id=e.object_id, summary=e.summary,
                       before=e.before, after=e.after, prev_hash=e.prev_hash, hash=e.hash)


def is_open(key: str) -> bool:
    journal = db.session.get(SealedJournal, key)
    return journal is not None and journal.opened_at is not None


def opening_of(key: str) -> AuditEvent | None:
    """The main-chain entry that opened a journal (None while it is sealed)."""
    journal = db.session.get(SealedJournal, key)
    return None if journal is None or journal.opening_event_id is None \
        else db.session.get(AuditEvent, journal.opening_event_id)


def open_journal(key: str, *, action: str, object_type: str, object_id, summary: str, actor) -> AuditEvent | None:
    """Join a sealed journal to the main chain (see the module docstring), in the caller's
    transaction. Idempotent: None when it was opened already. A journal with no entries is opened
    all the same (the opening entry says 0), so an opening never tells whether anything was sealed
    beyond what its own entry says. JournalBroken if the journal's chain does not hold."""
    journal = lock_journal(key)
    if journal.opened_at is not None:
        return None
    entries = _entries(key)
    report = chain.verify((_as_chain(e) for e in entries), genesis=chain.journal_genesis(key))
    if not report.ok:
        raise JournalBroken(f"sealed journal {key} is broken at its entry {report.first_broken_id}: {report.problem}")
    count, head = journal_head(key)
    actor_id, actor_label = actor_fields(actor)
    opening = append_main(Fields(
        occurred_at=utcnow(), actor_id=actor_id, actor_label=actor_label, action=action, object_type=object_type,
        object_id=None if object_id is None else str(object_id), summary=summary, before=None,
        after=chain.canonical_json({"journal": key, "entries": count, "head_hash": head})))
    for e in entries:
        append_main(fields_of(e))
    journal.opened_at, journal.opening_event_id = opening.occurred_at, opening.id
    journal.entries_at_opening, journal.head_hash_at_opening = count, head
    db.session.flush()
    return opening


@dataclass(frozen=True)
class JournalProblem:
    key: str
    problem: str
    sealed: bool = False  # still sealed: its key (which competition has bids) is not shown on a page


@dataclass(frozen=True)
class JournalsReport:
    opened: int
    sealed: int
    problems: tuple[JournalProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def _opening_problem(journal: SealedJournal, entries: list[SealedEntry]) -> str | None:
    opening = db.session.get(AuditEvent, journal.opening_event_id)
    if opening is None:
        return "its opening entry is missing from the main chain"
    count, head = len(entries), entries[-1].hash if entries else chain.journal_genesis(journal.key)
    try:
        said = json.loads(opening.after or "{}")
    except ValueError:
        said = {}
    if said != {"journal": journal.key, "entries": count, "head_hash": head} \
            or (journal.entries_at_opening, journal.head_hash_at_opening) != (count, head):
        return "it does not hold what its opening entry recorded (entries added or removed since)"
    copies = list(db.session.execute(select(AuditEvent).where(AuditEvent.id > opening.id)
                                     .order_by(AuditEvent.id).limit(count)).scalars())
    if len(copies) != count or any(fields_of(c) != fields_of(e) for c, e in zip(copies, entries)):
        return f"the entries after its opening (entry {opening.id}) are not its entries"
    return None


def verify_journals() -> JournalsReport:
    """Check every sealed journal: its own chain, and for an opened one its place in the main chain."""
    problems: list[JournalProblem] = []
    opened = sealed = 0
    for journal in db.session.execute(select(SealedJournal).order_by(SealedJournal.key)).scalars():
        entries = _entries(journal.key)
        report = chain.verify((_as_chain(e) for e in entries), genesis=chain.journal_genesis(journal.key))
        if not report.ok:
            problems.append(JournalProblem(journal.key, f"broken at its entry {report.first_broken_id}: {report.problem}",
                                           sealed=journal.opened_at is None))
            continue
        if journal.opened_at is None:
            sealed += 1
            continue
        opened += 1
        problem = _opening_problem(journal, entries)
        if problem:
            problems.append(JournalProblem(journal.key, problem))
    return JournalsReport(opened, sealed, tuple(problems))
