"""The benchmark report says why a page failed and flags a run whose code changed under it (a
gcloud/PostgreSQL run once recorded the buyer dashboard as "status 500" with no cause: the tree
was being edited while it ran)."""
from __future__ import annotations

from bench.report import render


def _results(**run) -> dict:
    return {"machine": {}, "runs": {"gcloud/postgresql": {"data": {"counts": {}}, **run}}}


def test_a_failed_page_shows_the_end_of_its_traceback():
    page = {"page": "dashboard-buyer", "path": "/dashboard", "status": 500,
            "error": "Traceback (most recent call last):\n  ...\nTypeError: expected a date or datetime"}
    text = render(_results(pages=[page]))
    assert "| dashboard-buyer | – | – | status 500 (TypeError: expected a date or datetime) |" in text


def test_a_run_whose_code_changed_under_it_is_flagged():
    assert "Code changed during the run of gcloud/postgresql" in render(_results(code_changed_during_run=True))
    assert "Code changed during the run" not in render(_results(code_changed_during_run=False))
