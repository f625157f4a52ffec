"""What-if answers for the other domains: the change in HHI (by supplier) if a competition were
awarded to an exemplar, alone, for a shortlist, or as a set; and the open competitions to ask about."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterable

from .. import analysis
from ..analysis import WhatIf
from ..market import open_competitions  # noqa: F401  (re-exported: competitions provide it)
from .engine import engine, today


def _org_id(org: Any) -> int:
    return org if isinstance(org, int) else org.id


def what_if_award(follower_org, exemplar_org, as_of: date | None = None) -> WhatIf | None:
    """ΔHHI (0–10,000 scale) in the category of the exemplar's live system if the follower adopted
    it; None if the exemplar has no known live system. Accepts Organisation objects or ids."""
    return engine().what_if(_org_id(follower_org), _org_id(exemplar_org), as_of or today())


def what_if_for_shortlist(follower_org, exemplar_orgs: Iterable[Any]) -> dict[int, WhatIf | None]:
    """what_if_award for each exemplar of a shortlist, keyed by exemplar organisation id, in a
    fixed number of queries (the version check, and the snapshot only when the data changed)."""
    eng = engine()
    at = today()
    follower_id = _org_id(follower_org)
    return {_org_id(e): eng.what_if(follower_id, _org_id(e), at) for e in exemplar_orgs}


def what_if_awards(awards: Iterable[tuple[Any, Any]], as_of: date | None = None) -> list[WhatIf]:
    """ΔHHI of a set of awards (follower, exemplar) taken together, one result per category
    (awards whose exemplar has no known live system are left out)."""
    pairs = [(_org_id(f), _org_id(e)) for f, e in awards]
    return analysis.what_if_awards(engine().graph, pairs, as_of or today())
