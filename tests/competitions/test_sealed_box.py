"""The sealed bid box (app/competitions/sealing.py, state.open_sealed_bids): bid events go to the
competition's sealed journal, nothing of them reaches the main chain before the deadline, and
one "bids opened" step by the system clock joins them to it."""
from __future__ import annotations

import json

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.audit import sealing as audit_sealing
from app.audit.models import AuditEvent, SealedEntry
from app.audit.services import record, verify_chain, verify_journals
from app.competitions import sealing
from app.competitions.award import services as award_svc
from app.competitions.bidding import services as bidding
from app.competitions.state import open_sealed_bids, tick
from app.registry import services as registry


def _main(db_session) -> tuple[int, int]:
    db_session.flush()
    return (db_session.scalar(select(func.count()).select_from(AuditEvent)),
            db_session.scalar(select(func.max(AuditEvent.id))))


def _journal(db_session, comp) -> list[SealedEntry]:
    """Every entry of the competition's sealed journals (its own and its bidders'), in the order written."""
    base = sealing.journal_key(comp.id)
    return list(db_session.execute(select(SealedEntry).where(
        (SealedEntry.journal_key == base) | SealedEntry.journal_key.startswith(base + "/"))
        .order_by(SealedEntry.id)).scalars())


def test_bids_revisions_and_withdrawals_go_to_the_competitions_journal_not_the_main_chain(world, db_session, clock):
    comp = world.published()
    main = _main(db_session)
    clock.advance(days=4)  # past the clarification deadline: the clock has moved it to "open"
    world.bid(comp, 0, 5_000_000)
    world.bid(comp, 0, 4_900_000)
    world.bid(comp, 1)
    bidding.withdraw_bid(comp, actor=world.exemplars[1][1])
    assert _main(db_session) == main  # not an entry, not an id: the clock's changes are not written either
    assert [e.action for e in _journal(db_session, comp)] == ["bid.submit", "bid.submit", "bid.submit", "bid.withdraw"]
    assert comp.status == "clarification" and comp.effective_status() == "open"


def test_the_bids_open_at_the_deadline_in_one_step_by_the_system_clock(world, db_session, clock):
    comp = world.published()
    world.bid(comp, 0)
    world.bid(comp, 1)
    assert open_sealed_bids(comp) is None  # before the deadline: nothing happens
    count, last = _main(db_session)
    world.after_deadline(comp, seconds=5)
    opening = open_sealed_bids(comp)
    assert opening.action == "competition.bids_opened" and opening.actor_label == "system (clock)"
    assert opening.object_type == "Competition" and opening.object_id == str(comp.id)
    entries = db_session.execute(select(AuditEvent).where(AuditEvent.id > last).order_by(AuditEvent.id)).scalars().all()
    # The clock's changes (open, then closed: dated with the deadlines), the opening, then each
    # bidder's journal after its own opening entry.
    assert [e.action for e in entries] == ["competition.clock", "competition.clock", "competition.bids_opened",
                                           "competition.bidder_journal_opened", "bid.submit",
                                           "competition.bidder_journal_opened", "bid.submit"]
    assert {e.actor_label for e in entries[:4]} == {"system (clock)"}
    bidders = [world.exemplars[0][0].id, world.exemplars[1][0].id]
    assert [json.loads(entries[i].after)["journal"] for i in (2, 3, 5)] == [
        sealing.journal_key(comp.id), *sorted(sealing.journal_key(comp.id, o) for o in bidders)]
    assert [e.id for e in entries] == list(range(last + 1, last + 8))  # no gap
    assert open_sealed_bids(comp) is None and _main(db_session)[0] == count + 7  # idempotent
    assert verify_chain().ok and verify_journals().ok


def test_any_write_after_the_deadline_opens_the_bids_first(world, db_session, clock):
    comp = world.published()
    world.bid(comp, 0)
    world.after_deadline(comp)
    before = _main(db_session)[1]
    world.start_evaluation(comp)  # the conflicts assessment is confirmed, then the evaluation starts
    rows = db_session.execute(select(AuditEvent).where(AuditEvent.id > before).order_by(AuditEvent.id)).scalars().all()
    actions = [r.action for r in rows]
    opened = actions.index("competition.bids_opened")
    assert actions[opened - 1] == "competition.clock" and '"closed"' in rows[opened - 1].after
    assert actions[opened + 1:opened + 3] == ["competition.bidder_journal_opened", "bid.submit"]
    assert actions[-1] == "competition.start_evaluation"
    assert "bid.submit" not in actions[:opened]


def test_the_tick_opens_the_bids_of_competitions_past_their_deadline(world, db_session, clock):
    comp = world.published()
    world.bid(comp, 0)
    world.after_deadline(comp)
    tick()
    assert db_session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "competition.bids_opened", AuditEvent.object_id == str(comp.id))) == 1


def test_a_clock_change_is_never_attributed_to_the_user_whose_request_wrote_it(world, db_session, clock):
    comp = world.published()
    world.after_deadline(comp)
    award_svc.cancel(comp, actor=world.buyer, reason="No longer needed")
    rows = db_session.execute(select(AuditEvent).where(AuditEvent.object_type == "Competition",
                                                       AuditEvent.object_id == str(comp.id))
                              .order_by(AuditEvent.id)).scalars().all()
    clock_rows = [r for r in rows if r.action in ("competition.clock", "competition.bids_opened")]
    assert clock_rows and all(r.actor_id is None and r.actor_label == "system (clock)" for r in clock_rows)
    assert rows[-1].action == "competition.cancel" and rows[-1].actor_id == world.buyer.id
    closing = next(r for r in clock_rows if '"closed"' in r.after)
    assert comp.response_deadline.isoformat() in closing.after  # dated by the deadline, not the request


def test_a_competition_cancelled_before_its_deadline_keeps_its_bids_sealed_for_ever(world, db_session, clock):
    comp = world.published()
    world.bid(comp, 0)
    award_svc.cancel(comp, actor=world.buyer, reason="Budget withdrawn")
    world.after_deadline(comp, seconds=3600)
    assert open_sealed_bids(comp) is None
    assert len(_journal(db_session, comp)) == 1
    assert db_session.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.object_type == "Bid",
                                                                                AuditEvent.summary.like(f"%{comp.reference}%"))) == 0


def test_a_bid_invalidated_by_a_suspension_before_the_deadline_stays_in_the_journal(world, db_session, clock):
    comp = world.published()
    world.bid(comp, 0)
    main = _main(db_session)[0]
    org = world.exemplars[0][0]
    membership = next(m for m in org.memberships if m.lot_id == world.lot.id)
    registry.suspend_exemplar(membership, reason="Under review", actor=world.admin)
    assert [e.action for e in _journal(db_session, comp)] == ["bid.submit", "bid.invalidate"]
    main_actions = db_session.execute(select(AuditEvent.action).order_by(AuditEvent.id.desc())
                                      .limit(_main(db_session)[0] - main)).scalars().all()
    assert "bid.invalidate" not in main_actions


@dataclass
class BidDocumentLike:
    """Stands in for a model of another branch sealed exactly like bids: it names its bid only."""

    id: int
    bid_id: int


def test_a_type_sealed_like_bids_joins_the_competitions_journal_with_no_change_to_its_record_call(
        world, db_session, clock, monkeypatch):
    monkeypatch.setattr(audit_sealing, "_SEALED", dict(audit_sealing._SEALED))
    comp = world.published()
    bid = world.bid(comp, 0)
    audit_sealing.register("BidDocumentLike", lambda: sealing.sealed_bid_ids_clause())  # sealed while its bid is
    main = _main(db_session)
    entry = record("bid_document.upload", BidDocumentLike(id=bid.id, bid_id=bid.id), summary="A document")
    assert isinstance(entry, SealedEntry) and entry.journal_key == sealing.journal_key(comp.id, bid.organisation_id)
    assert _main(db_session) == main
    world.after_deadline(comp)
    open_sealed_bids(comp)
    assert db_session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc()).limit(1)) == "bid_document.upload"


@pytest.mark.parametrize("who", ["bidder", "other bidder", "buyer", "evaluator", "auditor"])
def test_one_policy_says_who_may_see_a_bid_before_and_after_the_deadline(world, clock, who):
    from app.accounts.permissions import can

    comp = world.published()
    bid = world.bid(comp, 0)
    user = {"bidder": world.exemplars[0][1], "other bidder": world.exemplars[1][1], "buyer": world.buyer,
            "evaluator": world.evaluators[0], "auditor": world.auditor}[who]
    assert can(user, "competitions.view_bid", bid) is (who == "bidder")
    world.after_deadline(comp)
    world.start_evaluation(comp)
    assert can(user, "competitions.view_bid", bid) is (who != "other bidder")


def test_a_bid_is_sealed_until_the_deadline_to_the_second(world, db_session, clock):
    comp = world.published()
    bid = world.bid(comp, 0)
    clock.set(comp.response_deadline - timedelta(seconds=1))
    assert open_sealed_bids(comp) is None and audit_sealing.is_sealed("Bid", str(bid.id))
    clock.set(comp.response_deadline)
    assert not audit_sealing.is_sealed("Bid", str(bid.id)) and open_sealed_bids(comp) is not None


@pytest.mark.parametrize("action", ["submit", "withdraw", "document"])
def test_a_bid_taken_a_moment_before_the_deadline_is_sealed_even_when_its_entry_is_written_after_it(
        world, db_session, clock, monkeypatch, action):
    """The deadline check and the sealing of the audit entry are one decision at one instant: the
    clock passing the deadline between them (a busy server at 11:59:59.99) must not send the
    entry of a bid accepted before it to the main chain instead of the bidder's sealed journal
    (submit, withdraw and bid documents alike)."""
    from app.audit import services as audit_services
    from app.competitions.documents import services as documents
    from app.documents import services as kept_documents
    from tests.documents.samples import pdf

    comp = world.published()
    world.bid(comp, 0)
    db_session.flush()
    clock.set(comp.response_deadline - timedelta(seconds=1))
    real_record = audit_services.record

    def record_after_the_deadline(*args, **kw):
        clock.set(comp.response_deadline + timedelta(seconds=1))  # the clock runs on while the request works
        return real_record(*args, **kw)

    monkeypatch.setattr(bidding, "record", record_after_the_deadline)
    monkeypatch.setattr(kept_documents, "record", record_after_the_deadline)
    main = _main(db_session)
    if action == "submit":
        world.bid(comp, 0, 4_800_000)
    elif action == "withdraw":
        bidding.withdraw_bid(comp, actor=world.exemplars[0][1])
    else:
        documents.add_bid_document(comp, criterion_id=None, upload=kept_documents.check_upload(pdf("Method"), "method.pdf"),
                                   actor=world.exemplars[0][1])
    assert _main(db_session) == main  # nothing reached the main chain
    assert _journal(db_session, comp)[-1].action in ("bid.submit", "bid.withdraw", "document.upload")
    assert open_sealed_bids(comp) is not None and verify_journals().ok


def test_an_entry_about_a_bid_accepted_before_the_deadline_stays_sealed_when_written_just_after_it(
        world, db_session, clock):
    """Bids go in parallel right up to the deadline: a bid accepted at 11:59:59.999 may write its
    entry at 12:00:00.001. The entry is sealed as of the instant the bid was accepted."""
    comp = world.published()
    bid = world.bid(comp, 0)
    world.after_deadline(comp, seconds=1)
    main = _main(db_session)
    accepted = comp.response_deadline - timedelta(milliseconds=1)
    entry = record("bid.submit", bid, summary="Written after the deadline", sealed_as_of=accepted)
    assert isinstance(entry, SealedEntry) and entry.journal_key == sealing.journal_key(comp.id, bid.organisation_id)
    assert _main(db_session) == main
    assert isinstance(record("bid.note", bid, summary="Not accepted before it"), AuditEvent)  # by the clock now
