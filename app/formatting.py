"""Old path of app.web.formatting, kept only for app/api, app/concentration and seed while others rework
them (issue 14). The lead deletes it when they import app.web.formatting; nothing else may import it
(tests/test_architecture.py, COMPAT)."""
from app.web.formatting import *  # noqa: F401,F403
