"""The local backend: files on this server's disk, under instance/documents/ by default.

Each object is a file named by its key, in two levels of folders (`ab/cd/abcd…`) so no folder
grows past a few thousand entries. A file is written under a temporary name and renamed into
place, so a reader never sees half an object and a crash leaves no partial file under a key.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .base import StorageError, check_key


class LocalStorage:
    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        check_key(key)
        return self.root / key[:2] / key[2:4] / key

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        if path.exists():
            return  # content-addressed: the same key holds the same bytes
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".incoming-")
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError as e:
            raise StorageError(f"could not store {key}: {e.strerror or e}") from e

    def get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self) -> list[str]:
        """Every key kept (for checks and tests; walks the whole folder)."""
        if not self.root.exists():
            return []
        return sorted(p.name for p in self.root.glob("??/??/*") if p.is_file() and not p.name.startswith("."))
