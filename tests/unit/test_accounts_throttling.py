"""The sign-in throttling rules (pure): allowances, growing waits, keys, and how waits are told."""
from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.throttling import (
    ACCOUNT,
    ADDRESS,
    PAIR,
    Rule,
    account_keys,
    account_tag,
    address_tag,
    keys_for,
    minutes_to_wait,
    wait_phrase,
)


def test_the_first_four_failures_from_one_address_cost_nothing_and_the_fifth_a_minute():
    assert [PAIR.wait_after(n) for n in range(1, 5)] == [timedelta(0)] * 4
    assert PAIR.wait_after(5) == timedelta(minutes=1)


def test_each_further_failure_doubles_the_wait_up_to_fifteen_minutes():
    assert [PAIR.wait_after(n).total_seconds() / 60 for n in range(5, 11)] == [1, 2, 4, 8, 15, 15]
    assert PAIR.wait_after(10**9) == timedelta(minutes=15)


def test_an_account_allows_more_failures_from_many_addresses_and_an_address_more_still():
    assert PAIR.lock_at < ACCOUNT.lock_at < ADDRESS.lock_at
    assert ACCOUNT.wait_after(ACCOUNT.lock_at - 1) == timedelta(0) < ACCOUNT.wait_after(ACCOUNT.lock_at)


def test_no_wait_outlasts_the_memory_of_its_count():
    for rule in (PAIR, ACCOUNT, ADDRESS):
        assert rule.longest_wait <= rule.forget_after


def test_an_inconsistent_rule_is_refused():
    with pytest.raises(ValueError):
        Rule("x", lock_at=0, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=2),
             forget_after=timedelta(hours=1))
    with pytest.raises(ValueError):
        Rule("x", lock_at=3, first_wait=timedelta(minutes=1), longest_wait=timedelta(hours=2),
             forget_after=timedelta(hours=1))


def test_an_attempt_counts_for_the_account_from_this_address_the_account_and_the_address():
    keys = keys_for(" Someone@Example.NHS.uk ", "192.0.2.7")
    assert list(keys) == [PAIR, ACCOUNT, ADDRESS]
    tag = account_tag("someone@example.nhs.uk")
    assert keys == {PAIR: f"pair:{tag}:192.0.2.7", ACCOUNT: f"account:{tag}", ADDRESS: "address:192.0.2.7"}
    assert "someone" not in "".join(keys.values())  # no e-mail address in clear in any store


def test_without_an_address_only_the_account_counts():
    assert list(keys_for("a@b.nhs.uk", None)) == [ACCOUNT]


def test_unlocking_clears_the_account_and_every_address_of_it_but_no_other_account():
    keys, prefixes = account_keys("a@b.nhs.uk")
    assert keys == [keys_for("a@b.nhs.uk", None)[ACCOUNT]]
    assert keys_for("a@b.nhs.uk", "192.0.2.1")[PAIR].startswith(prefixes[0])
    assert not keys_for("c@b.nhs.uk", "192.0.2.1")[PAIR].startswith(prefixes[0])


@pytest.mark.parametrize("address, tag", [
    ("192.0.2.7", "192.0.2.7"),
    ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
    ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),  # one subscriber's /64 is one address
    ("::ffff:192.0.2.7", "192.0.2.7"),
    ("not an address", "not an address"),
    ("", None),
    (None, None),
])
def test_addresses_are_counted_by_what_one_client_controls(address, tag):
    assert address_tag(address) == tag


@pytest.mark.parametrize("seconds, words", [(1, "1 minute"), (60, "1 minute"), (61, "2 minutes"), (900, "15 minutes")])
def test_a_wait_is_told_in_whole_minutes_rounded_up(seconds, words):
    assert wait_phrase(timedelta(seconds=seconds)) == words
    assert minutes_to_wait(timedelta(seconds=seconds)) == int(words.split()[0])
