"""Alert rules and SVG charts of the concentration dashboard (pure; no Flask app, no database)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.concentration import charts
from app.concentration.alerts import UK_CMA_NO_THRESHOLD, Measures, RuleSpec, assess, evaluate

HIGH = RuleSpec("high", "Highly concentrated", "hhi", 1800, severity="high", source_urls=("https://example.org/a",))
RISE = RuleSpec("rise", "Significant rise", "delta_hhi", 100)
BOTH = RuleSpec("both", "High and rising", "hhi", 1800, delta_threshold=100, severity="high")
SHARE = RuleSpec("share", "Largest above 30%", "cr1", 30, delta_threshold=100)
SUPPLIER = RuleSpec("supplier", "Largest supplier above 50%", "supplier_share", 50, severity="info")


def slugs(alerts):
    return [a.rule.slug for a in alerts]


def test_an_hhi_above_the_threshold_raises_an_alert_naming_its_source():
    [a] = evaluate([HIGH], Measures(hhi=2500))
    assert a.message == "HHI is 2,500, above 1,800."
    assert a.rule.source_urls == ("https://example.org/a",)


def test_an_hhi_at_the_threshold_does_not():
    assert evaluate([HIGH], Measures(hhi=1800)) == []


def test_a_combined_rule_needs_both_the_level_and_the_rise():
    assert evaluate([BOTH], Measures(hhi=2500, delta_hhi=50)) == []
    assert evaluate([BOTH], Measures(hhi=1500, delta_hhi=500)) == []
    [a] = evaluate([BOTH], Measures(hhi=2500, delta_hhi=150))
    assert "rose by 150 (above 100)" in a.message


def test_an_unknown_measure_never_raises_an_alert():
    assert evaluate([HIGH, RISE, BOTH, SHARE, SUPPLIER], Measures()) == []
    assert evaluate([BOTH], Measures(hhi=5000)) == []


def test_alerts_come_most_severe_first():
    found = evaluate([SUPPLIER, RISE, HIGH], Measures(hhi=5000, delta_hhi=500, supplier_share=80))
    assert slugs(found) == ["high", "rise", "supplier"]


def test_share_rules_read_the_largest_share():
    assert slugs(evaluate([SHARE], Measures(cr1=45, delta_hhi=101))) == ["share"]
    assert slugs(evaluate([SUPPLIER], Measures(supplier_share=51))) == ["supplier"]


@pytest.mark.parametrize("coverage, minimum, assessed, note", [
    (10.4, 60, False, "Not assessed: coverage 10 % (the rules apply from 60 %)"),
    (59.9, 60, False, "Not assessed: coverage 60 % (the rules apply from 60 %)"),
    (60.0, 60, True, ""),
    (99.3, 60, True, ""),
    (None, 60, False, "Not assessed: no trust in scope"),
    (40.0, 30, True, ""),
])
def test_a_category_below_the_minimum_coverage_is_not_assessed(coverage, minimum, assessed, note):
    a = assess([HIGH], Measures(hhi=5000), coverage, minimum)
    assert a.assessed == assessed and a.note == note
    assert slugs(a.alerts) == (["high"] if assessed else [])


@pytest.mark.parametrize("kind, verified, label, is_verified", [
    ("primary", True, "primary source (the regulator's own page), verified: its text was read", True),
    ("primary", False, "primary source (the regulator's own page), not verified: its text has not been read", False),
    ("secondary", False, "secondary source (a law firm's summary), not verified", False),
    # A claim of "verified" on anything but a primary source is never shown as verified.
    ("secondary", True, "secondary source (a law firm's summary), not verified", False),
    ("other", True, "other source (neither the regulator's page nor a law firm's summary), not verified", False),
])
def test_only_a_primary_source_that_was_read_is_called_verified(kind, verified, label, is_verified):
    rule = RuleSpec("r", "Rule", "hhi", 1800, source_kind=kind, verified=verified)
    assert rule.source_label == label and rule.is_verified == is_verified


def test_the_uk_cma_is_said_to_apply_no_threshold():
    assert "apply no threshold" in UK_CMA_NO_THRESHOLD and "CMA129" in UK_CMA_NO_THRESHOLD


# --- charts -----------------------------------------------------------------------------------

def parse(svg) -> ET.Element:
    return ET.fromstring(str(svg))


NS = "{http://www.w3.org/2000/svg}"


def test_a_bar_chart_is_an_accessible_svg_without_style_attributes():
    svg = charts.bar_chart("c1", [("Epic", (40.0,)), ("Millennium", (35.5,))], title="Shares", desc="Bars")
    root = parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{NS}title").text == "Shares" and root.find(f"{NS}desc").text == "Bars"
    assert "style=" not in str(svg) and "<script" not in str(svg)
    assert len(root.findall(f".//{NS}rect")) == 2


def test_chart_text_is_escaped():
    svg = charts.bar_chart("c2", [('<script>alert("x")</script> & co', (10.0,))], title="<b>", desc='"q"')
    text = str(svg)
    assert "<script>" not in text and "&lt;script&gt;" in text
    parse(svg)  # still well-formed


def test_a_paired_bar_chart_has_a_legend_and_two_bars_per_row():
    svg = charts.bar_chart("c3", [("Epic", (40.0, 60.0)), ("Lorenzo", (10.0, 0.0))], title="t", desc="d",
                           series=("Now", "Projected"))
    root = parse(svg)
    assert "Now" in str(svg) and "Projected" in str(svg)
    assert len(root.findall(f".//{NS}rect")) == 2 + 4


def test_a_trend_line_breaks_where_the_value_is_unknown():
    pts = [("Q1", 2000.0), ("Q2", None), ("Q3", 2100.0), ("Q4", 2200.0)]
    svg = charts.line_chart("c4", pts, title="t", desc="d", bands=[charts.Band(1800, 10_000, "Above 1,800", "#d5281b")],
                            thresholds=[(1800, "1,800")])
    root = parse(svg)
    assert len(root.findall(f".//{NS}polyline")) == 2
    assert "Above 1,800" in str(svg)
    assert "style=" not in str(svg)


def test_the_trend_shades_the_range_and_dashes_the_projection():
    pts = [("Q1", 2000.0), ("Q2", 2100.0), ("Q3", 2300.0)]
    svg = charts.line_chart("c8", pts, title="t", desc="d", ranges=[(1900.0, 2600.0), (2000.0, 2500.0), None],
                            projected=[False, False, True])
    root = parse(svg)
    [band] = root.findall(f".//{NS}polygon")
    assert band.get("class") == "app-chart__range" and len(band.get("points").split()) == 4
    lines = root.findall(f".//{NS}polyline")
    assert [line.get("stroke-dasharray") for line in lines] == [None, "6 4"]
    assert "between 1,900 and 2,600" in str(svg) and "Q3 projected: 2,300" in str(svg)


def test_the_range_chart_marks_the_figure_its_bounds_and_the_thresholds():
    svg = charts.range_chart("c9", 1425, 1403, 1449, thresholds=[(1800, "1,800")], title="t", desc="HHI 1,425")
    root = parse(svg)
    assert root.find(f".//{NS}rect").get("class") == "app-chart__range"
    assert root.find(f".//{NS}circle/{NS}title").text == "HHI 1,425"
    assert "1,800" in str(svg) and "style=" not in str(svg)
    assert "Not known" in str(charts.range_chart("c10", None, None, None, title="t", desc="d"))


def test_a_bar_can_say_how_many_trusts_it_is():
    svg = charts.bar_chart("c11", [("Oracle Health", (27.6,))], suffixes=["(32 trusts)"], title="t", desc="d")
    assert "27.6% (32 trusts)" in str(svg)


def test_an_empty_chart_says_so():
    assert "No data" in str(charts.line_chart("c5", [("Q1", None)], title="t", desc="d"))
    assert "No data" in str(charts.bar_chart("c6", [], title="t", desc="d"))


def test_the_network_draws_a_line_per_partnership():
    svg = charts.network_chart("c7", [(1, "Wirral")], [(2, "Chester"), (3, "Other")], [(2, 1), (3, 1)],
                               title="Network", desc="d")
    root = parse(svg)
    assert len(root.findall(f".//{NS}line")) == 2
    assert len(root.findall(f".//{NS}circle")) == 3


@settings(deadline=None, max_examples=50)
@given(st.lists(st.tuples(st.text(max_size=40), st.floats(min_value=0, max_value=100)), max_size=12))
def test_any_labels_and_values_make_a_well_formed_chart(rows):
    svg = charts.bar_chart("p", [(label, (value,)) for label, value in rows], title="t", desc="d")
    parse(svg)  # control characters are dropped, everything else escaped
    assert "style=" not in str(svg)


def test_the_network_writes_long_names_in_full_over_several_lines():
    name = "Manchester University NHS Foundation Trust (Wythenshawe, Trafford, Withington and Altrincham)"
    svg = str(charts.network_chart("c8", [(1, name)], [(2, "Chester")], [(2, 1)], title="t", desc="d"))
    assert "…" not in svg
    shown = " ".join(re.findall(r"<tspan[^>]*>([^<]*)</tspan>", svg))
    assert name in shown or all(word in shown for word in name.split())
    assert svg.count("<tspan") >= 3


def test_a_bar_chart_keeps_the_largest_rows_and_sums_the_rest_in_one_bar():
    from app.concentration.charts import top_bars

    rows = [(f"S{i}", (10.0 - i * 0.5, 1.0)) for i in range(15)]
    bars, suffixes = top_bars(rows, "suppliers", n=5, suffixes=[f"({i})" for i in range(15)])
    assert [b[0] for b in bars] == ["S0", "S1", "S2", "S3", "The 11 other suppliers"]
    assert bars[-1][1] == (round(sum(10.0 - i * 0.5 for i in range(4, 15)), 6), 11.0)
    assert suffixes == ["(0)", "(1)", "(2)", "(3)", ""]
    assert top_bars(rows[:5], "suppliers", n=5)[0] == rows[:5]


def test_the_network_picture_keeps_the_exemplars_with_most_followers():
    from app.concentration.charts import network_part

    exemplars = [(i, f"E{i}") for i in range(1, 6)]
    followers = [(100 + i, f"F{i}") for i in range(30)]
    edges = [(100 + i, 1 + (i % 3 == 0) * 2) for i in range(30)]  # E1 20 followers, E3 10, others none
    ex, fo, ed, part = network_part(exemplars, followers, edges, most_exemplars=2, most_followers=8)
    assert part and [e for e, _ in ex] == [1, 3] and len(fo) == 8
    assert all(f in {i for i, _ in fo} and e in {1, 3} for f, e in ed) and len(ed) == 8
    assert network_part(exemplars, followers[:3], edges[:3], most_exemplars=5, most_followers=8)[3] is False
