"""CSV downloads: UTF-8 with a BOM (so Excel reads it right), correct quoting, ISO dates."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Iterable, Sequence

from flask import Response


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    # A cell starting with these would run as a formula in a spreadsheet (CSV injection).
    if text and text[0] in "=+-@\t\r" and not _is_number(text):
        text = "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buf.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    body = "\ufeff" + csv_text(header, rows)
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def pounds(pence: int | None) -> str:
    """Money for a CSV: pounds with two decimals, no symbol or separators."""
    if pence is None:
        return ""
    # Integer arithmetic: a float would round large sums.
    sign = "-" if pence < 0 else ""
    whole, rest = divmod(abs(int(pence)), 100)
    return f"{sign}{whole}.{rest:02d}"
