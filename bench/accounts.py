"""The password of every synthetic account, hashed once (argon2 is slow on purpose)."""
from __future__ import annotations

from functools import lru_cache

BENCH_PASSWORD = "bench-password-2026"


@lru_cache(maxsize=1)
def bench_password_hash() -> str:
    from app.accounts.passwords import hash_password

    return hash_password(BENCH_PASSWORD)
