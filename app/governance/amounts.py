"""Pounds typed by people, turned into integer pence (pure; no Flask)."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

#: The largest amount accepted in one field: £10bn, far above any agreement, well inside a BIGINT.
MAX_PENCE = 1_000_000_000_000

_POUNDS = re.compile(r"^\d{1,13}(\.\d{1,2})?$", re.ASCII)


class AmountError(ValueError):
    """The text is not an amount in pounds; the message is written for the user."""


def parse_pounds(text: str | None, *, label: str = "Amount") -> int | None:
    """ "£1,234.5" -> 123450 pence. Blank -> None.

    Accepts a leading £, thousands separators and up to two decimal places; refuses negative
    amounts, letters, more than two decimal places and anything above MAX_PENCE.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    cleaned = raw.replace("£", "", 1).replace(",", "").replace(" ", "")
    if cleaned.startswith("-"):
        raise AmountError(f"{label} must be £0 or more")
    if not _POUNDS.match(cleaned):
        raise AmountError(f"{label} must be an amount in pounds, like 1,250,000 or 1250000.50")
    try:
        pence = int((Decimal(cleaned) * 100).to_integral_exact())
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise AmountError(f"{label} must be an amount in pounds") from None
    if pence > MAX_PENCE:
        raise AmountError(f"{label} must be £10,000,000,000 or less")
    return pence


def pounds_text(pence: int | None) -> str:
    """Pence as the plain pounds a form shows back: 123450 -> "1234.50"; whole pounds lose ".00"."""
    if pence is None:
        return ""
    whole, rest = divmod(pence, 100)
    return f"{whole}" if rest == 0 else f"{whole}.{rest:02d}"


def split_evenly(total: int, parts: int) -> list[int]:
    """Split pence into `parts` amounts that add up exactly (the first ones take the odd pence)."""
    if parts < 1:
        raise ValueError("parts must be at least 1")
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]
