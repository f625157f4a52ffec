"""Who may do what in the offers domain.

Offers: anyone may search and read published offers of admitted exemplars; an exemplar manager
manages their own trust's offers only; the commercial team and auditors may read any offer.
Projects and shortlists are private to the follower organisation that owns them.

The page helpers at the end apply them as the offers' pages do: the signed-in user, the
organisation a follower buys for, and an offer or 404 for those who may not see it.
"""
from flask import abort
from flask_login import current_user

from app.accounts.permissions import has_role, require, rule, same_org
from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.extensions import db

from .models import Offer


@rule("offers.search")
def search_offers(user, obj=None):
    return True  # published offers are public


@rule("offers.view")
def view_offer(user, offer=None):
    """A visible offer (published, exemplar admitted) is public; anything else only for its own
    trust's exemplar managers, the commercial team and auditors. `offer` may be None (the rule
    then answers for public offers)."""
    if offer is None:
        return True
    from .services import is_visible

    if is_visible(offer):
        return True
    return has_role(user, COMMERCIAL_ADMIN, AUDITOR) or (
        has_role(user, EXEMPLAR_MANAGER) and same_org(user, offer.organisation_id))


@rule("offers.create")
def create_offer(user, obj=None):
    return has_role(user, EXEMPLAR_MANAGER)


@rule("offers.edit")
def edit_offer(user, offer=None):
    """Edit, publish and withdraw: the offer's own trust's exemplar managers only."""
    return has_role(user, EXEMPLAR_MANAGER) and (offer is None or same_org(user, offer.organisation_id))


@rule("offers.manage_catalogue")
def manage_catalogue(user, obj=None):
    return has_role(user, COMMERCIAL_ADMIN)


@rule("offers.shortlist")
def use_projects(user, project=None):
    """Start projects, save searches, shortlist: a follower buyer, in their own organisation."""
    return has_role(user, FOLLOWER_BUYER) and (project is None or same_org(user, project.organisation_id))


@rule("offers.view_project")
def view_project(user, project=None):
    """Read a project: its organisation's buyers and evaluators; nobody else knows it exists."""
    return has_role(user, FOLLOWER_BUYER, EVALUATOR) and (project is None or same_org(user, project.organisation_id))


def signed_in_user():
    return current_user if getattr(current_user, "is_authenticated", False) else None


def follower_org():
    """The signed-in user's organisation when they buy or evaluate for it (for best fit)."""
    user = signed_in_user()
    if user is not None and user.has_role(FOLLOWER_BUYER, EVALUATOR):
        return user.organisation
    return None


def offer_or_404(offer_id: int, *, signed_in: bool = False) -> Offer:
    """The offer, if this user may see it; else 404 (a hidden offer's existence is not told).
    `signed_in=True` (the owner's pages) sends a signed-out visitor to sign in first, for any id."""
    if signed_in and not getattr(current_user, "is_authenticated", False):
        abort(401)  # the 401 handler redirects to sign-in and back
    offer = db.session.get(Offer, offer_id)
    if offer is None:
        abort(404)
    require("offers.view", offer, hide=True)
    return offer


@rule("offers.end_search")
def end_search(user, project=None):
    """End a project's search and record its outcome: a buyer of the project's organisation."""
    return has_role(user, FOLLOWER_BUYER) and (project is None or same_org(user, project.organisation_id))


@rule("offers.view_locked_search")
def view_locked_search(user, project=None):
    """Read and download a project's locked search and outcome: the project's organisation's buyers
    and evaluators, and auditors (of any organisation)."""
    return has_role(user, AUDITOR) or view_project(user, project)
