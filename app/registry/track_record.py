"""An exemplar's track record, as a pure function over plain milestone records."""
from __future__ import annotations

from dataclasses import dataclass
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

    @property
    def on_time_rate(self) -> float | None:
        return None if self.go_lives == 0 else self.go_lives_on_time / self.go_lives


def track_records(partnerships: Iterable[tuple[int, int]], milestones: Iterable[MilestoneFact]) -> dict[int, TrackRecord]:
    """Per exemplar id: distinct followers served, go-lives achieved, and how many were on time
    (actual date on or before the planned date). `partnerships` are (exemplar_id, follower_id)."""
    followers: dict[int, set[int]] = {}
    for exemplar_id, follower_id in partnerships:
        followers.setdefault(exemplar_id, set()).add(follower_id)
    go_lives: dict[int, list[bool]] = {}
    for m in milestones:
        if m.kind == "go_live" and m.actual_on is not None:
            on_time = m.planned_on is not None and m.actual_on <= m.planned_on
            go_lives.setdefault(m.exemplar_id, []).append(on_time)
    ids = set(followers) | set(go_lives)
    return {
        i: TrackRecord(len(followers.get(i, ())), len(go_lives.get(i, [])), sum(go_lives.get(i, [])))
        for i in ids
    }
