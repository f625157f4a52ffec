"""`flask concentration report` and `flask concentration load-rules`."""
from __future__ import annotations

import csv
import io
import json

import pytest

from app.concentration import services


@pytest.fixture()
def runner(app, db_session):
    return app.test_cli_runner()


def test_the_report_prints_the_same_figures_as_the_service(runner):
    result = runner.invoke(args=["concentration", "report", "--category", "acute_epr", "--format", "json"])
    assert result.exit_code == 0, result.output
    [data] = json.loads(result.output)
    f = services.engine().figures("acute_epr", services.today())
    assert data["hhi"] == pytest.approx(f.hhi)
    assert data["computed_over"] == f.computed_over
    assert [s["label"] for s in data["system_shares"]] == [s.label for s in f.system_shares]


def test_the_report_as_a_table_names_what_it_was_computed_over(runner):
    result = runner.invoke(args=["concentration", "report", "--category", "acute_epr", "--as-of", "2020-03-31"])
    assert result.exit_code == 0, result.output
    assert "Acute EPR on 2020-03-31" in result.output
    assert "with a known system" in result.output


def test_the_report_as_csv_covers_every_category(runner):
    result = runner.invoke(args=["concentration", "report", "--format", "csv", "--weighting", "deployment"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {r["weighting"] for r in rows} == {"deployment"}
    assert "acute_epr" in {r["category"] for r in rows}


def test_a_bad_date_is_refused_with_a_message(runner):
    result = runner.invoke(args=["concentration", "report", "--as-of", "31/03/2020"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_loading_the_rules_again_creates_nothing(runner):
    result = runner.invoke(args=["concentration", "load-rules"])
    assert result.exit_code == 0, result.output
    assert "0 alert rule(s) loaded" in result.output
