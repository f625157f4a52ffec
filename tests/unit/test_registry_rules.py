"""The lifecycles of the register (app/registry/rules.py): every allowed and every refused step.

The expected tables are written out here, independently of the module, so a change to the
lifecycle has to be made (and reviewed) in both places.
"""
from __future__ import annotations

import itertools

import pytest

from app.errors import DomainError, IllegalTransition
from app.registry.rules import (
    FRAMEWORK_TRANSITIONS,
    MEMBERSHIP_TRANSITIONS,
    check_framework_transition,
    check_membership_transition,
)
from app.registry.vocab import FRAMEWORK_STATUSES, MEMBERSHIP_STATUSES

FRAMEWORK_ALLOWED = {
    ("draft", "open"),
    ("open", "live"),
    ("live", "open"),  # a live framework may reopen for applications
    ("live", "expired"),
}
FRAMEWORK_PAIRS = list(itertools.product(FRAMEWORK_STATUSES, FRAMEWORK_STATUSES))

MEMBERSHIP_ALLOWED = {
    (None, "applied"),
    (None, "admitted"),
    ("applied", "admitted"),
    ("applied", "rejected"),
    ("rejected", "applied"),
    ("admitted", "suspended"),
    ("admitted", "removed"),
    ("suspended", "admitted"),
    ("suspended", "removed"),
}
MEMBERSHIP_PAIRS = list(itertools.product([None, *MEMBERSHIP_STATUSES], MEMBERSHIP_STATUSES))


def test_the_framework_table_covers_every_status():
    assert set(FRAMEWORK_TRANSITIONS) == set(FRAMEWORK_STATUSES)
    assert all(t in FRAMEWORK_STATUSES for targets in FRAMEWORK_TRANSITIONS.values() for t in targets)


def test_the_membership_table_covers_every_status_and_not_a_member():
    assert set(MEMBERSHIP_TRANSITIONS) == {""} | set(MEMBERSHIP_STATUSES)
    assert all(t in MEMBERSHIP_STATUSES for targets in MEMBERSHIP_TRANSITIONS.values() for t in targets)


@pytest.mark.parametrize("current,target", sorted(FRAMEWORK_ALLOWED))
def test_an_allowed_framework_step_passes(current, target):
    check_framework_transition(current, target)


@pytest.mark.parametrize("current,target", [p for p in FRAMEWORK_PAIRS if p not in FRAMEWORK_ALLOWED])
def test_a_framework_step_outside_the_lifecycle_is_refused_with_a_message(current, target):
    with pytest.raises(IllegalTransition) as e:
        check_framework_transition(current, target)
    message = e.value.message
    assert FRAMEWORK_STATUSES[current].lower() in message
    assert FRAMEWORK_STATUSES[target].lower() in message
    assert "Allowed next:" in message


def test_the_framework_refusal_names_what_is_allowed_next():
    with pytest.raises(IllegalTransition) as e:
        check_framework_transition("draft", "live")
    assert e.value.message == ("A framework that is draft cannot become live. "
                               "Allowed next: Open for applications.")


def test_an_expired_framework_can_go_nowhere():
    with pytest.raises(IllegalTransition, match="Allowed next: none"):
        check_framework_transition("expired", "open")


def test_an_illegal_transition_is_a_domain_error_so_views_show_it():
    with pytest.raises(DomainError):
        check_framework_transition("expired", "draft")


@pytest.mark.parametrize("current,target", sorted(MEMBERSHIP_ALLOWED, key=str))
def test_an_allowed_membership_decision_passes(current, target):
    check_membership_transition(current, target)


def test_an_empty_string_means_not_a_member_like_none():
    check_membership_transition("", "admitted")
    with pytest.raises(IllegalTransition):
        check_membership_transition("", "suspended")


@pytest.mark.parametrize("current,target", [p for p in MEMBERSHIP_PAIRS if p not in MEMBERSHIP_ALLOWED], ids=str)
def test_a_membership_decision_outside_the_lifecycle_is_refused_with_a_message(current, target):
    with pytest.raises(IllegalTransition) as e:
        check_membership_transition(current, target)
    label = MEMBERSHIP_STATUSES[current].lower() if current else "not a member"
    assert e.value.message.startswith("You cannot ")
    assert e.value.message.endswith(f"an exemplar that is {label}.")


@pytest.mark.parametrize("target,verb", [("applied", "apply"), ("admitted", "admit"), ("rejected", "reject"),
                                         ("suspended", "suspend"), ("removed", "remove")])
def test_the_refusal_uses_the_verb_of_the_decision(target, verb):
    with pytest.raises(IllegalTransition) as e:
        check_membership_transition("removed", target)
    assert e.value.message == f"You cannot {verb} an exemplar that is removed."


def test_removal_is_final():
    assert MEMBERSHIP_TRANSITIONS["removed"] == frozenset()
    for target in MEMBERSHIP_STATUSES:
        with pytest.raises(IllegalTransition):
            check_membership_transition("removed", target)


def test_a_suspended_exemplar_cannot_be_suspended_again():
    with pytest.raises(IllegalTransition, match="You cannot suspend an exemplar that is suspended."):
        check_membership_transition("suspended", "suspended")


def test_a_trust_that_is_not_a_member_cannot_be_suspended_or_removed():
    for target in ("suspended", "removed", "rejected"):
        with pytest.raises(IllegalTransition, match="that is not a member"):
            check_membership_transition(None, target)
