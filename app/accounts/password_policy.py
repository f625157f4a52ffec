"""What makes a password acceptable (pure: no Flask, no database).

The rules follow the NCSC and NIST SP 800-63B advice: length over complexity, and refuse what an
attacker tries first. A password must

- be at least 12 characters long (and at most 1,000, so hashing stays cheap);
- not be a common password, nor a common password with digits or symbols stuck on the end
  ("sunshine2026!"), nor one character or a short pattern repeated ("aaaaaaaaaaaa");
- not contain the name part of the user's email address ("bea.buyer" or "buyer").

The common passwords are the 30,000 most frequent passwords from leaked password sets, as shipped
by the zxcvbn package (MIT licence) — a declared dependency, so no list is copied into this project.
"""
from __future__ import annotations

import re
from functools import lru_cache

MIN_LENGTH = 12
MAX_LENGTH = 1000
#: Parts of an email's name shorter than this are too common to refuse ("al", "jo").
MIN_NAME_PART = 4
#: A password needs at least this many different characters.
MIN_DISTINCT = 5

_TRAILING_NOISE = re.compile(r"[\d\W_]+$")
_LEADING_NOISE = re.compile(r"^[\d\W_]+")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The blocklist, lower-cased, read once."""
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.strip().lower() for p in FREQUENCY_LISTS["passwords"] if p.strip())


def _email_name_parts(email: str | None) -> list[str]:
    """The name part of an email and its pieces split on dots, dashes, underscores and plus signs."""
    local = (email or "").split("@", 1)[0].strip().lower()
    if not local:
        return []
    parts = [p for p in re.split(r"[._+\-]+", local) if len(p) >= MIN_NAME_PART]
    return ([local] if len(local) >= MIN_NAME_PART or not parts else []) + parts


def _cores(text: str):
    """The text with digits or symbols cut from either end, every way: '!!iloveyou2026' gives
    'iloveyou2026', 'iloveyou202', … 'iloveyou', so a common password with noise around it is found."""
    head = len(text) - len(_LEADING_NOISE.sub("", text))
    tail = len(_TRAILING_NOISE.sub("", text))
    # At most 12 characters of noise each side: enough for years, counters and '!!', and bounded.
    for start in range(0, min(head, 12) + 1):
        for end in range(max(tail, start + 1, len(text) - 12), len(text) + 1):
            if (start, end) != (0, len(text)):
                yield text[start:end]


def _is_repetition(text: str) -> bool:
    """True for a short pattern repeated to fill the length: 'abcabcabcabc', 'passwordpassword'."""
    n = len(text)
    return any(n % k == 0 and text[:k] * (n // k) == text for k in range(1, n // 2 + 1))


def _is_sequence(text: str) -> bool:
    """True when nearly every character follows the last in order or repeats it: '123456789012', 'abcdefghijkl'."""
    steps = [ord(b) - ord(a) for a, b in zip(text, text[1:])]
    return bool(steps) and sum(1 for s in steps if s in (-1, 0, 1)) >= 0.75 * len(steps)


def password_problem(password: str, *, email: str | None = None) -> str | None:
    """The first reason this password is not acceptable, written for the user; None when it is fine."""
    if password is None or len(password) < MIN_LENGTH:
        return f"Password must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"Password must be {MAX_LENGTH:,} characters or fewer"
    lowered = password.lower()
    blocklist = common_passwords()
    stripped = _LEADING_NOISE.sub("", _TRAILING_NOISE.sub("", lowered))
    if lowered in blocklist or any(core in blocklist for core in _cores(lowered)):
        return "Password is too common: choose one that is hard to guess, such as three random words"
    if (len(set(lowered)) < MIN_DISTINCT or _is_repetition(lowered) or (len(stripped) > 1 and _is_repetition(stripped))
            or _is_sequence(lowered)):
        return "Password is too easy to guess: avoid repeated characters and patterns"
    for part in _email_name_parts(email):
        if part in lowered:
            return "Password must not contain your email address or the name in it"
    return None
