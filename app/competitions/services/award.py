"""Old path of app.competitions.award.services, kept only for app/api and seed while others rework them (issue 14); nothing
else may import it (tests/test_architecture.py, COMPAT)."""
from app.competitions.award.services import *  # noqa: F401,F403
