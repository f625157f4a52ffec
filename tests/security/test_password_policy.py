"""The password policy (pure: no Flask, no database)."""
from __future__ import annotations

import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.accounts.password_policy import MIN_LENGTH, common_passwords, password_problem


def test_the_blocklist_is_shipped_and_large():
    words = common_passwords()
    assert len(words) > 15_000 and "password" in words and "qwerty" in words


@pytest.mark.parametrize("password", [
    "correct horse battery staple",
    "marble otter lantern quarry",
    "Tr0ub4dor&3-xylophone",
    "my train leaves at 07:42 daily",
])
def test_a_long_uncommon_password_is_accepted(password):
    assert password_problem(password, email="bea.buyer@demo.exemplar.nhs.uk") is None


@pytest.mark.parametrize("password, reason", [
    ("", "at least 12"),
    ("elevenchars", "at least 12"),
    ("x" * 1001, "1,000 characters or fewer"),
    ("password1234", "too common"),
    ("Password1234", "too common"),
    ("qwerty123456", "too common"),
    ("sunshine2026!", "too common"),
    ("!!iloveyou2026", "too common"),
    ("aaaaaaaaaaaa", "too easy"),
    ("abcabcabcabc", "too easy"),
    ("qwertyqwerty1", "too easy"),
    ("trustno1trustno1", "too "),
    ("123456789012", "too "),
    ("098765432123", "too "),
    ("abcdefghijklmn", "too easy"),
    ("bea.buyer-rocks-2026", "email"),
    ("the-buyer-is-here", "email"),
    ("BEA.BUYER is great", "email"),
])
def test_a_weak_password_is_refused_with_a_reason(password, reason):
    problem = password_problem(password, email="bea.buyer@demo.exemplar.nhs.uk")
    assert problem is not None and reason in problem


def test_short_pieces_of_an_email_name_do_not_refuse_a_password():
    # "jo" is in many words; only pieces of four or more characters count.
    assert password_problem("journey over mountains", email="jo.li@test.nhs.uk") is None
    assert password_problem("journey over mountains", email="jour@test.nhs.uk") is not None


@settings(deadline=None, max_examples=50)
@given(st.text(min_size=0, max_size=MIN_LENGTH - 1))
def test_every_password_shorter_than_the_minimum_is_refused(text):
    assert password_problem(text) is not None


@settings(deadline=None, max_examples=50)
@given(st.text(max_size=200), st.emails())
def test_the_policy_answers_every_input_without_failing(text, email):
    problem = password_problem(text, email=email)
    assert problem is None or isinstance(problem, str)


@settings(deadline=None, max_examples=50)
@given(st.sampled_from(sorted(common_passwords())), st.text(alphabet=string.digits + "!?.", max_size=6))
def test_a_common_password_with_digits_or_symbols_added_is_refused(word, noise):
    assert password_problem(word + noise) is not None
