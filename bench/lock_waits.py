"""What PostgreSQL backends wait for during a load test: samples pg_stat_activity every 100 ms and
counts the busy backends of the databases whose names start with a prefix by what they wait for
(a row lock, an advisory lock, the client, nothing).

    .venv/bin/python bench/lock_waits.py postgresql://postgres@127.0.0.1:5432/postgres h_i21b 120 &
    ... run the rush (tests/security/test_deadline_rush.py on TEST_BACKEND=postgresql) ...

Prints one line of counts when it stops (after the given seconds, or at SIGTERM). Used for docs/security.md's
"Bids in parallel" figures; not part of any test.
"""
from __future__ import annotations

import signal
import sys
import time
from collections import Counter

from sqlalchemy import create_engine, text

QUERY = text("""
    SELECT a.wait_event_type, a.wait_event, l.locktype,
           (SELECT left(b.query, 70) FROM pg_stat_activity b WHERE b.pid = (pg_blocking_pids(a.pid))[1]) AS blocker,
           left(a.query, 70) AS waiting
    FROM pg_stat_activity a
    LEFT JOIN pg_locks l ON l.pid = a.pid AND NOT l.granted
    WHERE a.datname LIKE :prefix AND a.state <> 'idle' AND a.pid <> pg_backend_pid()
""")


_stop = False


def _on_term(signum, frame):
    global _stop
    _stop = True


def main(url: str, prefix: str, seconds: float) -> None:
    signal.signal(signal.SIGTERM, _on_term)
    engine = create_engine(url)
    counts: Counter = Counter()
    queries: Counter = Counter()  # "waiting statement <- the blocker's last statement"
    samples = 0
    end = time.monotonic() + seconds
    with engine.connect() as conn:
        while time.monotonic() < end and not _stop:
            rows = conn.execute(QUERY, {"prefix": prefix + "%"}).all()
            conn.commit()
            samples += 1
            for wait_type, wait_event, locktype, blocker, waiting in rows:
                if wait_type == "Lock":
                    counts[f"lock:{locktype or wait_event}"] += 1
                    queries[f"{' '.join((waiting or '').split())} <- {' '.join((blocker or '').split())}"] += 1
                elif wait_type is None:
                    counts["running"] += 1
                else:
                    counts[f"{wait_type}:{wait_event}"] += 1
            time.sleep(0.1)
    engine.dispose()
    busy = sum(counts.values())
    print(f"LOCK WAITS samples={samples} busy_backend_samples={busy} "
          + " ".join(f"{k}={v}" for k, v in counts.most_common()))
    for q, n in queries.most_common(8):
        print(f"  {n:5d}  {q}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], float(sys.argv[3]))
