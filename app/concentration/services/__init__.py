"""Concentration services: the engine that reads the register and caches the figures (engine.py),
the what-if answers other domains call (what_if.py), the alert rules (alert_rules.py) and what the
pages show (dashboard.py).

Public functions other domains may call:
    what_if_award(follower_org, exemplar_org, as_of=None) -> WhatIf | None
    what_if_for_shortlist(follower_org, exemplar_orgs) -> dict[int, WhatIf | None]
    what_if_awards(awards, as_of=None) -> list[WhatIf]
"""
from .engine import (
    Engine,
    bump_data_version,
    capacities,
    clear_cache,
    data_version,
    engine,
    load_snapshot,
    per_request,
    today,
    unless_data_changed,
)
from .what_if import WhatIf, open_competitions, what_if_award, what_if_awards, what_if_for_shortlist

__all__ = ["Engine", "WhatIf", "bump_data_version", "capacities", "clear_cache", "data_version", "engine",
           "load_snapshot", "open_competitions", "per_request", "today", "unless_data_changed", "what_if_award",
           "what_if_awards", "what_if_for_shortlist"]
