"""NHS financial years and quarters, as pure functions.

The NHS financial year runs from 1 April to 31 March and is named by the calendar year it starts
in: 2025 is "2025/26". Quarter 1 is April to June, quarter 4 January to March. A quarterly
check-in is due a set number of days after its quarter ends.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterator


def financial_year_of(day: date) -> int:
    """The financial year a date falls in, named by its starting year (2026-02-01 -> 2025)."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    """2025 -> "2025/26"."""
    return f"{year}/{(year + 1) % 100:02d}"


def financial_year_start(year: int) -> date:
    return date(year, 4, 1)


def financial_year_end(year: int) -> date:
    return date(year + 1, 3, 31)


@dataclass(frozen=True, order=True)
class Quarter:
    """A financial quarter: year (as its starting calendar year) and quarter number 1-4."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2, 3, 4):
            raise ValueError(f"a quarter is numbered 1 to 4, not {self.number}")

    @property
    def starts_on(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def ends_on(self) -> date:
        return self.next().starts_on - timedelta(days=1)

    @property
    def label(self) -> str:
        """ "2025/26 Q1"."""
        return f"{financial_year_label(self.year)} Q{self.number}"

    @property
    def key(self) -> str:
        """A compact form for links and forms: "2025-Q1"."""
        return f"{self.year}-Q{self.number}"

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def due_on(self, days_after_end: int) -> date:
        """The day a check-in for this quarter is due."""
        return self.ends_on + timedelta(days=days_after_end)


def quarter_of(day: date) -> Quarter:
    """The financial quarter a date falls in."""
    year = financial_year_of(day)
    months_in = (day.month - 4) % 12
    return Quarter(year, months_in // 3 + 1)


def parse_quarter(key: str) -> Quarter | None:
    """ "2025-Q1" -> Quarter(2025, 1); anything else -> None (never raises on user input)."""
    text = (key or "").strip().upper()
    year, sep, number = text.partition("-Q")
    if not sep or not text.isascii() or not year.isdecimal() or not number.isdecimal() or len(year) != 4:
        return None
    try:
        return Quarter(int(year), int(number))
    except ValueError:
        return None


def quarters_of_period(first_year: int, years: int) -> Iterator[Quarter]:
    """Every quarter of `years` financial years starting with `first_year`."""
    for year in range(first_year, first_year + years):
        for number in (1, 2, 3, 4):
            yield Quarter(year, number)
