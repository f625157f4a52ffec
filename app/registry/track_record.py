"""An exemplar's track record, as a pure function over plain records: followers served, go-lives on
time, the KPI ratings of its call-off contracts, and contracts ended for its failure."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Iterable


@dataclass(frozen=True)
class MilestoneFact:
    exemplar_id: int
    partnership_id: int
    kind: str
    planned_on: date | None
    actual_on: date | None


@dataclass(frozen=True)
class TrackRecord:
    followers_served: int
    go_lives: int
    go_lives_on_time: int
    ratings: dict[str, int] = field(default_factory=dict)  # KPI ratings by rating (good, approaching, …)
    ended_for_cause: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return None if self.go_lives == 0 else self.go_lives_on_time / self.go_lives

    @property
    def rated(self) -> int:
        return sum(self.ratings.values())

    @property
    def good(self) -> int:
        return self.ratings.get("good", 0)


def track_records(partnerships: Iterable[tuple[int, int]], milestones: Iterable[MilestoneFact],
                  ratings: Iterable[tuple[int, str]] = (), ended_for_cause: Iterable[int] = ()) -> dict[int, TrackRecord]:
    """Per exemplar id: distinct followers served, go-lives achieved, how many were on time (actual
    date on or before the planned date), its KPI ratings by rating, and how many of its contracts
    ended for its failure. `partnerships` are (exemplar_id, follower_id); `ratings` (exemplar_id,
    rating); `ended_for_cause` one exemplar id per such contract."""
    followers: dict[int, set[int]] = {}
    for exemplar_id, follower_id in partnerships:
        followers.setdefault(exemplar_id, set()).add(follower_id)
    go_lives: dict[int, list[bool]] = {}
    for m in milestones:
        if m.kind == "go_live" and m.actual_on is not None:
            on_time = m.planned_on is not None and m.actual_on <= m.planned_on
            go_lives.setdefault(m.exemplar_id, []).append(on_time)
    by_rating: dict[int, Counter] = {}
    for exemplar_id, rating in ratings:
        by_rating.setdefault(exemplar_id, Counter())[rating] += 1
    failures = Counter(ended_for_cause)
    ids = set(followers) | set(go_lives) | set(by_rating) | set(failures)
    return {
        i: TrackRecord(len(followers.get(i, ())), len(go_lives.get(i, [])), sum(go_lives.get(i, [])),
                       dict(by_rating.get(i, {})), failures.get(i, 0))
        for i in ids
    }
