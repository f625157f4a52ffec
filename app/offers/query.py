"""Old path of app.offers.search.query, kept only for app/api while it is reworked (issue 14);
nothing else may import it (tests/test_architecture.py, COMPAT)."""
from app.offers.search.query import *  # noqa: F401,F403
