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
    assert data["suppliers"]["hhi"] == pytest.approx(f.suppliers.hhi)
    assert data["suppliers"]["bounds"] == {"hhi": f.suppliers.bounds.hhi, "low": f.suppliers.bounds.low,
                                           "high": f.suppliers.bounds.high, "unknown": f.suppliers.bounds.unknown}
    assert data["computed_over"] == f.computed_over and data["coverage"] == pytest.approx(f.coverage)
    assert data["sources"]["foi_2024_only"] == f.sources.foi_2024_only
    assert [s["label"] for s in data["systems"]["shares"]] == [s.label for s in f.systems.shares]
    assert data["in_words"][0].startswith("HHI ")


def test_the_report_as_a_table_names_what_it_was_computed_over(runner):
    result = runner.invoke(args=["concentration", "report", "--category", "acute_epr", "--as-of", "2020-03-31"])
    assert result.exit_code == 0, result.output
    assert "Acute EPR on 2020-03-31" in result.output
    assert "computed over:" in result.output and "acute and specialist trusts known" in result.output
    assert "Resting on" in result.output or "No source row is counted" in result.output


def test_the_report_as_csv_covers_every_category(runner):
    result = runner.invoke(args=["concentration", "report", "--format", "csv", "--weighting", "deployment"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert rows and {r["weighting"] for r in rows} == {"deployment"}
    assert "acute_epr" in {r["category"] for r in rows}
    assert {"coverage_percent", "hhi_low", "hhi_high", "rows_foi_2024_only"} <= set(rows[0])


def test_a_bad_date_is_refused_with_a_message(runner):
    result = runner.invoke(args=["concentration", "report", "--as-of", "31/03/2020"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output


def test_loading_the_rules_again_creates_nothing(runner):
    result = runner.invoke(args=["concentration", "load-rules"])
    assert result.exit_code == 0, result.output
    assert "0 alert rules loaded" in result.output
