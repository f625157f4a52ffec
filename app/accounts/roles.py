"""The roles a user may hold, and what they are called on screen."""
from __future__ import annotations

FOLLOWER_BUYER = "follower_buyer"
EVALUATOR = "evaluator"
EXEMPLAR_MANAGER = "exemplar_manager"
COMMERCIAL_ADMIN = "commercial_admin"
AUDITOR = "auditor"

ROLES: dict[str, str] = {
    FOLLOWER_BUYER: "Follower buyer",
    EVALUATOR: "Evaluator",
    EXEMPLAR_MANAGER: "Exemplar manager",
    COMMERCIAL_ADMIN: "Commercial admin",
    AUDITOR: "Auditor",
}
