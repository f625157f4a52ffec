"""CSV downloads: UTF-8 with a BOM (so Excel reads it right), correct quoting, ISO dates, served as
`text/csv; charset=utf-8`; records of the shared export vocabulary (app/offers/exports.py) as cells."""
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
    # content_type, not mimetype: Flask adds "; charset=utf-8" to a mimetype, so the header said it twice.
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def record_cells(record: dict, fields: Sequence[str]) -> tuple[list[str], list]:
    """A record of the shared export vocabulary as a CSV header and row: a list becomes one
    "; "-joined cell, money in pence (`*_pence`) becomes exact pounds in a `*_gbp` column."""
    header, row = [], []
    for name in fields:
        value = record.get(name)
        if name.endswith("_pence"):
            header.append(name[: -len("_pence")] + "_gbp")
            row.append(pounds(value) if value is not None else None)
            continue
        header.append(name)
        row.append("; ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else value)
    return header, row


def pounds(pence: int | None) -> str:
    """Money for a CSV: pounds with two decimals, no symbol or separators."""
    if pence is None:
        return ""
    # Integer arithmetic: a float would round large sums.
    sign = "-" if pence < 0 else ""
    whole, rest = divmod(abs(int(pence)), 100)
    return f"{sign}{whole}.{rest:02d}"
