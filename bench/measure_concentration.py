"""Concentration (graph, every metric of every category, cold and cached; the 20-quarter time
series; one what-if) and competition evaluation (the pure scoring module)."""
from __future__ import annotations

import random
import statistics
import time
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from app.extensions import db
from app.registry.models import Deployment, Partnership
from app.registry.vocab import SYSTEM_CATEGORIES

from .measure import ratio, summary_ms, timed


def _every_category(today) -> None:
    from app.concentration.services import dashboard as dash

    for category in SYSTEM_CATEGORIES:
        dash.dashboard(category, today)


def measure_concentration(app, cold_runs: int = 3, cached_runs: int = 10) -> dict:
    """Cold: the cache emptied, the register read and the graph built, then every figure of every
    category (the whole commercial dashboard: figures, 20-quarter series, projection, shut-out
    systems, supplier reach, network, load). Cached: the same again with the cache warm. Each run
    is one GET request, as the signed-in dashboard's panel asks for every category in one."""
    from app.concentration import analysis, services

    def request():
        return app.test_request_context("/concentration/dashboard")

    with request():
        today = services.today()
        deployments = db.session.execute(select(func.count(Deployment.id))).scalar_one()
        pair = db.session.execute(select(Partnership.follower_id, Partnership.exemplar_id)
                                  .order_by(Partnership.id).limit(1)).first()
        version = [timed(services.data_version) for _ in range(cached_runs)]
    build, metrics, cold = [], [], []
    for _ in range(cold_runs):
        with request():
            services.clear_cache()
            started = time.perf_counter()
            services.engine()
            built = time.perf_counter()
            _every_category(today)
            done = time.perf_counter()
            build.append(built - started)
            metrics.append(done - built)
            cold.append(done - started)
    cached, what_if_cached = [], []
    for _ in range(cached_runs):
        with request():
            cached.append(timed(lambda: _every_category(today)))
        with request():
            what_if_cached.append(timed(lambda: services.what_if_award(pair[0], pair[1])))
    with request():
        g = services.engine().graph
        series = [timed(lambda: analysis.time_series(g, "acute_epr", today)) for _ in range(cold_runs)]
        what_if_cold = [timed(lambda: analysis.what_if(g, pair[0], pair[1], today)) for _ in range(cold_runs)]
    cold_ms = statistics.median(cold) * 1000
    cached_ms = statistics.median(cached) * 1000
    return {
        "deployments": deployments,
        "build_ms": round(statistics.median(build) * 1000, 1),
        "metrics_ms": round(statistics.median(metrics) * 1000, 1),
        "cold_ms": round(cold_ms, 1),
        "cached_ms": round(cached_ms, 2),
        "cached_over_cold": ratio(cached_ms, cold_ms),
        "cold_us_per_deployment": round(cold_ms * 1000 / max(deployments, 1), 2),
        "data_version_ms": round(statistics.median(version) * 1000, 2),
        "series_20q_ms": round(statistics.median(series) * 1000, 1),
        "what_if_cold_ms": round(statistics.median(what_if_cold) * 1000, 2),
        "what_if_cached_ms": round(statistics.median(what_if_cached) * 1000, 3),
    }


def measure_scoring(bids: int = 200, questions: int = 20, evaluators: int = 3, runs: int = 15) -> dict:
    """Score and rank `bids` bids × `questions` questions × `evaluators` evaluators with the pure
    scoring module: each evaluator's marks averaged per answer (the moderation starting point),
    rounded to the consensus mark, then the published method applied."""
    from app.competitions.scoring import BidFacts, Method, Question, evaluator_average, score_bids

    rng = random.Random(7)
    method = Method(questions=tuple(Question(key=k, weight=3) for k in range(1, questions + 1)), price_weight=40,
                    scale_max=10, threshold_percent=30)
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    marks = {(b, q): [rng.randint(0, 10) for _ in range(evaluators)]
             for b in range(1, bids + 1) for q in range(1, questions + 1)}
    prices = {b: rng.randrange(50, 500) * 100_000 for b in range(1, bids + 1)}

    def run():
        facts = []
        for b in range(1, bids + 1):
            consensus = {q: int(evaluator_average(marks[(b, q)]).to_integral_value()) for q in range(1, questions + 1)}
            facts.append(BidFacts(bid_id=b, price_pence=prices[b], submitted_at=start + timedelta(minutes=b),
                                  marks=consensus))
        ranked = score_bids(method, facts)
        assert len(ranked) == bids

    run()
    return {"bids": bids, "questions": questions, "evaluators": evaluators,
            **summary_ms([timed(run) for _ in range(runs)])}
