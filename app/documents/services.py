"""Keeping, attaching, removing and giving back documents. Like every service: check, change,
audit, flush — never commit (the view commits once).

The owning domain has already asked its own permission rule; these functions do what is the
same everywhere: put the judged bytes in the store under their SHA-256, number the versions,
write the audit entry (about the owner's link, so sealing rules that hide the link hide its
entries too) with the file's hash, and answer downloads and zips that check the bytes against
the hash they were stored under.
"""
from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from typing import Iterable, Sequence

from flask import current_app, send_file
from sqlalchemy import select

from app.audit.services import acting_user_id, record
from app.errors import DomainError
from app.extensions import db
from app.models_base import utcnow
from app.storage import StorageError, content_key, storage

from .models import AttachmentMixin, Document
from .rules import Judged, Limits, Refused, judge


def limits() -> Limits:
    """The configured limits (DOCUMENT_MAX_BYTES and the zip bounds)."""
    c = current_app.config
    return Limits(c["DOCUMENT_MAX_BYTES"], c["DOCUMENT_MAX_UNPACKED_BYTES"], c["DOCUMENT_MAX_ENTRIES"])


@dataclass(frozen=True)
class Upload:
    """An upload that has been judged and may be kept (forms.DocumentField makes it)."""

    data: bytes
    judged: Judged


def check_upload(data: bytes, filename: str | None) -> Upload:
    """Judge bytes as an upload (raises rules.Refused with the sentence to show)."""
    return Upload(data, judge(data, filename, limits()))


def keep(upload: Upload, *, actor=None) -> Document:
    """Store the bytes under their SHA-256 and record the file (no audit entry: the link that
    attaches it is audited)."""
    key = content_key(upload.data)
    try:
        storage().put(key, upload.data)
    except StorageError as e:
        current_app.logger.error("document store failed: %s", e)
        raise DomainError("The file could not be saved just now. Try again in a few minutes.", field="file") from e
    document = Document(sha256=key, size_bytes=upload.judged.size, file_type=upload.judged.type.key,
                        filename=upload.judged.name, uploaded_by_id=acting_user_id(actor))
    db.session.add(document)
    db.session.flush()
    return document


def describe(link: AttachmentMixin) -> dict:
    """What an audit entry says about a document: its name, type, size, hash and version."""
    d = link.document
    return {"document_id": d.id, "file": d.filename, "type": d.file_type, "size_bytes": d.size_bytes,
            "sha256": d.sha256, "series": link.series, "version": link.version}


def attach(link: AttachmentMixin, upload: Upload | Document, *, actor=None, summary: str,
           sealed_as_of: datetime | None = None) -> AttachmentMixin:
    """Attach an upload (kept now) or a document kept already through `link` (its owner columns
    and series set by the caller) as the next version of its series; audited with the file's hash
    (sealed as of `sealed_as_of` where the caller decided at that instant: audit.services.record)."""
    link.document = keep(upload, actor=actor) if isinstance(upload, Upload) else upload
    link.version = link.next_version()
    link.added_by_id = acting_user_id(actor)
    db.session.add(link)
    record("document.upload", link, after=describe(link), summary=summary, actor=actor, sealed_as_of=sealed_as_of)
    return link


def remove(link: AttachmentMixin, *, actor=None, summary: str, sealed_as_of: datetime | None = None) -> int:
    """Take a document (every version of its series) off its owner; the versions stay for the
    record. Returns how many links were marked."""
    now, marked = utcnow(), 0
    for sibling in db.session.execute(link.siblings()).unique().scalars():
        if sibling.removed_at is None:
            sibling.removed_at, marked = now, marked + 1
    if marked:
        record("document.remove", link, after=describe(link), summary=summary, actor=actor,
               sealed_as_of=sealed_as_of)
    return marked


def current(links: Iterable[AttachmentMixin]) -> list[AttachmentMixin]:
    """The documents in force: the latest version of each series not removed, oldest series first."""
    latest: dict[str, AttachmentMixin] = {}
    for link in links:
        if link.removed_at is None and (link.series not in latest or link.version > latest[link.series].version):
            latest[link.series] = link
    return sorted(latest.values(), key=lambda x: (x.added_at, x.id))


def earlier(links: Iterable[AttachmentMixin]) -> list[AttachmentMixin]:
    """Every other version (replaced or removed), newest first: kept for the record."""
    links = list(links)
    now = {x.id for x in current(links)}
    return sorted((x for x in links if x.id not in now), key=lambda x: (x.added_at, x.id), reverse=True)


def links_of(cls: type[AttachmentMixin], *conditions) -> list[AttachmentMixin]:
    return list(db.session.execute(select(cls).where(*conditions).order_by(cls.id)).unique().scalars())


def content(document: Document) -> bytes:
    """The stored bytes, checked against the SHA-256 they were kept under."""
    try:
        data = storage().get(document.sha256)
    except (KeyError, StorageError) as e:
        current_app.logger.error("document %s (%s) cannot be read: %r", document.id, document.sha256, e)
        raise DomainError("This file cannot be fetched just now. Try again later, or tell the service desk.") from e
    if content_key(data) != document.sha256:
        current_app.logger.error("document %s does not match its hash %s", document.id, document.sha256)
        raise DomainError("This file is damaged in the store and is not sent. Tell the service desk.")
    return data


def send(link: AttachmentMixin, *, actor=None, summary: str):
    """A download of one document (always as an attachment, never shown in the page's origin),
    audited with its hash. The caller has checked the permission and commits."""
    data = content(link.document)
    record("document.download", link, after=describe(link), summary=summary, actor=actor)
    response = send_file(io.BytesIO(data), mimetype=link.document.content_type, as_attachment=True,
                         download_name=link.document.filename, max_age=0, etag=link.document.sha256)
    response.headers["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class ZipItem:
    folder: str
    link: AttachmentMixin


def zip_response(items: Sequence[ZipItem], *, download_name: str):
    """One zip of many documents, each in its folder, with a MANIFEST.csv listing every file's
    SHA-256 (so a reader can check the copy they hold). Spooled to disk past 32 MB, so a large
    pack does not sit in memory. The caller audits the download and commits."""
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(["path", "sha256", "size_bytes", "type", "version", "uploaded_at_utc"])
    used: set[str] = set()
    with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for item in items:
            d = item.link.document
            path = _unique(f"{_folder(item.folder)}/{d.filename}" if item.folder else d.filename, used)
            archive.writestr(path, content(d))
            writer.writerow([path, d.sha256, d.size_bytes, d.file_type, item.link.version, d.uploaded_at.isoformat()])
        archive.writestr("MANIFEST.csv", manifest.getvalue())
    spool.seek(0)
    response = send_file(spool, mimetype="application/zip", as_attachment=True, download_name=download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def manifest_of(items: Sequence[ZipItem]) -> list[dict]:
    """What a zip holds, for its audit entry: every file's name and hash."""
    return [{"folder": i.folder, "file": i.link.document.filename, "sha256": i.link.document.sha256} for i in items]


def _folder(name: str) -> str:
    """A folder path ("Bidder/Question 1") whose every part is safe in a zip."""
    parts = ("".join(ch if ch.isalnum() or ch in " .,()&'-" else "_" for ch in p).strip(" .") for p in name.split("/"))
    return "/".join(p or "folder" for p in parts)


def _unique(path: str, used: set[str]) -> str:
    stem, dot, ext = path.rpartition(".")
    candidate, n = path, 2
    while candidate.lower() in used:
        candidate, n = f"{stem} ({n}){dot}{ext}" if dot else f"{path} ({n})", n + 1
    used.add(candidate.lower())
    return candidate


__all__ = ["Refused", "Upload", "ZipItem", "attach", "check_upload", "content", "current", "describe", "earlier",
           "keep", "limits", "links_of", "manifest_of", "remove", "send", "zip_response"]
