"""A search of offers as a plain value: read from a URL's query string, written back to one.

The URL holds the whole search (words, chosen facet values, sort, page), so a search can be
shared, bookmarked and saved into a project. Anything in the URL is accepted: unknown sorts fall
back to the default, over-long or odd values are cut or dropped, never an error.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Iterable
from urllib.parse import parse_qsl, urlencode

from ..text import MAX_QUERY_LENGTH

SORTS = {"relevance": "Relevance", "price": "Price (lowest first)", "lead_time": "Lead time (shortest first)",
         "fit": "Best fit for my organisation"}

#: The facets, in the order shown: URL key → label.
FACETS = {
    "capability": "Capability",
    "system": "System",
    "supplier": "Supplier",
    "lot": "Lot",
    "region": "Region served",
    "pricing": "Pricing model",
    "band": "Price band",
    "capacity": "Capacity",
    "standard": "Standards declared by the system",
}

MAX_VALUES = 20
MAX_VALUE_LENGTH = 60
MAX_PAGE = 10_000
_VALUE = re.compile(r"^[A-Za-z0-9_.:-]+$")


def _clean_values(values: Iterable[str]) -> tuple[str, ...]:
    out: list[str] = []
    for v in values:
        v = (v or "").strip()
        if v and len(v) <= MAX_VALUE_LENGTH and _VALUE.match(v) and v not in out:
            out.append(v)
        if len(out) == MAX_VALUES:
            break
    return tuple(sorted(out))


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    capability: tuple[str, ...] = ()
    system: tuple[str, ...] = ()
    supplier: tuple[str, ...] = ()
    lot: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    pricing: tuple[str, ...] = ()
    band: tuple[str, ...] = ()
    capacity: tuple[str, ...] = ()
    standard: tuple[str, ...] = ()
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: Any) -> "SearchQuery":
        """From request.args (anything with get and getlist)."""
        def getlist(key: str) -> list[str]:
            return list(args.getlist(key)) if hasattr(args, "getlist") else list(args.get(key, []) or [])

        q = " ".join(str(args.get("q") or "").split())[:MAX_QUERY_LENGTH]
        sort = str(args.get("sort") or "relevance")
        try:
            page = int(str(args.get("page") or "1")[:8])
        except ValueError:
            page = 1
        return cls(
            q=q,
            **{key: _clean_values(getlist(key)) for key in FACETS},
            sort=sort if sort in SORTS else "relevance",
            page=min(max(page, 1), MAX_PAGE),
        )

    @classmethod
    def from_query_string(cls, query_string: str) -> "SearchQuery":
        """From a saved query string such as "q=epic&region=Y62"."""
        pairs = parse_qsl(query_string or "", keep_blank_values=False)

        class _Args:
            def get(self, key, default=None):
                return next((v for k, v in pairs if k == key), default)

            def getlist(self, key):
                return [v for k, v in pairs if k == key]

        return cls.from_args(_Args())

    def args(self, page: bool = True) -> list[tuple[str, str]]:
        """(key, value) pairs for a URL, in a stable order; defaults left out."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for key in FACETS:
            pairs.extend((key, v) for v in getattr(self, key))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if page and self.page != 1:
            pairs.append(("page", str(self.page)))
        return pairs

    def query_string(self, page: bool = True) -> str:
        return urlencode(self.args(page=page))

    def toggle(self, facet: str, value: str) -> "SearchQuery":
        """The same search with one facet value added or removed, back on page 1."""
        current = getattr(self, facet)
        values = tuple(v for v in current if v != value) if value in current else current + (value,)
        return replace(self, **{facet: _clean_values(values)}, page=1)

    def without_words(self) -> "SearchQuery":
        """The same filters and sort with no words, back on page 1."""
        return replace(self, q="", page=1)

    def with_page(self, page: int) -> "SearchQuery":
        return replace(self, page=page)

    def with_sort(self, sort: str) -> "SearchQuery":
        return replace(self, sort=sort if sort in SORTS else "relevance", page=1)

    @property
    def is_empty(self) -> bool:
        return not self.q and not any(getattr(self, key) for key in FACETS)

    @property
    def chosen(self) -> list[tuple[str, str]]:
        """The facet values chosen, as (facet, value) pairs."""
        return [(key, v) for key in FACETS for v in getattr(self, key)]
