"""Old path of app.competitions.queries, kept only for app/api and seed while others rework them (issue 14); nothing
else may import it (tests/test_architecture.py, COMPAT)."""
from app.competitions.queries import *  # noqa: F401,F403
