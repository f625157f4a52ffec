"""Who may see and nudge the running service: the commercial admins."""
from app.accounts.permissions import has_role, rule
from app.accounts.roles import COMMERCIAL_ADMIN


@rule("operations.view")
def view_operations(user, obj=None):
    return has_role(user, COMMERCIAL_ADMIN)
