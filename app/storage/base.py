"""What every storage backend is and shares: the interface, the key of some content, the error."""
from __future__ import annotations

import hashlib
import re
from typing import Protocol

_KEY = re.compile(r"[0-9a-f]{64}")


class StorageError(RuntimeError):
    """The store could not keep or give back an object (disk full, bucket unreachable …)."""


class Storage(Protocol):
    """What every backend does. Keys are SHA-256 hex digests of the content."""

    def put(self, key: str, data: bytes) -> None:
        """Keep `data` under `key` (its SHA-256). Storing a key again is harmless."""

    def get(self, key: str) -> bytes:
        """The content under `key`; KeyError when there is none."""

    def exists(self, key: str) -> bool:
        """Whether an object is kept under `key`."""

    def delete(self, key: str) -> None:
        """Forget the object under `key` (nothing happens when there is none)."""

    def keys(self) -> list[str]:
        """Every key kept, sorted (for checks: it lists the whole store)."""


def content_key(data: bytes) -> str:
    """The key of some content: its SHA-256, in lower-case hex."""
    return hashlib.sha256(data).hexdigest()


def check_key(key: str) -> str:
    """Refuse anything but a SHA-256 hex digest, so a key can never name a path or a prefix."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(f"not a content key: {key!r}")
    return key
