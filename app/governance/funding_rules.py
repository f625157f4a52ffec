"""Old path of app.governance.funding.rules, kept only for seed while others rework it (issue 14).
The lead deletes it when seed imports app.governance.funding.rules; nothing else may import it
(tests/test_architecture.py, COMPAT)."""
from app.governance.funding.rules import *  # noqa: F401,F403
