"""The S3-compatible backend (boto3): one bucket, shared by every app server.

Credentials come the way boto3 always finds them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the
environment, a profile, or an instance role); the app's configuration names only the bucket, the
endpoint of a non-AWS store (MinIO, Ceph …), the region and an optional key prefix. Objects are
written with their SHA-256 checked by the store (ChecksumSHA256), so a corrupted upload is refused.
"""
from __future__ import annotations

import base64
import hashlib

from .base import StorageError, check_key


class S3Storage:
    def __init__(self, *, bucket: str, endpoint_url: str | None = None, region: str | None = None,
                 prefix: str = "", client=None) -> None:
        if not bucket:
            raise RuntimeError("DOCUMENT_S3_BUCKET must name the bucket when DOCUMENT_STORAGE is 's3'")
        if client is None:
            import boto3

            client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _key(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put(self, key: str, data: bytes) -> None:
        from botocore.exceptions import BotoCoreError, ClientError

        if self.exists(key):
            return
        checksum = base64.b64encode(hashlib.sha256(data).digest()).decode()
        try:
            self.client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data, ChecksumSHA256=checksum,
                                   ContentType="application/octet-stream")
        except (BotoCoreError, ClientError) as e:
            raise StorageError(f"could not store {key}: {e}") from e

    def get(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(key))
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                raise KeyError(key) from None
            raise StorageError(f"could not read {key}: {e}") from e
        return answer["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self._key(key))
            return True
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") in ("NoSuchKey", "404", "NotFound"):
                return False
            raise StorageError(f"could not look for {key}: {e}") from e

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def keys(self) -> list[str]:
        """Every key kept under the prefix (for checks and tests)."""
        out: list[str] = []
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            out += [o["Key"][len(self.prefix):] for o in page.get("Contents", [])]
        return sorted(out)
