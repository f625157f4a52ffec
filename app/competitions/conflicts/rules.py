"""The conflicts assessment's rules, as pure functions on plain values (no Flask, no database).

Procurement Act 2023: a contracting authority must take all reasonable steps to identify conflicts
of interest (s81), to mitigate them (s82), and before publishing a tender or transparency notice —
for a call-off, before the evaluation — prepare a conflicts assessment and keep it under review
(s83). Here the assessment is complete when everyone taking part has declared, every declared
interest has been assessed, every conflict found has its mitigation, and a buyer has confirmed it
since the last change. A new participant or a changed declaration reopens it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

ROLES = {"buyer": "Buyer", "evaluator": "Evaluator", "approver": "Approver", "adviser": "Adviser"}


@dataclass(frozen=True)
class DeclarationFacts:
    user_id: int
    role: str
    has_interest: bool | None
    conflict: bool | None
    mitigation: str | None


def problems(declarations: Iterable[DeclarationFacts], confirmed: bool) -> list[str]:
    """What stops the assessment from being complete (empty when it is)."""
    rows = list(declarations)
    out = []
    if not any(d.role == "buyer" for d in rows):
        out.append("Add at least one buyer taking part.")
    if not any(d.role == "evaluator" for d in rows):
        out.append("Choose at least one evaluator.")
    undeclared = sum(1 for d in rows if d.has_interest is None)
    if undeclared:
        out.append(f"{undeclared} {'person has' if undeclared == 1 else 'people have'} not declared their interests.")
    unassessed = sum(1 for d in rows if d.has_interest and d.conflict is None)
    if unassessed:
        out.append(f"Assess {unassessed} declared interest{'s' if unassessed != 1 else ''}.")
    unmitigated = sum(1 for d in rows if d.conflict and not (d.mitigation or "").strip())
    if unmitigated:
        out.append(f"Record how {unmitigated} conflict{'s are' if unmitigated != 1 else ' is'} mitigated.")
    if not out and not confirmed:
        out.append("Confirm the conflicts assessment.")
    return out


def ready_to_confirm(declarations: Iterable[DeclarationFacts]) -> bool:
    """Everything is declared and assessed: only the confirmation is missing (or done)."""
    return problems(declarations, confirmed=True) == []


def may_score(has_interest: bool | None, conflict: bool | None, excluded: bool) -> bool | None:
    """An evaluator's standing for scoring: None while undecided (not declared, or an interest
    not yet assessed), False when excluded, True otherwise."""
    if has_interest is None or (has_interest and conflict is None):
        return None
    return not excluded
