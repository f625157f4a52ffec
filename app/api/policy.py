"""Who may do what through the API and its pages (personal API tokens). Imports use "registry.manage", as the register pages do."""
from app.accounts.permissions import rule


@rule("api.tokens")
def manage_own_tokens(user, token=None):
    """Every signed-in user may have personal API tokens; a token is its owner's alone."""
    if user is None:
        return False
    return token is None or token.user_id == user.id

