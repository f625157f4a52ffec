"""Old path of app.web.formerrors, kept only for app/api, app/concentration and seed while others rework
them (issue 14). The lead deletes it when they import app.web.formerrors; nothing else may import it
(tests/test_architecture.py, COMPAT)."""
from app.web.formerrors import *  # noqa: F401,F403
