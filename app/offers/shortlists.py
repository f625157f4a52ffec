"""Old path of app.offers.projects.services, kept only for seed while it is reworked (issue 14);
nothing else may import it (tests/test_architecture.py, COMPAT)."""
from app.offers.projects.services import *  # noqa: F401,F403
