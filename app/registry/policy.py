"""Who may do what in the register."""
from app.accounts.permissions import has_role, rule
from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN


@rule("registry.view")
def view_register(user, obj=None):
    return True  # the register is public


@rule("registry.manage")
def manage_register(user, obj=None):
    """Frameworks, lots, memberships and deployments are the commercial team's to change."""
    return has_role(user, COMMERCIAL_ADMIN)


@rule("registry.view_drafts")
def view_draft_frameworks(user, obj=None):
    return has_role(user, COMMERCIAL_ADMIN, AUDITOR)


@rule("registry.view_exclusions")
def view_exclusions(user, obj=None):
    """The exclusion register: the commercial team keeps it, auditors read it."""
    return has_role(user, COMMERCIAL_ADMIN, AUDITOR)
