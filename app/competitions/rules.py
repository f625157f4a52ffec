"""The lifecycle of a call-off competition, as pure functions (no Flask, no database).

    draft → published → clarification → open → closed → evaluation → standstill
          → standstill_ended → awarded
    and cancelled / no_award from the states where that is legal.

Two kinds of change move a competition along:

* actions a person takes (publish, start evaluation, intend to award, award, cancel, …), checked by
  `next_status`, which raises `IllegalTransition` with a message for the user;
* the clock: the clarification period ends, the response deadline passes, the standstill ends.
  `effective_status` derives the status these make true from the stored status, the timestamps
  and "now" — without writing anything — so no state depends on a scheduled job having run.
  Writes of the derived status happen in the `tick` command and in any request that changes the
  competition (see app.competitions.state).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.errors import DomainError, IllegalTransition

#: Every status, with the words shown to people.
STATUSES: dict[str, str] = {
    "draft": "Draft",
    "published": "Published",
    "clarification": "Clarification",
    "open": "Open for responses",
    "closed": "Closed",
    "evaluation": "Under evaluation",
    "standstill": "Intention to award (standstill)",
    "standstill_ended": "Ready to award",
    "awarded": "Awarded",
    "cancelled": "Cancelled",
    "no_award": "No suitable bid",
}

TERMINAL = frozenset({"awarded", "cancelled", "no_award"})

#: Statuses in which invitees may submit, revise and withdraw bids (before the deadline).
BIDDING = frozenset({"published", "clarification", "open"})

#: Statuses after the response deadline, in which bids are unsealed for those allowed to read them.
AFTER_DEADLINE = frozenset({"closed", "evaluation", "standstill", "standstill_ended", "awarded", "no_award"})

#: Actions people take: action → {from status: to status}.
ACTIONS: dict[str, dict[str, str]] = {
    "publish": {"draft": "published"},
    "start_evaluation": {"closed": "evaluation"},
    "intend_award": {"evaluation": "standstill"},
    # Without a standstill (the framework's choice, or the buyer's where it allows): straight to contract.
    "intend_award_direct": {"evaluation": "standstill_ended"},
    "withdraw_intention": {"standstill": "evaluation", "standstill_ended": "evaluation"},
    "award": {"standstill_ended": "awarded"},
    "cancel": {s: "cancelled" for s in ("draft", "published", "clarification", "open", "closed", "evaluation",
                                        "standstill", "standstill_ended")},
    "no_award": {s: "no_award" for s in ("closed", "evaluation", "standstill", "standstill_ended")},
}

#: What each action is called in messages.
ACTION_TEXT = {
    "publish": "publish",
    "start_evaluation": "start the evaluation of",
    "intend_award": "announce an intention to award",
    "intend_award_direct": "announce an intention to award",
    "withdraw_intention": "withdraw the intention to award of",
    "award": "award",
    "cancel": "cancel",
    "no_award": "close with no suitable bid",
}

#: Changes the clock makes, for documentation and the audit trail: (from, to, when).
TIME_TRANSITIONS = (
    ("published", "clarification", "publication, while the clarification period runs"),
    ("published", "open", "publication, when there is no clarification period"),
    ("clarification", "open", "the clarification deadline"),
    ("open", "closed", "the response deadline"),
    ("standstill", "standstill_ended", "the end of the standstill period"),
)


@dataclass(frozen=True)
class Timetable:
    """The instants that drive the clock-made changes (aware UTC datetimes, or None)."""

    clarification_deadline: datetime | None = None
    response_deadline: datetime | None = None
    standstill_ends_at: datetime | None = None


def step_instant(before: str, after: str, timetable: Timetable, published_at: datetime | None = None
                 ) -> datetime | None:
    """When the clock made a change true (a deadline, the end of the standstill), which is not
    when a request happened to write it down."""
    if after == "open" and before == "clarification":
        return timetable.clarification_deadline
    if after == "closed":
        return timetable.response_deadline
    if after == "standstill_ended":
        return timetable.standstill_ends_at
    return published_at if before == "published" else None


def status_text(status: str) -> str:
    """The status in words for people."""
    return STATUSES.get(status, status)


def _one_step(status: str, timetable: Timetable, now: datetime) -> str | None:
    """The next clock-made change from `status`, or None if the clock changes nothing now."""
    cd, rd, se = timetable.clarification_deadline, timetable.response_deadline, timetable.standstill_ends_at
    if status == "published":
        return "clarification" if cd is not None and now < cd else "open"
    if status == "clarification" and (cd is None or now >= cd):
        return "open"
    if status == "open" and rd is not None and now >= rd:
        return "closed"
    if status == "standstill" and se is not None and now >= se:
        return "standstill_ended"
    return None


def time_steps(stored: str, timetable: Timetable, now: datetime) -> list[tuple[str, str]]:
    """The clock-made changes from the stored status up to now, in order: [(from, to), …]."""
    steps: list[tuple[str, str]] = []
    current = stored
    while (nxt := _one_step(current, timetable, now)) is not None:
        steps.append((current, nxt))
        current = nxt
    return steps


def effective_status(stored: str, timetable: Timetable, now: datetime) -> str:
    """The status the clock makes true now, from the stored status. Never writes anything.

    Deadlines are exclusive: at the response deadline itself (to the second) the competition is
    closed, so a bid at or after the deadline is refused.
    """
    steps = time_steps(stored, timetable, now)
    return steps[-1][1] if steps else stored


def allowed_actions(status: str) -> list[str]:
    """The actions a person may take from a status, in a stable order."""
    return [a for a, moves in ACTIONS.items() if status in moves]


def next_status(status: str, action: str) -> str:
    """The status an action leads to from `status`; IllegalTransition if it is not allowed."""
    moves = ACTIONS.get(action)
    if moves is None:
        raise ValueError(f"unknown action {action!r}")
    if status not in moves:
        allowed = [ACTION_TEXT[a] for a in allowed_actions(status)]
        hint = f" From here you can {', or '.join(allowed)} it." if allowed else ""
        if status in TERMINAL:
            hint = " It has finished: nothing more can change."
        raise IllegalTransition(
            f"You cannot {ACTION_TEXT[action]} a competition that is {status_text(status).lower()}.{hint}"
        )
    return moves[status]


def may_bid(status: str) -> bool:
    """Invitees may submit, revise and withdraw bids (the deadline is already in the status)."""
    return status in ("clarification", "open")


def may_ask_question(status: str) -> bool:
    """Clarification questions are asked during the clarification period only."""
    return status == "clarification"


def may_answer_question(status: str) -> bool:
    """The buyer answers and publishes answers until the response deadline."""
    return status in ("clarification", "open")


def bids_unsealed(status: str, response_deadline: datetime | None, ended_at: datetime | None,
                  now: datetime) -> bool:
    """Whether bid content (and even the number of bids) may be shown to anyone but the bidder.

    Only after the response deadline. A competition cancelled before its deadline keeps its bids
    sealed for ever: nobody has any reason to read them.
    """
    if response_deadline is None or now < response_deadline:
        return False
    if status == "cancelled":
        return ended_at is not None and ended_at >= response_deadline
    return status in AFTER_DEADLINE


#: The longest text a person may type into one answer, question or reason.
MAX_TEXT = 20_000


def clean_text(text: str | None, field: str, label: str, required: bool = True) -> str:
    """Typed text, stripped; refused when required and empty, or longer than MAX_TEXT."""
    text = (text or "").strip()
    if required and not text:
        raise DomainError(f"Enter {label}.", field=field)
    if len(text) > MAX_TEXT:
        raise DomainError(f"{label[0].upper() + label[1:]} must be {MAX_TEXT:,} characters or fewer.", field=field)
    return text
