"""Deadline rush: 100 invited exemplars revising their bids in the last seconds before the response
deadline, against gunicorn with 4 workers on a copy of the test database (a SQLite file in WAL mode,
or a scratch PostgreSQL database when TEST_BACKEND=postgresql), over loopback, on the real clock.

Every bidder signs in through the real form (CSRF on), then revises its bid 4 times in the last 8 s,
sends its first revision twice at once with one idempotency key (a double-click), resends its last
form (a retry), and tries once more up to 1.5 s after the deadline. Afterwards, in the database:

- one bid row per bidder, whose revisions are exactly the distinct accepted forms (each once);
- the bid holds the last accepted revision (no lost update);
- nothing was stored at or after the deadline, and every form sent after it was refused (only a
  replay of a form already stored before the deadline is answered as received, and adds nothing);
- one `bid.submit` audit entry per revision, and `flask audit verify` passes;
- no 500, no "database is locked", nothing else in the server log but warnings.

Bounded: every wait has a time limit; one backend takes about 20–40 s.
"""
from __future__ import annotations

import json
import statistics
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.security.server_db import audit_verify, copied_database

from .rush_support import Bidder, Server, build_competition, mint_sessions, move_deadline, run_bidder, \
    sign_in, stored, utc_now

pytestmark = pytest.mark.slow

BIDDERS = 100
REVISIONS = 4
WORKERS = 4
REAL_SIGN_INS = 8
RUSH_SECONDS = 10  # from the moment every bidder is signed in to the deadline


@pytest.fixture()
def rush_database(app, tmp_path):
    """A copy of the migrated, seeded test database for the server (dropped afterwards)."""
    with copied_database(app, tmp_path, "rush") as url:
        yield url


def audit_counts(url: str, competition_id: int) -> tuple[Counter, int]:
    """bid.submit entries per bid id (as text) in the competition's sealed journals (its bidders';
    nobody has opened them yet), and how many entries about its bids reached the main audit log (none may)."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text(
                "SELECT a.object_id FROM sealed_audit_entries a WHERE a.action = 'bid.submit' AND a.object_type = 'Bid' "
                "AND a.journal_key LIKE :k"), {"k": f"competition-{competition_id}/bidder-%"}).all()
            in_main = conn.execute(text(
                "SELECT count(*) FROM audit_events a WHERE a.object_type = 'Bid' "
                "AND a.object_id IN (SELECT CAST(id AS VARCHAR(20)) FROM bids WHERE competition_id = :c)"),
                {"c": competition_id}).scalar_one()
    finally:
        engine.dispose()
    return Counter(r[0] for r in rows), in_main


def test_a_hundred_bidders_rushing_the_deadline_lose_nothing_duplicate_nothing_and_get_nothing_in_late(
        rush_database, tmp_path):
    started = time.monotonic()
    rush = build_competition(rush_database, BIDDERS, utc_now() + timedelta(minutes=5))
    setup_seconds = time.monotonic() - started
    log_file = tmp_path / "gunicorn.log"
    server = Server(rush_database, log_file, workers=WORKERS)
    attempts, errors, lock = [], [], threading.Lock()
    try:
        server.start(deadline=time.monotonic() + 60)
        bidders = [Bidder(n, email) for n, email in enumerate(rush.emails)]
        # A few sign in through the real form; the rest get the same session cookie built directly.
        with ThreadPoolExecutor(max_workers=4) as pool:
            list(pool.map(lambda b: sign_in(server.base, b, rush.competition_id), bidders[:REAL_SIGN_INS],
                          timeout=60))
        mint_sessions(rush_database, bidders[REAL_SIGN_INS:], rush.competition_id)
        deadline = utc_now().replace(microsecond=0) + timedelta(seconds=RUSH_SECONDS)
        move_deadline(rush_database, rush.competition_id, deadline)
        rush_started = time.monotonic()
        threads = [threading.Thread(target=run_bidder, daemon=True,
                                    args=(server.base, rush, b, deadline, REVISIONS, attempts, lock, errors))
                   for b in bidders]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1.0, rush_started + 75 - time.monotonic()))
        assert not any(t.is_alive() for t in threads), "bidders still waiting for answers"
        rush_seconds = time.monotonic() - rush_started
    finally:
        server.stop()

    assert errors == [], errors[:5]
    statuses = Counter(a.status for a in attempts)
    odd = [a for a in attempts if not (a.status == 302 or a.late_refusal)]
    assert odd == [], f"answers other than 'received' or 'too late': {statuses}"

    bids, revisions = stored(rush_database, rush.competition_id)
    by_email = {email: n for n, email in enumerate(rush.emails)}
    bid_rows = Counter(by_email[b[0]] for b in bids)
    assert all(c == 1 for c in bid_rows.values()), "a bidder has two bid rows"
    keys = Counter(r[2] for r in revisions)
    duplicates = sum(c - 1 for c in keys.values() if c > 1) + sum(c - 1 for c in bid_rows.values())
    assert duplicates == 0

    stored_keys = {r[2]: r for r in revisions}
    mine = defaultdict(list)
    for a in attempts:
        mine[a.bidder].append(a)
    for n, tries in mine.items():
        accepted = {a.key for a in tries if a.status == 302}  # a key answered twice counts once
        ours = [r for r in revisions if by_email[r[0]] == n]
        # every accepted form is stored exactly once (revisions = accepted answers - idempotent
        # repeats); nothing refused is stored
        assert {r[2] for r in ours} == accepted, f"bidder {n}: stored revisions differ from accepted forms"
        assert len(ours) == len(accepted)
        bid = next((b for b in bids if by_email[b[0]] == n), None)
        if not accepted:
            assert bid is None
            continue
        assert bid[1] == len(ours) and sorted(r[1] for r in ours) == list(range(1, len(ours) + 1))
        last = max(ours, key=lambda r: r[1])
        assert bid[2] == last[3], f"bidder {n}: the bid does not hold its last revision"

    # Nothing in late: no stored time at or after the deadline, and no form sent after it accepted
    # unless it replays a form stored before the deadline.
    assert all(r[4] < deadline for r in revisions)
    assert all(b[3] < deadline for b in bids)
    sent_late = [a for a in attempts if a.sent >= deadline]
    for a in sent_late:
        if a.status == 302:
            assert a.repeat and a.key in stored_keys and stored_keys[a.key][4] < deadline, a
    late_refused = [a for a in attempts if a.late_refusal]
    assert not {a.key for a in late_refused} & set(stored_keys)
    assert all(a.late_refusal for a in sent_late if not a.repeat)
    # every bidder was at last told the deadline had passed
    assert {a.bidder for a in late_refused} == set(range(BIDDERS))

    # The audit trail: one bid.submit entry per revision, sealed in the competition's journal (none in the
    # main log), and the chain and the journals verify.
    per_bid, in_main = audit_counts(rush_database, rush.competition_id)
    assert sum(per_bid.values()) == len(revisions) and in_main == 0
    assert "intact" in audit_verify(rush_database)

    log = log_file.read_text(errors="replace")
    lines = [json.loads(x) for x in log.splitlines() if x.startswith("{")]
    d = defaultdict(list)
    bid_path = f"/competitions/{rush.competition_id}/bid"
    for x in lines:
        if x.get("logger") == "exemplar.request" and x.get("path") == bid_path:
            d[(x["method"], x["status"])].append(x["duration_ms"])
    timings = {f"{m} {st}": f"n={len(v)} p50={statistics.median(v):.0f}ms p95={_p95(v):.0f}ms max={max(v):.0f}ms"
               for (m, st), v in sorted(d.items())}
    posts = d[("POST", 302)] + d[("POST", 200)]
    assert "Traceback" not in log and "database is locked" not in log.lower()
    assert statuses[500] == 0

    fresh = len(stored_keys)
    replays = sum(1 for a in attempts if a.status == 302) - fresh
    print(f"\nDEADLINE RUSH backend={make_url(rush_database).get_backend_name()} workers={WORKERS} "
          f"bidders={BIDDERS} posts={len(attempts)} accepted={fresh} idempotent_replays={replays} "
          f"refused_late={len(late_refused)} sent_after_deadline={len(sent_late)} duplicates={duplicates} "
          f"bids={len(bids)} setup_s={setup_seconds:.1f} rush_s={rush_seconds:.1f} "
          f"total_s={time.monotonic() - started:.1f} "
          f"statuses={dict(statuses)} post_p50={statistics.median(posts):.0f}ms post_p95={_p95(posts):.0f}ms "
          f"server={timings}")


def _p95(values) -> float:
    """The 95th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]
