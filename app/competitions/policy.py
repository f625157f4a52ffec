"""Who may do what in the competitions domain. Business rules (deadlines, eligibility) are checked
again in the services; these rules answer "may this person act on this competition at all".

The page helpers at the end apply them as every competition page does: a 404 to a signed-in user
who may not see the competition (its existence is private).
"""
from flask import abort, redirect, url_for

from app.accounts.permissions import has_role, require, rule, same_org
from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.extensions import db

from .models import Competition


def _is_evaluator(user, competition) -> bool:
    return has_role(user, EVALUATOR) and any(e.user_id == user.id for e in competition.evaluators)


def _is_invited(user, competition) -> bool:
    return (has_role(user, EXEMPLAR_MANAGER) and competition.status != "draft"
            and any(i.organisation_id == user.organisation_id for i in competition.invitations))


def _is_buyer(user, competition) -> bool:
    return has_role(user, FOLLOWER_BUYER) and same_org(user, competition.buyer_id)


def _oversees(user, competition) -> bool:
    return has_role(user, COMMERCIAL_ADMIN, AUDITOR) and competition.status != "draft"


@rule("competitions.create")
def create(user, obj=None):
    return has_role(user, FOLLOWER_BUYER)


@rule("competitions.list")
def list_competitions(user, obj=None):
    return has_role(user, FOLLOWER_BUYER, EVALUATOR, EXEMPLAR_MANAGER, COMMERCIAL_ADMIN, AUDITOR)


@rule("competitions.view")
def view(user, competition):
    """The buyer's people, invited exemplars (once published) and the national oversight roles."""
    if user is None or competition is None:
        return False
    return (_is_buyer(user, competition) or _is_evaluator(user, competition) or _is_invited(user, competition)
            or _oversees(user, competition))


@rule("competitions.manage")
def manage(user, competition):
    """Set up, publish, answer questions, moderate, award, cancel: the buyer organisation's buyers."""
    return competition is not None and _is_buyer(user, competition)


@rule("competitions.bid")
def bid(user, competition):
    """Ask questions and bid: exemplar managers of an invited trust."""
    return competition is not None and _is_invited(user, competition)


@rule("competitions.evaluate")
def evaluate(user, competition):
    return competition is not None and _is_evaluator(user, competition)


@rule("competitions.view_bids")
def view_bids(user, competition):
    """Bids (and how many there are) only after the deadline: the buyer, evaluators who declared no
    conflict, and the oversight roles. Before it, nobody but the bidder."""
    if competition is None or user is None or not competition.bids_unsealed():
        return False
    if _is_buyer(user, competition) or _oversees(user, competition):
        return True
    return _is_evaluator(user, competition) and any(
        e.user_id == user.id and e.may_score for e in competition.evaluators)


@rule("competitions.view_document")
def view_document(user, document):
    """A document of the buyer's (`CompetitionDocument`): the pack and published clarification
    documents for everyone who may see the competition; contract documents for the buyer, the
    winner and the oversight roles, once awarded."""
    if user is None or document is None or not view(user, document.competition):
        return False
    competition = document.competition
    if document.kind == "contract":
        from .queries import award_of

        award = award_of(competition)
        return _is_buyer(user, competition) or _oversees(user, competition) or (
            award is not None and same_org(user, award.bid.organisation_id))
    if document.kind == "clarification":
        return document.clarification.published_at is not None or _is_buyer(user, competition)
    return True


@rule("competitions.view_bid_document")
def view_bid_document(user, document):
    """A bidder's document (`BidDocument`), sealed exactly as bids are: its own organisation's
    exemplar managers (the bid rule) at any time; after the deadline, whoever may see the bids.
    Before it, nobody else — not even that it exists."""
    if user is None or document is None:
        return False
    competition = document.competition
    if bid(user, competition) and same_org(user, document.organisation_id):
        return True
    return view_bids(user, competition)
@rule("competitions.view_bid")
def view_bid(user, bid):
    """May this user see this bid, and anything sealed with it (its documents), now? The one
    answer for pages, the API, downloads and exports: its own organisation's exemplar managers at
    any time; after the deadline, whoever may see the competition's bids (view_bids). Nobody
    else, and nobody at all before the deadline."""
    if user is None or bid is None:
        return False
    if has_role(user, EXEMPLAR_MANAGER) and same_org(user, bid.organisation_id):
        return True
    return view_bids(user, bid.competition)


@rule("competitions.conflicts")
def view_conflicts(user, competition):
    """The conflicts assessment: the buyer's people, those taking part, and the oversight roles."""
    if user is None or competition is None:
        return False
    if _is_buyer(user, competition) or _oversees(user, competition) or _is_evaluator(user, competition):
        return True
    from .conflicts.models import ConflictDeclaration

    return db.session.execute(db.select(ConflictDeclaration.id).where(
        ConflictDeclaration.competition_id == competition.id, ConflictDeclaration.user_id == user.id)).first() is not None


@rule("competitions.contract")
def view_contract(user, competition):
    """The call-off contract and its management: the buyer's people, the oversight roles, and the
    exemplar that holds it."""
    if user is None or competition is None:
        return False
    if _is_buyer(user, competition) or _oversees(user, competition) or _is_evaluator(user, competition):
        return True
    from .award.models import Award
    from .bidding.models import Bid

    return has_role(user, EXEMPLAR_MANAGER) and db.session.execute(
        db.select(Award.id).join(Bid, Bid.id == Award.bid_id).where(
            Award.competition_id == competition.id, Award.status == "awarded",
            Bid.organisation_id == user.organisation_id)).first() is not None


@rule("competitions.inbox")
def inbox(user, obj=None):
    return user is not None


@rule("competitions.partnership.view")
def view_partnership(user, partnership):
    if user is None or partnership is None:
        return False
    return (same_org(user, partnership.follower_id) or same_org(user, partnership.exemplar_id)
            or has_role(user, COMMERCIAL_ADMIN, AUDITOR))


@rule("competitions.partnership.manage")
def manage_partnership(user, partnership):
    """The follower's buyers record the milestones' actual dates."""
    return partnership is not None and has_role(user, FOLLOWER_BUYER) and same_org(user, partnership.follower_id)


def competition_or_404(competition_id: int, action: str = "competitions.view") -> Competition:
    """Load a competition; 404 to a signed-in user who may not see it (its existence is private)."""
    competition = db.session.get(Competition, competition_id)
    if competition is None:
        abort(404)
    require("competitions.view", competition, hide=True)
    if action != "competitions.view":
        require(action, competition)
    return competition


def back_to(competition: Competition):
    return redirect(url_for("competitions.overview", competition_id=competition.id))
