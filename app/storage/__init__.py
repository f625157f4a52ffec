"""File storage: one small interface, two backends.

Documents are kept by the SHA-256 of their content (content-addressed): the same bytes are stored
once, a stored object never changes, and a key names exactly one content, so a copy can be checked
against the database's hash at any time. The rest of the app asks `storage()` for the configured
backend and uses only `put`, `get`, `exists` and `delete`:

- `local` (the default): files under `instance/documents/` (DOCUMENT_STORAGE_PATH), for one server;
- `s3`: an S3-compatible object store (boto3; DOCUMENT_S3_BUCKET, DOCUMENT_S3_ENDPOINT_URL), which
  several app servers behind a load balancer share.

Nothing here knows what a document is for or who may read it: the domains decide that.
"""
from __future__ import annotations

from flask import Flask, current_app

from .base import Storage, StorageError, check_key, content_key


def make_storage(config) -> Storage:
    """The backend the configuration names (DOCUMENT_STORAGE: "local" or "s3")."""
    kind = (config.get("DOCUMENT_STORAGE") or "local").lower()
    if kind == "local":
        from .local import LocalStorage

        return LocalStorage(config["DOCUMENT_STORAGE_PATH"])
    if kind == "s3":
        from .s3 import S3Storage

        return S3Storage(bucket=config["DOCUMENT_S3_BUCKET"], endpoint_url=config.get("DOCUMENT_S3_ENDPOINT_URL"),
                         region=config.get("DOCUMENT_S3_REGION"), prefix=config.get("DOCUMENT_S3_PREFIX", ""))
    raise RuntimeError(f"DOCUMENT_STORAGE must be 'local' or 's3', not {kind!r}")


def init_app(app: Flask) -> None:
    """Make the configured backend once, for every request of this app."""
    app.extensions["storage"] = make_storage(app.config)


def storage() -> Storage:
    """The app's storage backend."""
    return current_app.extensions["storage"]


__all__ = ["Storage", "StorageError", "check_key", "content_key", "init_app", "make_storage", "storage"]
