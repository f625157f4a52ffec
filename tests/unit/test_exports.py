"""CSV downloads (app/exports.py): BOM, quoting, ISO dates, the formula-injection guard, pounds()."""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.web.exports import csv_response, csv_text, pounds


def parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def one_cell(value) -> str:
    return parse(csv_text(["h"], [[value]]))[1][0]


def test_the_header_comes_first_then_one_line_per_row_ending_in_crlf():
    text = csv_text(["a", "b"], [[1, 2], [3, 4]])
    assert text == "a,b\r\n1,2\r\n3,4\r\n"


def test_commas_quotes_and_newlines_are_quoted_and_read_back_intact():
    tricky = ['Smith, "Jo"', "two\nlines", "carriage\rreturn", "plain"]
    text = csv_text(["a", "b", "c", "d"], [tricky])
    assert '"Smith, ""Jo"""' in text
    assert parse(text)[1] == tricky


def test_none_is_an_empty_cell():
    assert csv_text(["a", "b"], [[None, "x"]]).splitlines()[1] == ",x"


def test_booleans_are_yes_and_no():
    assert parse(csv_text(["a", "b"], [[True, False]]))[1] == ["yes", "no"]


def test_dates_are_iso():
    assert one_cell(date(2026, 4, 1)) == "2026-04-01"


def test_datetimes_are_iso_with_their_offset():
    assert one_cell(datetime(2026, 11, 24, 9, 5, 7, tzinfo=timezone.utc)) == "2026-11-24T09:05:07+00:00"


def test_numbers_are_written_plainly():
    assert parse(csv_text(["a", "b", "c"], [[0, -12, 3.5]]))[1] == ["0", "-12", "3.5"]


@pytest.mark.parametrize("dangerous", [
    "=1+1",
    "=HYPERLINK(\"http://evil.example\",\"click\")",
    "+44 20 7946 0000",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "-",
    "=",
])
def test_a_cell_that_a_spreadsheet_would_run_as_a_formula_is_defused(dangerous):
    cell = one_cell(dangerous)
    assert cell == "'" + dangerous


@pytest.mark.parametrize("number", ["-12", "-0.5", "+3", "-1e3", "+0"])
def test_a_signed_number_is_left_alone(number):
    assert one_cell(number) == number


@pytest.mark.parametrize("safe", ["a=b", "Epic", "1+1", " =not at the start", "", "'quoted"])
def test_ordinary_text_is_left_alone(safe):
    assert one_cell(safe) == safe


@settings(deadline=None, max_examples=50)
@given(st.lists(st.lists(st.text(max_size=15), min_size=3, max_size=3), max_size=5))
def test_any_text_reads_back_as_written_apart_from_the_formula_guard(rows):
    back = parse(csv_text(["a", "b", "c"], rows))[1:]
    assert len(back) == len(rows)
    for written, read in zip(rows, back):
        for w, r in zip(written, read):
            assert r == w or r == "'" + w
            assert not r or r[0] not in "=+@\t\r" or r == w  # a guarded cell starts with the quote


@settings(deadline=None, max_examples=50)
@given(st.text(min_size=1, max_size=15))
def test_no_cell_ever_starts_with_a_formula_character_unless_it_is_a_number(text):
    cell = one_cell(text)
    if cell and cell[0] in "=+-@\t\r":
        float(cell)  # only a plain number may start so


def test_the_download_starts_with_a_byte_order_mark_for_excel():
    response = csv_response("things.csv", ["a"], [["£5"]])
    body = response.get_data()
    assert body.startswith("\ufeff".encode("utf-8"))
    assert body.decode("utf-8-sig") == "a\r\n£5\r\n"


def test_the_download_is_utf8_csv_served_as_an_attachment_with_its_name():
    response = csv_response("audit-log.csv", ["a"], [])
    assert response.mimetype == "text/csv"
    assert response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="audit-log.csv"'


def test_the_download_applies_the_same_guard_and_quoting():
    response = csv_response("x.csv", ["a", "b"], [["=cmd", "x,y"]])
    assert response.get_data().decode("utf-8-sig") == "a,b\r\n'=cmd,\"x,y\"\r\n"


@pytest.mark.parametrize("pence,text", [
    (None, ""),
    (0, "0.00"),
    (1, "0.01"),
    (10, "0.10"),
    (99, "0.99"),
    (100, "1.00"),
    (123456, "1234.56"),
    (500_000_000, "5000000.00"),
    (-1, "-0.01"),
    (-250, "-2.50"),
])
def test_pounds_writes_pence_as_pounds_with_two_decimals_and_no_symbol(pence, text):
    assert pounds(pence) == text


@settings(deadline=None, max_examples=50)
@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_pounds_is_exact_for_any_number_of_pence(pence):
    text = pounds(pence)
    whole, _, decimals = text.lstrip("-").partition(".")
    assert len(decimals) == 2
    assert (-1 if text.startswith("-") else 1) * (int(whole) * 100 + int(decimals)) == pence


def test_pounds_in_a_csv_is_a_plain_number_not_guarded():
    assert one_cell(pounds(-250)) == "-2.50"
