"""What people are emailed about, and what each may choose for each kind (pure).

- **required**: the law or the account itself needs it (an invitation to bid, the award and its
  standstill, an outcome, a notice due, a sign-in link): always sent at once, cannot be turned off.
- **urgent**: late is useless (a deadline two working days away): at once, or not at all.
- the rest: at once, in one daily digest, or not at all.
"""
from __future__ import annotations

from dataclasses import dataclass

IMMEDIATE, DAILY, OFF = "immediate", "daily", "off"
CHOICE_LABELS = {IMMEDIATE: "Straight away", DAILY: "In one email a day", OFF: "Do not email me"}


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    required: bool = False
    urgent: bool = False

    @property
    def choices(self) -> tuple[str, ...]:
        if self.required:
            return (IMMEDIATE,)
        if self.urgent:
            return (IMMEDIATE, OFF)
        return (IMMEDIATE, DAILY, OFF)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("account", "Your account: invitations, reset and unlock links", required=True),
    Kind("competition_invitation", "Invitations to bid", required=True),
    Kind("clarification_answered", "Answers to clarification questions", required=True),
    Kind("deadline_approaching", "A response deadline two working days away", urgent=True),
    Kind("bid_receipt", "Receipts for bids you submit or withdraw", required=True),
    Kind("bids_opened", "Responses closed and bids opened"),
    Kind("evaluation_assigned", "Evaluation to do"),
    Kind("intention_to_award", "Intention to award and standstill", required=True),
    Kind("award", "Awards and contracts", required=True),
    Kind("outcome", "Outcomes of competitions you bid in", required=True),
    Kind("notice_due", "Procurement notices due", required=True),
    Kind("checkin_due", "Quarterly check-ins due"),
    Kind("tranche_released", "Funding tranches released"),
    Kind("admission_decided", "Decisions on framework admission", required=True),
    Kind("general", "Other updates on your competitions"),
)}


def kind(name: str) -> Kind:
    return KINDS.get(name) or KINDS["general"]


def effective_choice(name: str, chosen: str | None) -> str:
    """What is done for a kind given the person's choice (None: not chosen): a choice the kind does
    not allow falls back to sending at once."""
    k = kind(name)
    return chosen if chosen in k.choices else IMMEDIATE
