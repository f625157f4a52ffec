"""Whether an uploaded file may be kept: judged by its content, never by its name alone.

Pure functions on bytes and plain values (no Flask, no database), so every refusal is tested
without an app. `judge` answers a `Judged` (the file's real type, a safe name) or raises
`Refused` with the sentence the person sees, in the words of the NHS and GOV.UK file upload
pattern ("The selected file …").

- The type comes from the content (the `filetype` library reads the magic numbers; CSV, which
  has none, must be plain text). A name that claims another type is refused: a PDF renamed .exe
  and a program renamed .pdf alike.
- DOCX, XLSX, ODT and ODS are zip files: they are opened and read through, entry by entry, to a
  bound on the unpacked size and the number of entries (a zip bomb is refused before anyone opens
  it), must hold the part their type needs, and may not carry macros.
- Names keep letters of any alphabet, digits and a little punctuation; never a path, a control
  character, a leading dot or more than 120 characters.
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype


class Refused(ValueError):
    """The file may not be kept; `message` says why, to the person who chose it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FileType:
    key: str            # the canonical extension
    label: str          # how a person calls it
    mime: str
    extensions: tuple[str, ...]
    zipped: bool = False
    needs: tuple[str, ...] = ()  # a zipped type: one of these entries must be in the archive


TYPES: dict[str, FileType] = {t.key: t for t in (
    FileType("pdf", "PDF", "application/pdf", ("pdf",)),
    FileType("docx", "Word document (DOCX)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ("docx",), zipped=True, needs=("word/document.xml",)),
    FileType("xlsx", "Excel spreadsheet (XLSX)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             ("xlsx",), zipped=True, needs=("xl/workbook.xml",)),
    FileType("odt", "OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text", ("odt",), zipped=True,
             needs=("content.xml",)),
    FileType("ods", "OpenDocument spreadsheet (ODS)", "application/vnd.oasis.opendocument.spreadsheet", ("ods",),
             zipped=True, needs=("content.xml",)),
    FileType("csv", "CSV", "text/csv", ("csv",)),
    FileType("png", "PNG image", "image/png", ("png",)),
    FileType("jpg", "JPEG image", "image/jpeg", ("jpg", "jpeg")),
)}

#: The allowed types in a sentence, for hints and refusals.
ALLOWED_TEXT = "PDF, DOCX, XLSX, ODT, ODS, CSV, PNG or JPEG"
#: The `accept` attribute of a file input (a hint to the browser; the server judges again).
ACCEPT = ",".join(f".{e}" for t in TYPES.values() for e in t.extensions)
MAX_NAME = 120
_MACRO_PARTS = ("vbaproject.bin", "basic/", "scripts/")


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked_bytes: int
    max_entries: int


@dataclass(frozen=True)
class Judged:
    type: FileType
    name: str   # safe, ending in one of the type's extensions
    size: int


def megabytes(n: int) -> str:
    """A size limit as people say it: 20 MB."""
    mb = n / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 1 and mb == int(mb) else f"{mb:.1f} MB"


def judge(data: bytes, filename: str | None, limits: Limits) -> Judged:
    """Judge an upload: its size, its real type (from the content), its name; raise Refused."""
    if not data:
        raise Refused("The selected file is empty")
    if len(data) > limits.max_bytes:
        raise Refused(f"The selected file must be smaller than {megabytes(limits.max_bytes)}")
    ftype = detect(data)
    if ftype is None:
        raise Refused(f"The selected file must be a {ALLOWED_TEXT}")
    if ftype.zipped:
        check_archive(data, ftype, limits)
    return Judged(ftype, safe_name(filename, ftype), len(data))


def detect(data: bytes) -> FileType | None:
    """The allowed type the content is, or None (a program, an archive, an unknown binary)."""
    kind = filetype.guess(data)
    if kind is not None:
        key = "jpg" if kind.extension == "jpg" else kind.extension
        return TYPES.get(key)
    return TYPES["csv"] if is_text_table(data) else None


def is_text_table(data: bytes) -> bool:
    """Plain text a spreadsheet could open as CSV: UTF-8 (or Windows-1252, as Excel saves it),
    with no control characters but tabs and line ends."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return False
    if not text.strip():
        return False
    return not any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text)


def check_archive(data: bytes, ftype: FileType, limits: Limits) -> None:
    """Read a zipped document through, bounding what it unpacks to (the sizes its directory
    declares may lie, so the bytes are counted as they come out)."""
    too_big = Refused(f"The selected file unpacks to more than {megabytes(limits.max_unpacked_bytes)} or "
                      f"{limits.max_entries:,} parts, so it cannot be checked: save it again without embedded "
                      f"files, or split it")
    damaged = Refused(f"The selected file is not a readable {ftype.label}: open it, save it again and upload the copy")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > limits.max_entries:
                raise too_big
            names = {e.filename.lower() for e in entries}
            if not any(n in names for n in ftype.needs):
                raise damaged
            if any(n.endswith(_MACRO_PARTS[0]) or n.startswith(_MACRO_PARTS[1:]) for n in names):
                raise Refused(f"The selected file contains macros: save it as a {ftype.label} without macros")
            unpacked = 0
            for entry in entries:
                if entry.flag_bits & 0x1:
                    raise Refused("The selected file is protected with a password: remove the password and "
                                  "upload it again")
                with archive.open(entry) as member:
                    while chunk := member.read(1024 * 1024):
                        unpacked += len(chunk)
                        if unpacked > limits.max_unpacked_bytes:
                            raise too_big
    except Refused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError, OSError, ValueError):
        raise damaged from None


_UNSAFE = re.compile(r"[^\w\s.,()'&+\-]")
_SPACES = re.compile(r"[\s_]+")


def safe_name(filename: str | None, ftype: FileType) -> str:
    """A name safe to store, show and send back: no folders, no control or markup characters,
    no leading dots, at most 120 characters, ending in one of the type's extensions. A name that
    claims another type (a PDF called report.exe) is refused."""
    name = unicodedata.normalize("NFC", (filename or "").replace("\\", "/").rsplit("/", 1)[-1])
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    ext = ext.strip().lower()
    if ext and ext not in ftype.extensions:
        raise Refused(f"The selected file is a {ftype.label} but its name ends in .{ext[:10]}: rename it to end "
                      f"in .{ftype.extensions[0]} and upload it again")
    stem = _SPACES.sub(" ", _UNSAFE.sub("", stem)).strip(" .-") or "document"
    ext = ext or ftype.extensions[0]
    return f"{stem[:MAX_NAME - len(ext) - 1].rstrip(' .')}.{ext}"
