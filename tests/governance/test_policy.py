"""The governance permission rules, role by role."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.accounts.permissions import can

ROLES = ["follower_buyer", "evaluator", "exemplar_manager", "commercial_admin", "auditor"]


def _expect(rule, obj, allowed, people):
    got = {role for role in ROLES if can(people[role], rule, obj)}
    assert got == set(allowed), rule
    assert not can(None, rule, obj)


@pytest.mark.parametrize("rule, allowed", [
    ("governance.oversee", {"commercial_admin", "auditor"}),
    ("governance.manage", {"commercial_admin"}),
    ("governance.trust_pages", {"follower_buyer", "exemplar_manager"}),
])
def test_page_level_rules(people, rule, allowed):
    _expect(rule, None, allowed, people)


def test_a_trust_applies_only_for_itself(people, make):
    _expect("governance.apply", people["org"], {"follower_buyer", "exemplar_manager"}, people)
    _expect("governance.apply", make.org(), set(), people)


def test_applications_are_seen_by_their_trust_and_the_oversight_roles(people, make):
    own = SimpleNamespace(organisation_id=people["org"].id)
    other = SimpleNamespace(organisation_id=make.org().id)
    _expect("governance.view_application", own, {"follower_buyer", "exemplar_manager", "commercial_admin", "auditor"}, people)
    _expect("governance.view_application", other, {"commercial_admin", "auditor"}, people)


def test_agreements_are_seen_by_their_organisation_and_checked_in_only_by_it(people, make):
    own = SimpleNamespace(organisation_id=people["org"].id)
    other = SimpleNamespace(organisation_id=make.org().id)
    _expect("governance.view_agreement", own, {"follower_buyer", "exemplar_manager", "commercial_admin", "auditor"}, people)
    _expect("governance.view_agreement", other, {"commercial_admin", "auditor"}, people)
    _expect("governance.file_checkin", own, {"follower_buyer", "exemplar_manager"}, people)
    _expect("governance.file_checkin", other, set(), people)


def test_only_the_followers_buyers_rate_a_partnership(people, make):
    as_follower = SimpleNamespace(follower_id=people["org"].id, exemplar_id=make.org().id)
    as_exemplar = SimpleNamespace(follower_id=make.org().id, exemplar_id=people["org"].id)
    _expect("governance.rate_partnership", as_follower, {"follower_buyer"}, people)
    _expect("governance.rate_partnership", as_exemplar, set(), people)


def test_an_inactive_user_may_do_nothing(people):
    people["commercial_admin"].active = False
    assert not can(people["commercial_admin"], "governance.manage")
