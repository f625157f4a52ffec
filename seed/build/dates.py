"""Dates read from the EPR map's free-text statuses, by explicit rules (pure, stdlib only).

Only a date the text ties to a go-live counts as one: "live since 23 May 2016", "went live 8 Nov
2025", "go-live 20 May 2015", "Cerner since 2013". Other dates in the same text (a contract signed,
an extension, a report) are never read as a go-live. Each function returns the ISO date and the words
it was read from, so the build can say in the notes how every date was obtained.
"""
from __future__ import annotations

import re

MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
          "sep": 9, "oct": 10, "nov": 11, "dec": 12}
#: A season or part of a year, read as the first month it can mean ("not before").
SEASONS = {"early": 1, "spring": 4, "mid": 7, "summer": 7, "autumn": 10, "late": 10, "winter": 12}

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
#: One date: 2014-10-26 · 23 May 2016 · May 2016 · spring 2026 · 2026/27 · 2019.
DATE = (rf"(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})"
        rf"|(?:(?P<day>\d{{1,2}})(?:-\d{{1,2}})?\s+)?(?P<month>{_MONTH})\s+(?P<year>\d{{4}})"
        rf"|(?P<season>{'|'.join(SEASONS)})\s+(?P<syear>\d{{4}})(?:/\d{{2}})?"
        rf"|(?P<fy>\d{{4}})/\d{{2}}"
        rf"|(?P<bare>(?:19|20)\d{{2}}))\b")

#: Words after which a date is a go-live: "live", "went live", "go-live", "launched", "roll-out",
#: "since", with at
#: most three words between ("live on inpatient wards Dec 2019", "went live with Lorenzo May 2017").
_GO_LIVE = re.compile(rf"\b(?:live|go-live|launched|roll-out|since)(?:\s+\w+){{0,3}}?\s+{DATE}",
                      re.I)
_REPLACED_BY = re.compile(rf"\breplaced by [^;(]*\((?:[^;)]*?)(?:go-live|launched)\s+{DATE}", re.I)
_PARENS = re.compile(r"\([^()]*\)")
_PLAN_WORDS = re.compile(r"go-live|launch|live|planned|expected", re.I)
_AS_OF = re.compile(r"^(?:c\.\s*)?(\d{4})(?:-(\d{2}))?$")


def _iso(m: re.Match) -> str:
    g = m.groupdict()
    if g["iso"]:
        return g["iso"]
    if g["month"]:
        day = int(g["day"]) if g["day"] else 1
        return f"{g['year']}-{MONTHS[g['month'][:3].lower()]:02d}-{day:02d}"
    if g["season"]:
        return f"{g['syear']}-{SEASONS[g['season'].lower()]:02d}-01"
    if g["fy"]:
        return f"{g['fy']}-04-01"  # a financial year starts in April
    return f"{g['bare']}-01-01"


def _first_clause(text: str) -> str:
    """The text up to its first semicolon outside parentheses: where a row states its own go-live
    (later clauses speak of extensions, other systems, plans)."""
    depth = 0
    for i, ch in enumerate(text):
        depth += (ch == "(") - (ch == ")")
        if ch == ";" and depth <= 0:
            return text[:i]
    return text


def without_replacement(text: str) -> str:
    """The text without its "replaced by … (go-live …)" part, which speaks of the next system."""
    return _REPLACED_BY.sub("", text)


def go_live(text: str) -> tuple[str, str] | None:
    """The earliest go-live date the row's first clause states, if any ("replaced by … (go-live …)"
    is left out: that is the date the *next* system went live)."""
    clause = _first_clause(without_replacement(text))
    found = sorted((_iso(m), m.group(0)) for m in _GO_LIVE.finditer(clause))
    return found[0] if found else None


def replaced_on(text: str) -> tuple[str, str] | None:
    """The date a system was replaced, when the text says "replaced by X (go-live D)"."""
    m = _REPLACED_BY.search(text)
    return None if m is None else (_iso(m), m.group(0))


def planned(text: str) -> tuple[str, str] | None:
    """A contracted row's planned go-live: the last date in the last clause that speaks of a
    go-live, launch or plan (parentheses dropped: they hold sources and asides). A clause such as
    "go-live not found" or "not yet live" gives None: no date is invented."""
    clauses = re.split(r"[;,]", _PARENS.sub("", text))
    for clause in reversed(clauses):
        if _PLAN_WORDS.search(clause):
            found = [_iso(m) for m in re.finditer(DATE, clause, re.I)]
            return (found[-1], clause.strip()) if found else None
    return None


def as_of(text: str) -> str | None:
    """A source's status_as_of ('YYYY-MM', 'YYYY', 'c.YYYY', 'c.YYYY-MM') as the first day it names."""
    m = _AS_OF.match((text or "").strip())
    if not m:
        return None
    return f"{m.group(1)}-{m.group(2) or '01'}-01"
