"""Invitees' side of a competition: clarification questions and answers; submitting, revising
and withdrawing sealed bids before the deadline; and what a suspension does to open bids."""
from __future__ import annotations

import hashlib
import json

from sqlalchemy import select

from app import signals
from app.accounts.roles import EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit.services import record
from app.errors import DomainError, NotAllowed, Problems
from app.extensions import db
from app.web.formatting import london_datetime, money
from app.registry.models import Membership

from .. import clock, rules
from ..award.models import Award
from ..models import Clarification, Competition, Invitation
from ..notifications.services import notify, org_users
from ..queries import is_admitted
from ..rules import MAX_TEXT, clean_text
from ..scoring import above_budget
from ..state import lock, lock_for_bid, sync_status
from .models import Bid, BidAnswer, BidRevision

MAX_PRICE_PENCE = 10_000_000_000  # £100m: a typo guard, far above any call-off here


def invitation_for(competition: Competition, organisation_id: int | None) -> Invitation | None:
    return next((i for i in competition.invitations if i.organisation_id == organisation_id), None)


def bid_of(competition: Competition, organisation_id: int | None, *, fresh: bool = False) -> Bid | None:
    """The bid of one organisation (for that organisation's own eyes, or after the deadline).
    `fresh=True` re-reads the row (and its answers and revisions) even if this session holds it:
    under the competition's lock, so a revision committed meanwhile by a colleague is counted."""
    if organisation_id is None:
        return None
    stmt = select(Bid).where(Bid.competition_id == competition.id, Bid.organisation_id == organisation_id)
    if fresh:
        stmt = stmt.execution_options(populate_existing=True)
    return db.session.execute(stmt).unique().scalar_one_or_none()


def need_bidder(competition: Competition, actor) -> Invitation:
    if actor is None or not actor.has_role(EXEMPLAR_MANAGER):
        raise NotAllowed("Only an exemplar manager of an invited trust can do this.")
    invitation = invitation_for(competition, actor.organisation_id)
    if invitation is None or competition.status == "draft":
        raise NotAllowed("Your organisation is not invited to this competition.")
    if invitation.status != "invited" or not is_admitted(competition.lot_id, actor.organisation_id):
        raise DomainError("Your organisation is not admitted to this lot at present, so it cannot take part.")
    return invitation


def _closed_message(competition: Competition, status: str) -> str:
    if status in rules.AFTER_DEADLINE or status == "cancelled":
        when = london_datetime(competition.response_deadline) if competition.response_deadline else ""
        return f"The deadline for responses ({when}) has passed: bids can no longer be submitted, changed or withdrawn."
    return "This competition is not open for bids."


def _digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _replay(competition: Competition, actor, key: str | None) -> Bid | None:
    """The bid a form with this idempotency key already made, if any (a retry or a double-click)."""
    if key is None:
        return None
    seen = db.session.execute(select(BidRevision).where(BidRevision.idempotency_key == key)).scalar_one_or_none()
    if seen is None:
        return None
    if seen.bid.competition_id != competition.id or seen.bid.organisation_id != actor.organisation_id:
        raise DomainError("This form was already used for another bid. Reload the page and try again.")
    return seen.bid


def over_budget_warning(competition: Competition, price_pence: int | None) -> str | None:
    """What a bidder is told before submitting a price above the buyer's budget, or None."""
    if price_pence is None or not above_budget(price_pence, competition.budget_pence):
        return None
    may = competition.framework.over_budget_may_win
    return (f"Your price is above the buyer's budget of {money(competition.budget_pence)}. Under the framework a bid "
            + ("above the budget may still win." if may else "above the budget is scored but cannot win.")
            + " Confirm that you want to submit it.")


def bid_problems(competition: Competition, organisation_id: int, price_pence, answers: dict[int, str],
                 documents: str | None, offer_version_id: int | None,
                 over_budget_confirmed: bool = False) -> list[tuple[str | None, str]]:
    """Every problem with a bid's content at once, as (field, message): the form shows them all
    on one submission (the price, an unconfirmed price above the budget, each unanswered question,
    the documents, the offer)."""
    problems = Problems()
    if not isinstance(price_pence, int) or isinstance(price_pence, bool) or not 0 < price_pence <= MAX_PRICE_PENCE:
        problems.add("Enter a price of more than £0, up to £100,000,000.", "price")
    else:
        warning = over_budget_warning(competition, price_pence)
        if warning and not over_budget_confirmed:
            problems.add(warning, "over_budget")
    for c in competition.criteria:
        try:
            clean_text(answers.get(c.id), f"answer_{c.id}", f"an answer to “{c.name}”")
        except DomainError as e:
            problems.items += e.problems
    if len((documents or "").strip()) > MAX_TEXT:
        problems.add(f"Documents must be {MAX_TEXT:,} characters or fewer.", "documents")
    if offer_version_id is not None:
        try:
            _check_offer_version(competition, organisation_id, offer_version_id)
        except DomainError as e:
            problems.items += e.problems
    return problems.items


def _checked_form(competition: Competition, organisation_id: int, price_pence, answers: dict[int, str],
                  documents: str, offer_version_id: int | None,
                  over_budget_confirmed: bool = False) -> tuple[dict[int, str], str]:
    """The bid's answers and documents, cleaned, or a DomainError naming every field to correct."""
    problems = Problems()
    problems.items = bid_problems(competition, organisation_id, price_pence, answers, documents, offer_version_id,
                                  over_budget_confirmed)
    problems.raise_if_any()
    return {c.id: (answers.get(c.id) or "").strip() for c in competition.criteria}, (documents or "").strip()


def submit_bid(competition: Competition, *, actor, price_pence: int, answers: dict[int, str], documents: str = "",
               offer_version_id: int | None = None, idempotency_key: str | None = None,
               over_budget_confirmed: bool = False) -> tuple[Bid, bool]:
    """Submit or revise the actor's organisation's bid before the deadline (server time, UTC, to
    the second). Returns (bid, created) where created is False when the idempotency key was seen
    before: a retried form never makes a second revision.

    Bids from different bidders go in parallel (state.lock_for_bid: a shared lock on the competition,
    one lock per bidder, one sealed journal per bidder); one bidder's forms queue on its lock, and
    closing or cancelling the competition waits for the bids in flight (SQLite: its write lock). The
    work done while holding them is kept small: who may bid and whether the form is complete are
    checked before taking it; under it, only the replay check, the deadline (to the second, by the
    server's clock at that moment), the fresh bid row and the writes. A refusal at the deadline
    writes nothing. The audit entry goes to the bidder's sealed journal in the competition
    (app/competitions/sealing.py), sealed as of the moment the bid was accepted, never to the main chain, and the clock's status changes are not written here
    (they are derived): nothing in the main log, not even an id, tells that a bid came in."""
    key = (idempotency_key or "").strip()[:64] or None
    replayed = _replay(competition, actor, key)  # a retry of a form already stored needs no lock
    if replayed is not None:
        return replayed, False

    need_bidder(competition, actor)

    def prepare():
        try:
            checked = _checked_form(competition, actor.organisation_id, price_pence, answers, documents,
                                    offer_version_id, over_budget_confirmed)
        except DomainError as e:
            checked = e  # told after the deadline check: "too late" matters more than a field to correct
        return checked, org_users(actor.organisation_id, EXEMPLAR_MANAGER)

    # Already late by the row as read before the lock: skip checking the form, which a refusal never uses.
    prepared = prepare() if rules.may_bid(competition.effective_status(clock.now())) else None
    lock_for_bid(competition, actor.organisation_id)
    replayed = _replay(competition, actor, key)  # its twin may have committed while this one waited
    if replayed is not None:
        return replayed, False
    now = clock.now()
    status = competition.effective_status(now)
    if not rules.may_bid(status):
        raise DomainError(_closed_message(competition, status))
    checked, recipients = prepared or prepare()  # (prepare() here only if the deadline moved meanwhile)
    if isinstance(checked, DomainError):
        raise checked
    clean_answers, documents = checked
    bid = bid_of(competition, actor.organisation_id, fresh=True)
    created = bid is None
    if created:
        bid = Bid(competition_id=competition.id, organisation_id=actor.organisation_id, revision=0,
                  first_submitted_at=now, price_pence=price_pence)
        db.session.add(bid)
    bid.status, bid.price_pence, bid.documents = "submitted", price_pence, documents
    bid.offer_version_id = offer_version_id
    bid.submitted_at, bid.submitted_by_id = now, actor.id
    bid.withdrawn_at = bid.invalidated_at = bid.invalid_reason = None
    bid.revision += 1
    existing = {a.criterion_id: a for a in bid.answers}
    for cid, text in clean_answers.items():
        if cid in existing:
            existing[cid].answer = text
        else:
            bid.answers.append(BidAnswer(criterion_id=cid, answer=text))
    content = json.dumps({"price_pence": price_pence, "offer_version_id": offer_version_id, "documents": documents,
                          "answers": {str(k): v for k, v in sorted(clean_answers.items())}}, sort_keys=True)
    # Added through the many-to-one side: the bid's earlier revisions need not be loaded.
    db.session.add(BidRevision(bid=bid, number=bid.revision, action="submit", idempotency_key=key,
                               price_pence=price_pence, content=content, created_at=now, created_by_id=actor.id))
    notify(recipients, f"{competition.reference}: your bid was received",
           f"Revision {bid.revision} of your bid was received at {london_datetime(now)}. You can revise or "
           "withdraw it until the deadline.", link=f"/competitions/{competition.id}/bid", competition=competition,
           kind="bid_receipt")
    # Sealed: the audit entry holds a digest of the content, never the content itself.
    # Sealed as of the instant the bid was accepted, even if the deadline passes before this line.
    record("bid.submit", bid, after={"revision": bid.revision, "content_sha256": _digest(content)},
           summary=f"Sealed bid revision {bid.revision} for {competition.reference}", actor=actor, sealed_as_of=now)
    return bid, True


def _check_offer_version(competition: Competition, organisation_id: int, offer_version_id: int) -> None:
    from app.offers.models import OfferVersion

    version = db.session.get(OfferVersion, offer_version_id)
    offer = version.offer if version is not None else None
    if offer is None or offer.organisation_id != organisation_id:
        raise DomainError("Choose one of your organisation's offers.", field="offer_version")
    if offer.lot_id != competition.lot_id or offer.status != "published":
        raise DomainError("Choose a published offer on this competition's lot.", field="offer_version")


def withdraw_bid(competition: Competition, *, actor) -> Bid:
    """Withdraw the actor's organisation's bid before the deadline (it can be submitted again)."""
    need_bidder(competition, actor)
    lock_for_bid(competition, actor.organisation_id)  # as in submit_bid: a refusal at the deadline writes nothing
    now = clock.now()
    status = competition.effective_status(now)
    if not rules.may_bid(status):
        raise DomainError(_closed_message(competition, status))
    recipients = org_users(actor.organisation_id, EXEMPLAR_MANAGER)
    bid = bid_of(competition, actor.organisation_id, fresh=True)
    if bid is None or bid.status != "submitted":
        raise DomainError("There is no submitted bid to withdraw.")
    bid.status, bid.withdrawn_at = "withdrawn", now
    bid.revision += 1
    db.session.add(BidRevision(bid=bid, number=bid.revision, action="withdraw", created_at=now, created_by_id=actor.id))
    notify(recipients, f"{competition.reference}: your bid was withdrawn",
           f"Your bid was withdrawn at {london_datetime(now)}. You can submit a new one until the deadline.",
           link=f"/competitions/{competition.id}/bid", competition=competition, kind="bid_receipt")
    record("bid.withdraw", bid, after={"revision": bid.revision},
           summary=f"Sealed bid withdrawn from {competition.reference}", actor=actor, sealed_as_of=now)
    return bid


def ask_question(competition: Competition, *, actor, question: str) -> Clarification:
    """An invitee asks a clarification question during the clarification period."""
    lock(competition)
    status = sync_status(competition)
    need_bidder(competition, actor)
    if not rules.may_ask_question(status):
        raise DomainError("Questions can be asked only during the clarification period.")
    item = Clarification(competition_id=competition.id, asked_by_org_id=actor.organisation_id, asked_by_id=actor.id,
                         question=clean_text(question, "question", "your question"), asked_at=clock.now())
    db.session.add(item)
    record("clarification.ask", item, summary=f"Clarification question on {competition.reference}", actor=actor)
    notify(org_users(competition.buyer_id, FOLLOWER_BUYER), f"{competition.reference}: a clarification question",
           "An invitee asked a question. Answer it and publish the answer to every invitee.",
           link=f"/competitions/{competition.id}/clarifications", competition=competition)
    return item


def answer_question(item: Clarification, *, actor, published_question: str, answer: str) -> Clarification:
    """The buyer answers a question and publishes it, reworded if need be so it does not identify
    the asker, to every invitee alike."""
    competition = item.competition
    lock(competition)
    status = sync_status(competition)
    if not rules.may_answer_question(status):
        raise DomainError("Answers can be published only until the response deadline.")
    if item.published_at is not None:
        raise DomainError("This answer is already published: publish a new clarification instead.")
    item.published_question = clean_text(published_question, "published_question", "the question as it will be published")
    item.answer = clean_text(answer, "answer", "the answer")
    item.answered_by_id = getattr(actor, "id", None)
    item.published_at = clock.now()
    record("clarification.publish", item, after={"question": item.published_question, "answer": item.answer},
           summary=f"Published a clarification on {competition.reference}", actor=actor)
    for inv in competition.invitations:
        if inv.status == "invited":
            notify(org_users(inv.organisation_id, EXEMPLAR_MANAGER),
                   f"{competition.reference}: a clarification was published",
                   "The buyer published an answer to a clarification question. Every invitee sees the same answer.",
                   link=f"/competitions/{competition.id}/clarifications", competition=competition, kind="clarification_answered")
    return item


@signals.membership_changed.connect
def on_membership_changed(sender, membership: Membership, previous=None, actor=None, **kw) -> None:
    """An exemplar suspended or removed mid-competition: its invitation lapses, its bid becomes
    invalid, and the buyer is told — in words that do not reveal a sealed bid. Reinstatement
    restores the invitation while bids are still open (an invalid bid must be submitted again)."""
    invitations = db.session.execute(
        select(Invitation).join(Competition, Competition.id == Invitation.competition_id)
        .where(Invitation.organisation_id == membership.organisation_id, Competition.lot_id == membership.lot_id,
               Competition.status.notin_(tuple(rules.TERMINAL)))
    ).scalars().all()
    now = clock.now()
    for inv in invitations:
        competition = inv.competition
        status = competition.effective_status(now)
        if membership.status == "admitted":
            if inv.status == "ineligible" and rules.may_bid(status):
                inv.status, inv.status_reason = "invited", None
                record("invitation.restore", inv, summary=f"Invitation to {competition.reference} restored on "
                       "reinstatement", actor=actor)
            continue
        if inv.status == "invited":
            inv.status = "ineligible"
            inv.status_reason = f"Membership of the lot {membership.status} at {london_datetime(now)}."
            record("invitation.lapse", inv, summary=f"Invitation to {competition.reference} lapsed: exemplar "
                   f"{membership.status}", actor=actor)
        bid = bid_of(competition, membership.organisation_id)
        if bid is not None and bid.status == "submitted":
            bid.status, bid.invalidated_at = "invalid", now
            bid.invalid_reason = f"The exemplar was {membership.status} on the lot at {london_datetime(now)}."
            record("bid.invalidate", bid, summary=f"Bid on {competition.reference} invalid: exemplar "
                   f"{membership.status}", actor=actor)
        name = membership.organisation.display_name
        if competition.bids_unsealed(now):
            body = f"{name} was {membership.status} on the lot. Its bid is invalid and will not be evaluated."
            intended = db.session.execute(select(Award).where(Award.competition_id == competition.id,
                                                              Award.status == "intended")).scalar_one_or_none()
            if intended is not None and bid is not None and intended.bid_id == bid.id:
                body += " It is the intended winner: withdraw the intention to award and evaluate again."
        else:
            body = (f"{name} was {membership.status} on the lot and can no longer take part. "
                    "Any bid from it is invalid and will not be opened.")
        if competition.status != "draft":
            notify(org_users(competition.buyer_id, FOLLOWER_BUYER), f"{competition.reference}: an invitee is no "
                   "longer eligible", body, link=f"/competitions/{competition.id}", competition=competition)
