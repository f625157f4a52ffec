"""The tables under the concentration charts: the same markup as the NHS.UK table macro, and CSV
rows that carry what the figures were computed over (no Flask app, no database)."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from app.concentration.tables import Table

T = Table("t", "Share per supplier <acute>", ("Supplier", "Trusts", "Share (%)", "Verified"),
          [("Oracle Health", 32, 27.586, False), ("A & B <Ltd>", 1500, None, True)],
          context=(("Coverage (%)", 99.3), ("Sources dated", "2023-06 to 2026-05")))


def test_a_table_is_the_design_systems_responsive_table_with_everything_escaped():
    html = str(T.html())
    root = ET.fromstring(html)
    assert root.get("class") == "nhsuk-table nhsuk-table--responsive"
    assert root.find("caption").text == "Share per supplier <acute>"
    headers = root.findall("thead/tr/th")
    assert [h.text for h in headers] == ["Supplier", "Trusts", "Share (%)", "Verified"]
    # A column of numbers is right-aligned, header and cells; one with a blank is not.
    assert [("numeric" in h.get("class")) for h in headers] == [False, True, False, False]
    first, second = root.findall("tbody/tr")
    assert [td.find("span").tail for td in first] == ["Oracle Health", "32", "27.6", "No"]
    assert [td.find("span").tail for td in second] == ["A & B <Ltd>", "1,500", None, "Yes"]
    assert second[0].find("span").text == "Supplier " and second[0].find("span").get("aria-hidden") == "true"


def test_the_csv_rows_repeat_what_the_figures_were_computed_over():
    header, rows = T.csv()
    assert header[-2:] == ("Coverage (%)", "Sources dated")
    assert all(r[-2:] == (99.3, "2023-06 to 2026-05") for r in rows)
