"""Old path of app.web.exports, kept only for app/api, app/concentration and seed while others rework
them (issue 14). The lead deletes it when they import app.web.exports; nothing else may import it
(tests/test_architecture.py, COMPAT)."""
from app.web.exports import *  # noqa: F401,F403
