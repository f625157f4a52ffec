"""Old path of app.web.pagecache, kept only for app/api, app/concentration and seed while others rework
them (issue 14). The lead deletes it when they import app.web.pagecache; nothing else may import it
(tests/test_architecture.py, COMPAT)."""
from app.web.pagecache import *  # noqa: F401,F403
