"""Small server-side SVG charts: bars, a trend line with threshold bands, a network picture.

Strict CSP: no style attributes and no scripts. Colours come from the app stylesheet's
`app-chart__*` classes, with presentation attributes (fill=, stroke=) as a fallback for an SVG
seen without the stylesheet. Every chart has role="img" with a <title> and <desc>, and the page
puts a data table under it for those who read rather than look. All text is escaped.
"""
from __future__ import annotations

import math
import re
import textwrap
from dataclasses import dataclass
from html import escape
from typing import Sequence

from markupsafe import Markup

from app.web.formatting import hhi

BLUE, AQUA, YELLOW, RED, GREY, TEXT, SECONDARY = (
    "#005eb8", "#00a499", "#ffb81c", "#d5281b", "#d8dde0", "#212b32", "#4c6272")
SERIES = (("app-chart__bar", BLUE), ("app-chart__bar app-chart__bar--secondary", AQUA),
          ("app-chart__bar app-chart__bar--highlight", YELLOW))
FONT = 14


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _e(text: object) -> str:
    """Escaped for XML, without the control characters XML 1.0 forbids."""
    return escape(_CONTROL.sub("", str(text)), quote=True)


def _lines(text: str, width: int) -> list[str]:
    """A label broken into lines of at most about `width` characters, at spaces (never cut short:
    every word of a trust's name stays readable)."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [text]


def _wrapped(x: float, y: float, lines: Sequence[str], anchor: str = "start", size: int = FONT) -> str:
    """A label of several lines, its first line's baseline at y."""
    spans = "".join(f'<tspan x="{x:.1f}" dy="{0 if i == 0 else size + 2}">{_e(line)}</tspan>'
                    for i, line in enumerate(lines))
    return (f'<text class="app-chart__label" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{TEXT}">{spans}</text>')


def _open(uid: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{_e(uid)}-title {_e(uid)}-desc" focusable="false">',
        f'<title id="{_e(uid)}-title">{_e(title)}</title>',
        f'<desc id="{_e(uid)}-desc">{_e(desc)}</desc>',
    ]


def _text(x: float, y: float, text: str, anchor: str = "start", secondary: bool = False, size: int = FONT) -> str:
    cls = "app-chart__label app-chart__label--secondary" if secondary else "app-chart__label"
    colour = SECONDARY if secondary else TEXT
    return (f'<text class="{cls}" x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{colour}">{_e(text)}</text>')


#: Most bars of a bar chart, and most exemplars and followers of the network picture: the rest
#: are summed in one bar (or left to the table, its own page and its CSV), so a chart does not grow
#: with the register.
MAX_BARS = 12
MAX_EXEMPLARS = 12
MAX_FOLLOWERS = 36


def top_bars(rows: Sequence[tuple[str, Sequence[float]]], what: str, n: int = MAX_BARS,
             suffixes: Sequence[str] = ()) -> tuple[list[tuple[str, tuple[float, ...]]], list[str]]:
    """The first `n - 1` rows of a bar chart and one more summing the rest ("The 40 other
    suppliers"), with their suffixes (the summed row has none); all of them when they fit."""
    rows = [(label, tuple(values)) for label, values in rows]
    if len(rows) <= n:
        return rows, list(suffixes)
    head, tail = rows[:n - 1], rows[n - 1:]
    width = max(len(v) for _, v in tail)
    summed = tuple(round(sum(v[i] or 0.0 for _, v in tail if i < len(v)), 6) for i in range(width))
    return head + [(f"The {len(tail):,} other {what}", summed)], list(suffixes[:n - 1]) + [""]


def network_part(exemplars: Sequence[tuple[int, str]], followers: Sequence[tuple[int, str]],
                 edges: Sequence[tuple[int, int]], most_exemplars: int = MAX_EXEMPLARS,
                 most_followers: int = MAX_FOLLOWERS):
    """The part of the network a picture can show: the exemplars with most followers (at most
    `most_exemplars`) and, in the order given, at most `most_followers` of their followers, with
    the edges between them. Returns (exemplars, followers, edges, whether anything was left out)."""
    degree: dict[int, int] = {}
    for _, e in edges:
        degree[e] = degree.get(e, 0) + 1
    if len(exemplars) <= most_exemplars and len(followers) <= most_followers:
        return list(exemplars), list(followers), list(edges), False
    keep_e = {i for i, _ in sorted(exemplars, key=lambda x: -degree.get(x[0], 0))[:most_exemplars]}
    linked = {f for f, e in edges if e in keep_e}
    fo = [x for x in followers if x[0] in linked][:most_followers]
    keep_f = {i for i, _ in fo}
    ex = [x for x in exemplars if x[0] in keep_e]
    return ex, fo, [(f, e) for f, e in edges if f in keep_f and e in keep_e], True


def bar_chart(uid: str, rows: Sequence[tuple[str, Sequence[float]]], *, title: str, desc: str,
              series: Sequence[str] = ("Share",), unit: str = "%", max_value: float | None = None,
              suffixes: Sequence[str] = (), width: int = 680) -> Markup:
    """Horizontal bars, one group per row, one bar per series (e.g. now and projected); a row's
    suffix follows its first bar's value (e.g. "(32 trusts)")."""
    label_w, value_w, bar_h, gap = 230, 70, 16, 10
    n_series = max(1, len(series))
    labels = [_lines(label, 30) for label, _ in rows]  # names in full, over lines as needed
    group_h = max(n_series * bar_h, max([len(lines) for lines in labels] + [1]) * 15) + gap
    legend_h = 24 if n_series > 1 else 0
    height = legend_h + max(1, len(rows)) * group_h + 10
    top = max([v for _, vals in rows for v in vals if v is not None] or [0])
    scale_max = max_value or (top if top > 0 else 1)
    plot_w = width - label_w - value_w
    out = _open(uid, width, height, title, desc)
    if legend_h:
        x = label_w
        for i, name in enumerate(series):
            cls, colour = SERIES[i % len(SERIES)]
            out.append(f'<rect class="{cls}" x="{x}" y="4" width="14" height="14" fill="{colour}"/>')
            out.append(_text(x + 20, 16, name))
            x += 30 + 8 * len(name)
    if not rows:
        out.append(_text(label_w, legend_h + 20, "No data", secondary=True))
    for r, (label, values) in enumerate(rows):
        y0 = legend_h + r * group_h
        out.append(f'<g><title>{_e(label)}</title>')
        lines = labels[r]
        out.append(_wrapped(label_w - 8, y0 + (group_h - gap) / 2 - (len(lines) - 1) * 15 / 2 + 5, lines,
                            anchor="end", size=FONT))
        for i, v in enumerate(values):
            cls, colour = SERIES[i % len(SERIES)]
            y = y0 + i * bar_h
            w = 0 if v is None else max(0.0, min(1.0, v / scale_max)) * plot_w
            out.append(f'<rect class="{cls}" x="{label_w}" y="{y + 1}" width="{w:.1f}" height="{bar_h - 2}" '
                       f'fill="{colour}"/>')
            shown = "–" if v is None else f"{v:,.1f}{unit}"
            if i == 0 and r < len(suffixes) and suffixes[r]:
                shown += f" {suffixes[r]}"
            out.append(_text(label_w + w + 6, y + bar_h - 3, shown, size=12))
        out.append("</g>")
    out.append(f'<line class="app-chart__axis" x1="{label_w}" y1="{legend_h}" x2="{label_w}" y2="{height - 6}" '
               f'stroke="{GREY}"/>')
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True)
class Band:
    """A horizontal band of the trend chart (e.g. 'highly concentrated' above 1,800)."""

    low: float
    high: float
    label: str
    fill: str


def _nice_max(value: float) -> float:
    return min(10_000.0, max(2_000.0, math.ceil(value * 1.15 / 1000) * 1000))


def line_chart(uid: str, points: Sequence[tuple[str, float | None]], *, title: str, desc: str,
               bands: Sequence[Band] = (), thresholds: Sequence[tuple[float, str]] = (),
               ranges: Sequence[tuple[float, float] | None] = (), projected: Sequence[bool] = (),
               y_max: float | None = None, width: int = 680, height: int = 300) -> Markup:
    """A trend line (e.g. HHI by quarter) over shaded threshold bands; a missing value breaks
    the line rather than pretending to be zero. `ranges` shades, under the line, the range each
    value could take (its bounds); points marked `projected` are drawn dashed and hollow."""
    left, right, top, bottom = 60, 150, 12, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v for _, v in points if v is not None]
    highs = [r[1] for r in ranges if r is not None]
    ymax = y_max or _nice_max(max(values + highs + [t for t, _ in thresholds] + [0]))

    def y(v: float) -> float:
        return top + plot_h - min(v, ymax) / ymax * plot_h

    def x(i: int) -> float:
        return left + (plot_w * i / max(1, len(points) - 1))

    out = _open(uid, width, height, title, desc)
    for b in bands:
        lo, hi = min(b.low, ymax), min(b.high, ymax)
        if hi <= lo:
            continue
        out.append(f'<rect x="{left}" y="{y(hi):.1f}" width="{plot_w}" height="{y(lo) - y(hi):.1f}" '
                   f'fill="{_e(b.fill)}" fill-opacity="0.25"/>')
        out.append(_text(left + plot_w + 8, (y(hi) + y(lo)) / 2 + 4, b.label, secondary=True, size=12))
    step = 500 if ymax <= 3000 else 1000 if ymax <= 6000 else 2000
    tick = 0.0
    while tick <= ymax + 0.1:
        out.append(f'<line class="app-chart__gridline" x1="{left}" y1="{y(tick):.1f}" x2="{left + plot_w}" '
                   f'y2="{y(tick):.1f}" stroke="{GREY}" stroke-dasharray="2 2"/>')
        out.append(_text(left - 6, y(tick) + 4, f"{tick:,.0f}", anchor="end", size=12))
        tick += step
    for value, label in thresholds:
        if value <= ymax:
            out.append(f'<line class="app-chart__threshold" x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" '
                       f'y2="{y(value):.1f}" stroke="{RED}" stroke-dasharray="4 3" stroke-width="2"/>')
            out.append(_text(left + plot_w + 8, y(value) + 4, label, size=12))
    out.append(f'<line class="app-chart__axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
               f'y2="{top + plot_h}" stroke="{GREY}"/>')
    every = max(1, math.ceil(len(points) / 6))
    for i, (label, _) in enumerate(points):
        if i % every == 0 or i == len(points) - 1:
            out.append(_text(x(i), top + plot_h + 18, label, anchor="middle", size=12))
    out.extend(_range_band(ranges, x, y))
    is_projected = [i < len(projected) and bool(projected[i]) for i in range(len(points))]
    for seg, dashed in _segments(points, is_projected):
        coords = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in seg)
        dash = ' stroke-dasharray="6 4"' if dashed else ""
        out.append(f'<polyline points="{coords}" fill="none" stroke="{BLUE}" stroke-width="3"{dash}/>')
    for i, (label, v) in enumerate(points):
        if v is not None:
            rng = ranges[i] if i < len(ranges) else None
            extra = f" (between {hhi(rng[0])} and {hhi(rng[1])})" if rng and rng[0] != rng[1] else ""
            fill = "#ffffff" if is_projected[i] else BLUE
            word = " projected" if is_projected[i] else ""
            out.append(f'<circle class="app-chart__node" cx="{x(i):.1f}" cy="{y(v):.1f}" r="4" fill="{fill}" '
                       f'stroke="{BLUE}" stroke-width="2"><title>{_e(label)}{word}: {hhi(v)}{_e(extra)}</title></circle>')
    if not values:
        out.append(_text(left + 10, top + plot_h / 2, "No data", secondary=True))
    out.append("</svg>")
    return Markup("".join(out))


def _segments(points: Sequence[tuple[str, float | None]], projected: Sequence[bool]):
    """Runs of consecutive known values, each either measured or projected; a projected run starts
    at the last measured point so the line carries on."""
    runs: list[tuple[list[tuple[int, float]], bool]] = []
    current: list[tuple[int, float]] = []
    kind = False
    for i, (_, v) in enumerate(points):
        if v is None:
            if current:
                runs.append((current, kind))
            current = []
            continue
        if current and projected[i] != kind:
            runs.append((current, kind))
            current = [current[-1]] if projected[i] else []
        kind = projected[i]
        current.append((i, v))
    if current:
        runs.append((current, kind))
    return [(seg, dashed) for seg, dashed in runs if len(seg) > 1 or not dashed]


def _range_band(ranges: Sequence[tuple[float, float] | None], x, y) -> list[str]:
    """A shaded polygon from each point's low bound to its high bound (breaks where unknown)."""
    out, run = [], []
    for i, r in enumerate(list(ranges) + [None]):
        if r is not None:
            run.append((i, r))
            continue
        if len(run) > 1:
            upper = " ".join(f"{x(i):.1f},{y(hi):.1f}" for i, (_, hi) in run)
            lower = " ".join(f"{x(i):.1f},{y(lo):.1f}" for i, (lo, _) in reversed(run))
            out.append(f'<polygon class="app-chart__range" points="{upper} {lower}" fill="{AQUA}" '
                       f'fill-opacity="0.3" stroke="none"/>')
        run = []
    return out


def range_chart(uid: str, value: float | None, low: float | None, high: float | None, *, title: str, desc: str,
                thresholds: Sequence[tuple[float, str]] = (), width: int = 680, height: int = 90) -> Markup:
    """One HHI on its scale (0 to a round figure above the HIGH bound and the thresholds, at most
    10,000), with the range it could take shaded and the alert thresholds marked: the headline
    figure and its bounds at a glance."""
    left, right, top = 20, 40, 30
    plot_w = width - left - right
    top_value = _nice_max(max([v for v in (value, high) if v is not None] + [t for t, _ in thresholds] + [0]))
    step = 500 if top_value <= 3000 else 1000 if top_value <= 6000 else 2000

    def x(v: float) -> float:
        return left + max(0.0, min(top_value, v)) / top_value * plot_w

    out = _open(uid, width, height, title, desc)
    out.append(f'<line class="app-chart__axis" x1="{left}" y1="{top + 20}" x2="{left + plot_w}" y2="{top + 20}" '
               f'stroke="{GREY}" stroke-width="2"/>')
    tick = 0.0
    while tick <= top_value + 0.1:
        out.append(_text(x(tick), top + 46, f"{tick:,.0f}", anchor="middle", size=12))
        tick += step
    for t, label in thresholds:
        if t <= top_value:
            out.append(f'<line class="app-chart__threshold" x1="{x(t):.1f}" y1="{top + 4}" x2="{x(t):.1f}" '
                       f'y2="{top + 32}" stroke="{RED}" stroke-dasharray="4 3" stroke-width="2"/>')
            out.append(_text(x(t), top - 2, label, anchor="middle", size=12))
    if low is not None and high is not None:
        out.append(f'<rect class="app-chart__range" x="{x(low):.1f}" y="{top + 10}" '
                   f'width="{max(2.0, x(high) - x(low)):.1f}" height="20" fill="{AQUA}" fill-opacity="0.4"/>')
    if value is None:
        out.append(_text(left + 10, top + 14, "Not known", secondary=True))
    else:
        out.append(f'<circle class="app-chart__node" cx="{x(value):.1f}" cy="{top + 20}" r="7" fill="{BLUE}">'
                   f'<title>HHI {hhi(value)}</title></circle>')
    out.append("</svg>")
    return Markup("".join(out))


def network_chart(uid: str, exemplars: Sequence[tuple[int, str]], followers: Sequence[tuple[int, str]],
                  edges: Sequence[tuple[int, int]], *, title: str, desc: str, width: int = 680) -> Markup:
    """The exemplar–follower network: exemplars on the left, followers on the right, a line for
    each pair in partnership. Deterministic (no random layout), so the picture is stable. Names are
    written in full, over as many lines as they need, never cut off."""
    size, line_h = 13, 15
    lx, rx = 250, width - 250
    left = [(i, _lines(label, 32)) for i, label in exemplars]
    right = [(i, _lines(label, 32)) for i, label in followers]
    most = max([len(lines) for _, lines in left + right] + [1])
    row_h, top = max(26, most * line_h + 10), 30
    height = top + max(len(exemplars), len(followers), 1) * row_h + 10
    ey = {i: top + k * row_h + row_h / 2 for k, (i, _) in enumerate(exemplars)}
    fy = {i: top + k * row_h + row_h / 2 for k, (i, _) in enumerate(followers)}
    out = _open(uid, width, height, title, desc)
    out.append(_text(lx, 16, "Exemplars", anchor="end"))
    out.append(_text(rx, 16, "Followers"))
    for f, e in edges:
        if f in fy and e in ey:
            out.append(f'<line class="app-chart__edge" x1="{lx}" y1="{ey[e]:.1f}" x2="{rx}" y2="{fy[f]:.1f}" '
                       f'stroke="{SECONDARY}" stroke-width="2"/>')

    def first_baseline(centre: float, lines: list[str]) -> float:
        return centre - (len(lines) - 1) * line_h / 2 + 5

    for (i, label), (_, lines) in zip(exemplars, left):
        out.append(f'<g><title>{_e(label)}</title><circle class="app-chart__node" cx="{lx}" cy="{ey[i]:.1f}" r="7" '
                   f'fill="{BLUE}"/>')
        out.append(_wrapped(lx - 12, first_baseline(ey[i], lines), lines, anchor="end", size=size) + "</g>")
    for (i, label), (_, lines) in zip(followers, right):
        out.append(f'<g><title>{_e(label)}</title><circle class="app-chart__node app-chart__node--supplier" '
                   f'cx="{rx}" cy="{fy[i]:.1f}" r="7" fill="{AQUA}"/>')
        out.append(_wrapped(rx + 12, first_baseline(fy[i], lines), lines, size=size) + "</g>")
    if not edges:
        out.append(_text(width / 2, top + 14, "No partnerships", anchor="middle", secondary=True))
    out.append("</svg>")
    return Markup("".join(out))
