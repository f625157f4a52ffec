"""Sign-in throttling rules: how many wrong passwords each scope allows, and how long sign-ins then wait.

Why not a lock-out: five wrong passwords used to lock an account until an administrator unlocked it,
so anyone who knew a bidder's e-mail address could shut them out just before a deadline. Now wrong
passwords are counted in three scopes, and each scope that passes its allowance waits, for a time
that doubles with every further failure up to a ceiling, then opens again by itself:

- **this account from this address** (5 allowed): an attacker at one address slows only themselves;
  the owner, elsewhere, signs in as usual;
- **this account from anywhere** (20 allowed): many addresses guessing one password;
- **this address, any account** (50 allowed): one address trying many accounts. Generous, because
  a whole NHS trust may reach us through one address.

A correct password clears the first two counts (not the address's, which another account's right
password must not reset); counts are forgotten after a quiet period. Unknown e-mail addresses are
counted exactly like real ones, so the answers reveal nothing about which accounts exist.

Pure: plain values in, plain values out; the counts live in a store (throttle_store.py).
"""
from __future__ import annotations

import hashlib
import ipaddress
import math
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Rule:
    """The allowance of one scope."""

    scope: str
    #: The failure that starts the first wait (the ones before it are answered "wrong password").
    lock_at: int
    first_wait: timedelta
    longest_wait: timedelta
    #: The count is forgotten after this long without a failure.
    forget_after: timedelta

    def __post_init__(self) -> None:
        if self.lock_at < 1 or self.first_wait > self.longest_wait or self.forget_after < self.longest_wait:
            raise ValueError(f"inconsistent throttling rule {self}")

    def wait_after(self, failures: int) -> timedelta:
        """How long sign-ins in this scope wait after its `failures`-th failure (zero below lock_at)."""
        if failures < self.lock_at:
            return timedelta(0)
        doublings = failures - self.lock_at
        if doublings >= 32:  # far past the ceiling: no need to compute 2**huge
            return self.longest_wait
        return min(self.first_wait * 2**doublings, self.longest_wait)


PAIR = Rule("pair", lock_at=5, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=15),
            forget_after=timedelta(hours=24))
ACCOUNT = Rule("account", lock_at=20, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=15),
               forget_after=timedelta(hours=24))
ADDRESS = Rule("address", lock_at=50, first_wait=timedelta(minutes=1), longest_wait=timedelta(minutes=15),
               forget_after=timedelta(hours=1))
RULES = (PAIR, ACCOUNT, ADDRESS)  # also the order keys are written in (one order: no deadlocks)


def account_tag(email: str) -> str:
    """A short fingerprint of the normalised e-mail address: stores never hold addresses in clear."""
    return hashlib.sha256((email or "").strip().lower().encode("utf-8", "surrogatepass")).hexdigest()[:32]


def address_tag(address: str | None) -> str | None:
    """The client address as counted: an IPv4 address itself, an IPv6 address by its /64 network
    (one subscriber's whole allocation), anything unparsable as it is (cut short)."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()[:64] or None
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def pair_prefix(email: str) -> str:
    """The start of every pair key of this account (to clear them all when it is unlocked)."""
    return f"pair:{account_tag(email)}:"


def keys_for(email: str, address: str | None) -> dict[Rule, str]:
    """The store key of each scope an attempt with this e-mail from this address counts in."""
    keys = {ACCOUNT: f"account:{account_tag(email)}"}
    tag = address_tag(address)
    if tag is not None:
        keys = {PAIR: pair_prefix(email) + tag, **keys, ADDRESS: f"address:{tag}"}
    return keys


def account_keys(email: str) -> tuple[list[str], list[str]]:
    """(keys, key prefixes) that a correct password or an unlock clears for this account."""
    return [f"account:{account_tag(email)}"], [pair_prefix(email)]


def minutes_to_wait(wait: timedelta) -> int:
    """Whole minutes, rounded up (a wait of 10 seconds is "1 minute")."""
    return max(1, math.ceil(wait.total_seconds() / 60))


def wait_phrase(wait: timedelta) -> str:
    n = minutes_to_wait(wait)
    return f"{n} minute{'' if n == 1 else 's'}"
