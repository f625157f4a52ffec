"""Who may read the audit log."""
from app.accounts.permissions import has_role, rule
from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN


@rule("audit.view")
def view_audit(user, obj=None):
    return has_role(user, AUDITOR, COMMERCIAL_ADMIN)
