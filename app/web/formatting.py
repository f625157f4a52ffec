"""How values are shown to people: money, dates and times, organisation names.

Plain functions on plain values (no Flask), registered as Jinja filters by
``app.web.site.templating``. They follow the GOV.UK / NHS style guides: "£1,234.56",
"Friday 12 December 2026", "3:30pm", "midday", "midnight".

Decisions:

- Money is integer pence everywhere. ``None`` means "no amount" and shows as an
  empty string, so a template can write ``{{ x | money or "Not given" }}``.
  Whole pounds have no ".00" ("£1,200", "£0"), as the style guide asks. Negative amounts (differences, adjustments) show as
  "-£12.50". Anything that is not an ``int`` (a float, a Decimal, a bool) is
  refused with ``TypeError``: it means pounds and pence were mixed up somewhere.
- Times are stored in UTC. A naive ``datetime`` is taken to be UTC; an aware
  one is converted as it is. Everything is shown in Europe/London, so BST and
  GMT are handled by the time zone database.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import re
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

__all__ = [
    "LONDON",
    "counted",
    "hhi",
    "hhi_change",
    "hhi_points",
    "iso_date",
    "iso_datetime",
    "london_date",
    "london_datetime",
    "london_time",
    "money",
    "money_whole",
    "number",
    "page_window",
    "status_colour",
    "sterling",
    "status_text",
    "title_case_org",
    "to_london",
]


# ---------------------------------------------------------------------------
# Money
# ---------------------------------------------------------------------------


def _check_pence(pence: object) -> int:
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"money is integer pence, not {type(pence).__name__}: {pence!r}")
    return pence


def money(pence: int | None) -> str:
    """Integer pence as the style guide writes money: 123456 -> "£1,234.56", 120000 -> "£1,200"
    (no ".00" for whole pounds), 5 -> "£0.05"; None -> ""."""
    if pence is None:
        return ""
    pence = _check_pence(pence)
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}" if rest else f"{sign}£{pounds:,}"


def money_whole(pence: int | None) -> str:
    """The same as ``money`` (kept for the templates that name it)."""
    return money(pence)


def counted(count: int | None, singular: str, plural: str | None = None) -> str:
    """A count with its noun, singular or plural: "1 entry", "1,234 entries", "0 entries".
    The plural is the singular with an s unless given."""
    if count is None:
        return ""
    return f"{number(count)} {singular if count == 1 else (plural or singular + 's')}"


_GBP = re.compile(r"\bGBP\s?(\d[\d,]*(?:\.\d+)?)(?:\s?(bn|m|k)\b|\s(million|billion)\b)?")


def sterling(text: str | None) -> str:
    """Amounts a source wrote as "GBP5m" or "GBP 1.2 billion", as the style guide writes them:
    "£5m", "£1.2 billion". For source texts shown as they were recorded."""
    if not text:
        return ""
    return _GBP.sub(lambda m: f"£{m.group(1)}{m.group(2) or ''}{' ' + m.group(3) if m.group(3) else ''}", text)


def hhi_points(value: float | None) -> int | None:
    """An HHI (0–10,000) as it is shown and exported everywhere: whole points, rounded half up
    the same way each time (1,811.2 and 1,811.4 are both 1,811)."""
    return None if value is None else int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def hhi(value: float | None) -> str:
    """An HHI for people: "1,811" (whole points, with a thousands separator); None -> ""."""
    points = hhi_points(value)
    return "" if points is None else f"{points:,}"


def hhi_change(delta: float | None) -> str:
    """A change in HHI with its sign: "+35", "−12" (a minus sign), "0"."""
    points = hhi_points(delta)
    if points is None:
        return ""
    return f"+{points:,}" if points > 0 else f"\u2212{-points:,}" if points < 0 else "0"


def number(value: int | float | None) -> str:
    """A count with thousands separators: 12345 -> "12,345"; None -> ""."""
    if value is None:
        return ""
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"


# ---------------------------------------------------------------------------
# Dates and times
# ---------------------------------------------------------------------------


def filesize(n: int | None) -> str:
    """A file's size as people read it: 812 bytes, 34 KB, 2.4 MB."""
    if n is None:
        return ""
    if n < 1024:
        return f"{n} byte" + ("" if n == 1 else "s")
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def to_london(dt: datetime) -> datetime:
    """A UTC datetime (naive means UTC) as an aware datetime in Europe/London."""
    if not isinstance(dt, datetime):
        raise TypeError(f"expected a datetime, not {type(dt).__name__}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(LONDON)


def _as_local_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return to_london(value).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, not {type(value).__name__}")


def london_date(value: date | datetime | None) -> str:
    """ "Friday 12 December 2026". A datetime is first converted to London time."""
    if value is None:
        return ""
    d = _as_local_date(value)
    return f"{d:%A} {d.day} {d:%B} {d.year}"


def london_time(value: datetime | None) -> str:
    """ "3pm", "3:30pm", "midday" or "midnight", in London time."""
    if value is None:
        return ""
    local = to_london(value)
    hour, minute = local.hour, local.minute
    if minute == 0 and hour == 0:
        return "midnight"
    if minute == 0 and hour == 12:
        return "midday"
    suffix = "am" if hour < 12 else "pm"
    hour12 = hour % 12 or 12
    return f"{hour12}:{minute:02d}{suffix}" if minute else f"{hour12}{suffix}"


def london_datetime(value: date | datetime | None) -> str:
    """ "3pm, Friday 12 December 2026" in London time; a plain date shows as a date.

    An instant at midnight is "the end of" the day before: a deadline of 00:00 on Tuesday 15
    December is "the end of Monday 14 December 2026", never "midnight, Tuesday 15 December 2026",
    which people read as the end of the Tuesday."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return london_date(value)
    local = to_london(value)
    if (local.hour, local.minute) == (0, 0):  # times are shown to the minute
        return f"the end of {london_date(local.date() - timedelta(days=1))}"
    return f"{london_time(value)}, {london_date(value)}"


def iso_date(value: date | datetime | None) -> str:
    """ "2026-12-12" (for <time datetime> and CSV). A datetime gives its London date."""
    if value is None:
        return ""
    return _as_local_date(value).isoformat()


def iso_datetime(value: datetime | None) -> str:
    """ "2026-12-12T15:00:00Z": an instant in UTC, for <time datetime> and feeds."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------
# Organisation names
# ---------------------------------------------------------------------------

#: Kept in capitals wherever they appear.
ACRONYMS = frozenset({
    "NHS", "ICB", "ICS", "UK", "GP", "HQ", "CCG", "CSU", "PCN", "CIC", "LLP", "PLC",
    "IT", "AI", "NHSE", "UKHSA", "CQC", "NICE", "EMIS", "TPP", "IBM", "BT", "SCC", "DXS",
})

#: Abbreviations (mostly without vowels, which would otherwise look like acronyms).
ABBREVIATIONS = {
    "ST": "St", "LTD": "Ltd", "DR": "Dr", "MR": "Mr", "MRS": "Mrs", "MS": "Ms",
    "RD": "Rd", "CWM": "Cwm",
}

#: Lower-case unless they start the name.
SMALL_WORDS = frozenset({"and", "of", "the", "for", "in", "on", "upon", "at", "to"})

_VOWELS = set("AEIOUY")
_PART_RE = re.compile(r"^(?P<pre>[^0-9A-Za-z]*)(?P<core>.*?)(?P<post>[^0-9A-Za-z]*)$", re.S)
_APOSTROPHES = re.compile(r"(['’])")


def _case_word(core: str, first: bool) -> str:
    upper = core.upper()
    if upper in ACRONYMS:
        return upper
    if upper in ABBREVIATIONS:
        return ABBREVIATIONS[upper]
    if not first and core.lower() in SMALL_WORDS:
        return core.lower()
    if len(core) >= 2 and core.isalpha() and not (set(upper) & _VOWELS):
        return upper  # no vowels: an acronym such as CNWL
    # KING'S -> King's, ST THOMAS' -> St Thomas', O'NEILL -> O'Neill
    pieces = _APOSTROPHES.split(core)
    out = [pieces[0].capitalize()]
    for i in range(1, len(pieces), 2):
        mark, rest = pieces[i], pieces[i + 1]
        out.append(mark)
        out.append(rest.lower() if len(rest) <= 1 else rest.capitalize())
    return "".join(out)


@lru_cache(maxsize=8192)  # pure, and pages call it for hundreds of names (filter lists) on every request
def title_case_org(name: str | None) -> str:
    """An all-capitals register name in title case, for display.

    "MANCHESTER UNIVERSITY NHS FOUNDATION TRUST" ->
    "Manchester University NHS Foundation Trust". Known acronyms stay in
    capitals, and so do words without vowels (CNWL); "and", "of", "the", "for",
    "in" and similar are lower-case except at the start; hyphenated parts and
    apostrophes are handled (SOUTHEND-ON-SEA, KING'S). A name that already has
    lower-case letters was written by a person and is returned unchanged.
    """
    if not name:
        return ""
    if any(ch.islower() for ch in name):
        return name
    words = name.split()
    result = []
    for w_index, word in enumerate(words):
        parts = re.split(r"([-/])", word)
        cased = []
        for p_index, part in enumerate(parts):
            if part in ("-", "/") or not part:
                cased.append(part)
                continue
            m = _PART_RE.match(part)
            assert m is not None
            first = w_index == 0 and p_index == 0
            core = m.group("core")
            cased.append(m.group("pre") + (_case_word(core, first) if core else "") + m.group("post"))
        result.append("".join(cased))
    return " ".join(result)


# ---------------------------------------------------------------------------
# Statuses and paging
# ---------------------------------------------------------------------------

#: nhsuk tag colour for each common status (see ``status_colour``).
STATUS_COLOURS = {
    "grey": ("draft", "not started", "inactive", "archived", "closed", "superseded", "unpublished"),
    "green": ("published", "live", "admitted", "active", "open", "awarded", "approved", "accepted",
              "complete", "completed", "met", "passed", "signed", "current", "success", "won"),
    "blue": ("submitted", "in progress", "under review", "in review", "evaluating", "shortlisted",
             "invited", "scheduled", "new", "proposed", "applied"),
    "orange": ("suspended", "retiring", "pending", "conditional", "at risk", "due", "paused",
               "on hold", "clarification", "partly met", "expiring"),
    "red": ("withdrawn", "removed", "expired", "cancelled", "canceled", "rejected", "failed",
            "overdue", "breached", "lapsed", "terminated", "not met", "declined", "lost", "refused"),
}
_STATUS_LOOKUP = {status: colour for colour, statuses in STATUS_COLOURS.items() for status in statuses}


def _status_key(status: object) -> str:
    value = getattr(status, "value", status)  # an Enum member shows its value
    return " ".join(str(value).replace("_", " ").replace("-", " ").split()).lower()


def status_colour(status: object) -> str | None:
    """The nhsuk tag colour for a status ("draft" -> "grey"); None (default blue) if unknown."""
    return _STATUS_LOOKUP.get(_status_key(status))


def status_text(status: object) -> str:
    """A status for people: "under_review" -> "Under review"."""
    return _status_key(status).capitalize()


def page_window(page: int, pages: int, around: int = 1) -> list[int | None]:
    """Page numbers to link to, with None for an ellipsis: first, last, and ``around`` either
    side of the current page. page_window(6, 10) -> [1, None, 5, 6, 7, None, 10]."""
    if pages <= 0:
        return []
    page = min(max(page, 1), pages)
    wanted = {1, pages, *range(page - around, page + around + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= pages)
    out: list[int | None] = []
    previous = 0
    for n in numbers:
        if n - previous == 2:
            out.append(n - 1)  # an ellipsis that hides one page is no shorter than the page
        elif n - previous > 2:
            out.append(None)
        out.append(n)
        previous = n
    return out
