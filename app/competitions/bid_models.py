"""Old path of the bid, score and award models (now in bidding/, evaluation/ and award/models.py,
all gathered by app.competitions.models), kept only for app/api while it is reworked (issue 14);
nothing else may import it (tests/test_architecture.py, COMPAT)."""
from app.competitions.models import *  # noqa: F401,F403
