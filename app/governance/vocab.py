"""Controlled vocabularies of the governance domain, with their labels for screens and exports.

Plain data, no Flask: the pure rules, the models' CHECK constraints and the forms all read these.
"""
from __future__ import annotations

#: How an admission criterion is answered.
CRITERION_KINDS = {"text": "Text", "number": "A number", "yes_no": "Yes or no"}

#: An application's status (the membership's status lives in the register).
APPLICATION_STATUSES = {"submitted": "Submitted", "admitted": "Admitted", "rejected": "Rejected"}

#: The commercial team's view of one criterion of one application.
ASSESSMENTS = {"met": "Met", "not_met": "Not met"}

#: What a periodic review of an exemplar may decide.
REVIEW_DECISIONS = {
    "continue": "Continue as it is",
    "suspend": "Suspend with conditions",
    "reinstate": "Reinstate",
    "remove": "Remove from the lot",
}

AGREEMENT_STATUSES = {"active": "Active", "closed": "Closed"}

CHECKIN_STATUSES = {"submitted": "Submitted", "accepted": "Accepted", "queried": "Queried"}

#: Red, amber, green: what a funded organisation says about one condition in a check-in.
RAG = {"green": "Green", "amber": "Amber", "red": "Red"}

#: The standard admission criteria a framework starts from (the commercial team may edit them).
#: (name, description, kind, minimum)
DEFAULT_CRITERIA: tuple[tuple[str, str, str, int | None], ...] = (
    ("Digital maturity score",
     "The trust's latest digital maturity assessment score, out of 5.", "number", 3),
    ("Clinical modules live",
     "How many clinical modules of the system are live across the trust (for example e-prescribing, "
     "order communications, clinical noting, results).", "number", 4),
    ("Clinical safety officer in post",
     "A named clinical safety officer (DCB0129 / DCB0160) is in post.", "yes_no", None),
    ("Track record of go-lives",
     "Go-lives the trust has led or supported, with dates and the systems involved.", "text", None),
    ("Capacity to support followers",
     "How the trust will staff support for follower trusts alongside its own work.", "text", None),
)

#: Financial quarters in words.
QUARTER_MONTHS = {1: "April to June", 2: "July to September", 3: "October to December", 4: "January to March"}
