"""Who may do what in the governance domain.

- The commercial team (commercial_admin) runs it: criteria, assessments, admission decisions,
  reviews, funding agreements, check-in reviews and tranche releases.
- Auditors read everything and change nothing.
- A trust's exemplar managers and follower buyers apply to frameworks for their own trust, see
  their own applications and agreements, and file their own organisation's check-ins; follower
  buyers rate their own trust's partnerships.
- Everyone else is refused; objects of another organisation are hidden (404) in the views.

The page helpers at the end apply these rules the way every governance page does: sign in first,
then a 404 for what belongs to another organisation.
"""
from flask import abort
from flask_login import current_user

from app.accounts.permissions import has_role, require, rule, same_org
from app.extensions import db
from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EXEMPLAR_MANAGER, FOLLOWER_BUYER

TRUST_ROLES = (EXEMPLAR_MANAGER, FOLLOWER_BUYER)


def _trust_user(user) -> bool:
    return (has_role(user, *TRUST_ROLES) and user.organisation is not None
            and user.organisation.kind == "trust")


@rule("governance.oversee")
def oversee(user, obj=None):
    """Read the governance pages: every application, review, agreement and check-in."""
    return has_role(user, COMMERCIAL_ADMIN, AUDITOR)


@rule("governance.manage")
def manage(user, obj=None):
    """Change anything the commercial team decides."""
    return has_role(user, COMMERCIAL_ADMIN)


@rule("governance.trust_pages")
def trust_pages(user, obj=None):
    """A trust's own pages: its applications, its funding, its partnerships."""
    return _trust_user(user)


@rule("governance.apply")
def apply(user, obj=None):
    """Apply to a framework lot for `obj`, an organisation: only one's own trust."""
    return _trust_user(user) and obj is not None and same_org(user, obj.id)


@rule("governance.view_application")
def view_application(user, obj=None):
    if has_role(user, COMMERCIAL_ADMIN, AUDITOR):
        return True
    return _trust_user(user) and obj is not None and same_org(user, obj.organisation_id)


@rule("governance.add_evidence")
def add_evidence(user, obj=None):
    """Upload (or remove) evidence documents for `obj`, an application of one's own trust, while
    it is undecided."""
    return _trust_user(user) and obj is not None and same_org(user, obj.organisation_id) and obj.is_open


@rule("governance.view_agreement")
def view_agreement(user, obj=None):
    if has_role(user, COMMERCIAL_ADMIN, AUDITOR):
        return True
    return has_role(user, *TRUST_ROLES) and obj is not None and same_org(user, obj.organisation_id)


@rule("governance.file_checkin")
def file_checkin(user, obj=None):
    """File (or resubmit) a check-in for `obj`, an agreement of one's own organisation."""
    return has_role(user, *TRUST_ROLES) and obj is not None and same_org(user, obj.organisation_id)


@rule("governance.rate_partnership")
def rate_partnership(user, obj=None):
    """Rate `obj`, a partnership in which one's own trust is the follower."""
    return has_role(user, FOLLOWER_BUYER) and obj is not None and same_org(user, obj.follower_id)


def require_signed_in() -> None:
    """Send anonymous visitors to sign in before any private page (also those that answer 404)."""
    if not getattr(current_user, "is_authenticated", False):
        require("governance.oversee")  # aborts 401 for the anonymous


def require_hidden(action: str, obj) -> None:
    """Signed-in users who may not see `obj` get 404: its existence is another organisation's business."""
    require_signed_in()
    require(action, obj, hide=True)


def get_or_404(model, ident: int):
    require_signed_in()  # signed out: sign in first, whether or not the id exists
    obj = db.session.get(model, ident)
    if obj is None:
        abort(404)
    return obj
