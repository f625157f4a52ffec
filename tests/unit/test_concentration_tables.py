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


LONG = Table("long", "Partnerships", ("Follower", "Exemplar", "Members"),
             [(f"Trust {i:03d}", "Leeds" if i % 2 else "Royal Free", "; ".join(f"Org {k}" for k in range(i % 20)))
              for i in range(40)], foot=[("Total", "", "")])


def test_a_long_table_shows_its_first_rows_and_its_foot_and_downloads_every_row():
    from app.concentration.tables import CELL_NAMES, TOP_ROWS

    root = ET.fromstring(str(LONG.html()))
    rows = root.findall("tbody/tr")
    assert LONG.cut and len(rows) == TOP_ROWS + 1 and rows[-1][0].find("span").tail == "Total"
    header, csv_rows = LONG.csv()
    assert len(csv_rows) == 41 and csv_rows[-1][0] == "Total"
    # A cell listing many names shows the first ones and how many more; the CSV has them all.
    many = ET.fromstring(str(LONG.html(LONG.rows[19:20])))
    assert many.findall("tbody/tr")[0][2].find("span").tail.endswith(f"; and {19 - CELL_NAMES} more")
    assert csv_rows[19][2].count(";") == 18


def test_filtering_matches_any_cell_as_shown_whatever_the_case():
    assert [r[0] for r in LONG.matching("trust 01")] == [f"Trust 01{i}" for i in range(10)]
    assert len(LONG.matching("LEEDS")) == 20 and LONG.matching("") == LONG.rows and not LONG.matching("nowhere")
    # Foot rows are never filtered: they follow every page.
    assert all(r[0] != "Total" for r in LONG.matching("total"))


def test_a_table_bounded_by_what_it_is_is_never_cut():
    t = Table("trend", "HHI by quarter", ("Quarter",), [(f"Q{i}",) for i in range(20)], top=None)
    assert not t.cut and len(ET.fromstring(str(t.html())).findall("tbody/tr")) == 20
