"""Reading CSV text for imports, as pure functions: bytes to text, text to records, and dates.

Shared by the organisation and deployment readers in app/registry/importing.py.
"""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from typing import Iterable, Mapping


def decode(data: bytes) -> str:
    """Text from a file's bytes: UTF-8 (with or without a BOM), else Windows-1252 / Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def records(text: str) -> Iterable[tuple[int, list[str]]]:
    """(line number where the record starts, cells) for each non-blank CSV record."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            yield previous + 1, ["\x00csv-error", str(e)]
            previous = reader.line_num
            continue
        start, previous = previous + 1, reader.line_num
        if not cells or all(not c.strip() for c in cells):
            continue
        yield start, [c.strip() for c in cells]


def ods_date(text: str) -> date:
    """An ODS date, YYYYMMDD (ISO YYYY-MM-DD is accepted too)."""
    text = text.strip()
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return date.fromisoformat(text)
    raise ValueError(text)


def parse_date(text: str) -> date | None:
    """A date written YYYY-MM-DD, YYYY-MM (first of the month), YYYY (1 January) or DD/MM/YYYY."""
    text = (text or "").strip()
    if not text:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        return date(int(m[1]), int(m[2]), 1)
    if m := re.fullmatch(r"(\d{4})", text):
        return date(int(m[1]), 1, 1)
    if m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text):
        return date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(text)


def short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def date_field(row: Mapping[str, str], name: str, problems: list[str]) -> date | None:
    try:
        return parse_date(row[name])
    except ValueError:
        problems.append(f"{name} ‘{short(row[name])}’ is not a date (YYYY-MM-DD)")
        return None


def sentence(problems: list[str]) -> str:
    text = "; ".join(problems)
    return text[0].upper() + text[1:] + "."
