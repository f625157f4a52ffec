"""Who may do what in the concentration domain."""
from app.accounts.permissions import has_role, rule
from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN


@rule("concentration.view_summary")
def view_summary(user, obj=None):
    return True  # the public summary: headline figures and charts, no commercial detail


@rule("concentration.view_dashboard")
def view_dashboard(user, obj=None):
    """The commercial dashboard, the what-if page and the alert rules are the commercial team's
    (and the auditors', read-only)."""
    return has_role(user, COMMERCIAL_ADMIN, AUDITOR)


@rule("concentration.what_if")
def what_if(user, obj=None):
    return has_role(user, COMMERCIAL_ADMIN, AUDITOR)


@rule("concentration.edit_rules")
def edit_rules(user, obj=None):
    return has_role(user, COMMERCIAL_ADMIN)
