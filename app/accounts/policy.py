"""Who may manage accounts."""
from app.accounts.permissions import has_role, rule
from app.accounts.roles import COMMERCIAL_ADMIN


@rule("accounts.manage")
def manage_accounts(user, obj=None):
    return has_role(user, COMMERCIAL_ADMIN)


@rule("accounts.signed_in")
def signed_in(user, obj=None):
    return user is not None
