"""What the market tells the concentration figures.

The market (offers, competitions) sits above concentration: its shortlists and evaluations ask for
what-ifs, so concentration may not import it. The two reads the figures need from it are provided
here by the market itself, at import, the way competitions tell the audit log what is sealed:

- `capacities()`: each exemplar organisation's declared capacity per quarter (offers), for the
  exemplar-load table;
- `open_competitions()`: competitions not yet awarded or cancelled, with their buyer and invited
  exemplars (competitions), for the what-if page.

Without a provider (a domain left out) each answers empty.
"""
from __future__ import annotations

from typing import Callable

_providers: dict[str, Callable[[], object]] = {}


def provide(name: str, fn: Callable[[], object]) -> Callable[[], object]:
    """Register the market's function for `name` ("capacities" or "open_competitions")."""
    if name not in ("capacities", "open_competitions"):
        raise ValueError(f"unknown market read: {name}")
    _providers[name] = fn
    return fn


def capacities() -> dict[int, int]:
    """Declared capacity per quarter of each exemplar organisation (empty without offers)."""
    fn = _providers.get("capacities")
    return dict(fn()) if fn else {}


def open_competitions() -> list[dict]:
    """Open competitions as {"id", "title", "buyer_id", "status", "invited": [org ids]} (empty
    without competitions)."""
    fn = _providers.get("open_competitions")
    return list(fn()) if fn else []
