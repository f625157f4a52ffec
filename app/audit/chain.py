"""The hash chain of the audit log, as pure functions on plain values."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

GENESIS = "0" * 64


def journal_genesis(key: str) -> str:
    """Where a sealed journal's chain starts: a hash of the journal's key, so an entry moved from
    one journal to another (or into the main chain) no longer links."""
    return hashlib.sha256(f"sealed journal {key}".encode("utf-8")).hexdigest()


def canonical_json(value: Any) -> str | None:
    """JSON with sorted keys and no spaces, so the same content always hashes the same."""
    if value is None:
        return None
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=_default, ensure_ascii=False)


def _default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    raise TypeError(f"cannot put {type(value).__name__} in an audit entry")


@dataclass(frozen=True)
class Entry:
    """The hashed fields of an audit entry."""

    id: int
    occurred_at: str
    actor_label: str
    action: str
    object_type: str
    object_id: str | None
    summary: str
    before: str | None
    after: str | None
    prev_hash: str
    hash: str


def entry_hash(prev_hash: str, occurred_at: str, actor_label: str, action: str, object_type: str,
               object_id: str | None, summary: str, before: str | None, after: str | None) -> str:
    """SHA-256 over the previous hash and every field of the entry."""
    payload = canonical_json([prev_hash, occurred_at, actor_label, action, object_type, object_id,
                              summary, before, after])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    checked: int
    first_broken_id: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


@dataclass(frozen=True)
class Progress:
    """How far a walk along the chain has got, so that it can go on later (in the next request, or
    the next job step): the last entry checked, its hash, how many were checked, and the first
    broken entry once one is found."""

    after_id: int = 0
    prev_hash: str = GENESIS
    checked: int = 0
    first_broken_id: int | None = None
    problem: str | None = None

    @property
    def broken(self) -> bool:
        return self.first_broken_id is not None

    def report(self) -> ChainReport:
        return ChainReport(self.checked, self.first_broken_id, self.problem)


def verify_from(progress: Progress, entries: Iterable[Entry]) -> Progress:
    """Go on walking the chain from `progress` over the next entries (in id order, after
    progress.after_id); stop at the first whose link or hash does not hold."""
    if progress.broken:
        return progress
    prev, checked, last = progress.prev_hash, progress.checked, progress.after_id
    for e in entries:
        if e.prev_hash != prev:
            return Progress(last, prev, checked, e.id, "does not point to the hash of the entry before it")
        expected = entry_hash(e.prev_hash, e.occurred_at, e.actor_label, e.action, e.object_type,
                              e.object_id, e.summary, e.before, e.after)
        if e.hash != expected:
            return Progress(last, prev, checked, e.id, "its content does not match its hash")
        prev, last = e.hash, e.id
        checked += 1
    return Progress(last, prev, checked)


def verify(entries: Iterable[Entry], genesis: str = GENESIS) -> ChainReport:
    """Walk the entries in order; report the first whose link or hash does not hold. The main
    chain starts at GENESIS, a sealed journal at its journal_genesis."""
    return verify_from(Progress(prev_hash=genesis), entries).report()
