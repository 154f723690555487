"""Server-side SVG pictures for the case page: lab trend charts and the treatment timeline.

Pictures, not tables, where a clinician would rather look than read; drawn here as
plain SVG so nothing is loaded from the internet and nothing runs in the browser. The
Content Security Policy forbids inline styles, so every colour comes from a class in
`site.css`; SVG presentation attributes (stroke-dasharray, r, x, y…) are not styles and
are allowed. Each picture carries a <title> and <desc>, and every point a <title>
(the value on hover), so screen readers and tooltips get the numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Point:
    day: date
    value: float
    label: str = ""  # shown on hover, e.g. "1.4 mg/dL (124 µmol/L)"


@dataclass(frozen=True)
class Threshold:
    value: float
    label: str


@dataclass
class LabChart:
    key: str
    title: str
    unit: str
    points: list[Point]
    thresholds: list[Threshold] = field(default_factory=list)
    note: str = ""
    #: Implausible values of the record, not plotted (each as a sentence).
    excluded: list[str] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    @property
    def latest_text(self) -> str:
        return _fmt(self.points[-1].value) if self.points else ""

    @property
    def svg(self) -> SafeString:
        return line_chart(self)


def _fmt(value: float) -> str:
    """A compact number for axis labels: 1.25, 12.5, 125, 1250."""
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}".rstrip("0").rstrip(".")
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _nice_ticks(lo: float, hi: float, count: int = 4) -> list[float]:
    """Round tick values covering lo..hi (1, 2, 2.5, 5 × 10ⁿ steps)."""
    if hi <= lo:
        hi = lo + 1
    raw = (hi - lo) / max(count - 1, 1)
    exponent = math.floor(math.log10(raw))
    step = 10**exponent
    for mult in (1, 2, 2.5, 5, 10):
        if raw <= mult * 10**exponent:
            step = mult * 10**exponent
            break
    start = math.floor(lo / step) * step
    ticks = []
    value = start
    while value <= hi + step * 0.001:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < hi:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def line_chart(chart: LabChart, *, width: int = 320, height: int = 150) -> SafeString:
    """One analyte over time: points joined by a line, rule thresholds dashed."""
    left, right, top, bottom = 44, 10, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    title = escape(f"{chart.title} ({chart.unit})")
    if not chart.points:
        return mark_safe(  # noqa: S308 — every interpolated text is escaped above
            f'<svg class="chart chart-empty" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{title}: no values"><title>{title}: no values</title>'
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" class="chart-text">'
            f"No values recorded</text></svg>"
        )
    values = [p.value for p in chart.points] + [t.value for t in chart.thresholds]
    ticks = _nice_ticks(min(values), max(values))
    y_lo, y_hi = ticks[0], ticks[-1]
    first, last = chart.points[0].day, chart.points[-1].day
    span = max((last - first).days, 1)

    def x_of(day: date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (day - first).days / span

    def y_of(value: float) -> float:
        return top + plot_h * (1 - (value - y_lo) / (y_hi - y_lo))

    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-{chart.key}-t chart-{chart.key}-d">',
        f'<title id="chart-{chart.key}-t">{title}</title>',
        f'<desc id="chart-{chart.key}-d">{len(chart.points)} values from {first:%d %b %Y} '
        f"to {last:%d %b %Y}; latest {escape(_fmt(chart.points[-1].value))} "
        f"{escape(chart.unit)}.</desc>",
    ]
    for tick in ticks:
        y = y_of(tick)
        parts.append(f'<line class="chart-grid" x1="{left}" x2="{width - right}" '
                     f'y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="chart-text" x="{left - 4}" y="{y + 3:.1f}" '
                     f'text-anchor="end">{_fmt(tick)}</text>')
    for threshold in chart.thresholds:
        y = y_of(threshold.value)
        parts.append(f'<line class="chart-threshold" x1="{left}" x2="{width - right}" '
                     f'y1="{y:.1f}" y2="{y:.1f}" stroke-dasharray="4 3"/>')
        parts.append(f'<text class="chart-threshold-text" x="{width - right - 2}" '
                     f'y="{y - 3:.1f}" text-anchor="end">{escape(threshold.label)}</text>')
    parts.append(f'<text class="chart-text" x="{left}" y="{height - 6}">'
                 f"{first:%b %Y}</text>")
    if last != first:
        parts.append(f'<text class="chart-text" x="{width - right}" y="{height - 6}" '
                     f'text-anchor="end">{last:%b %Y}</text>')
    coords = [(x_of(p.day), y_of(p.value)) for p in chart.points]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(f'<polyline class="chart-line" points="{path}"/>')
    # Draw every point only when they are few enough to tell apart.
    radius = 3 if len(coords) <= 40 else 1.5
    for point, (x, y) in zip(chart.points, coords, strict=True):
        label = point.label or f"{_fmt(point.value)} {chart.unit}"
        parts.append(f'<circle class="chart-point" cx="{x:.1f}" cy="{y:.1f}" r="{radius}">'
                     f"<title>{escape(label)} on {point.day:%d %b %Y}</title></circle>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — all text interpolated above is escaped


# --- Treatment timeline ---------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    lane: str
    start: date
    end: date | None  # None: ongoing (drawn to today with an open end)
    label: str
    detail: str = ""
    point: bool = False  # a single event (surgery)


LANES = (
    ("radiotherapy", "Radiotherapy"),
    ("bta", "Bone-targeted agents"),
    ("systemic", "Systemic therapy"),
    ("surgery", "Surgery"),
)


def treatment_timeline(spans: Sequence[Span], *, today: date, width: int = 960,
                       marker: date | None = None, marker_label: str = "") -> SafeString:
    """One lane per kind of treatment, one bar per course, a diamond per operation,
    a line for today (and for the meeting, if given)."""
    lane_h, top, bottom, left, right = 34, 8, 26, 170, 16
    height = top + lane_h * len(LANES) + bottom
    plot_w = width - left - right
    starts = [s.start for s in spans] or [today - timedelta(days=365)]
    first = min(min(starts), today - timedelta(days=180))
    last = max([today, marker or today] + [s.end for s in spans if s.end])
    first = date(first.year, first.month, 1)
    span_days = max((last - first).days, 1) + 10

    def x_of(day: date) -> float:
        return left + plot_w * (day - first).days / span_days

    parts = [
        f'<svg class="timeline" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="timeline-t timeline-d">',
        '<title id="timeline-t">Treatment timeline</title>',
        f'<desc id="timeline-d">{len(spans)} treatments from {first:%b %Y} to '
        f"{last:%b %Y}.</desc>",
    ]
    for index, (_key, name) in enumerate(LANES):
        y = top + index * lane_h
        parts.append(f'<rect class="timeline-lane timeline-lane-{index % 2}" x="0" y="{y}" '
                     f'width="{width}" height="{lane_h}"/>')
        parts.append(f'<text class="chart-text timeline-lane-label" x="8" '
                     f'y="{y + lane_h / 2 + 4}">{name}</text>')
    # Month ticks, thinned so labels never collide.
    months = (last.year - first.year) * 12 + last.month - first.month + 1
    every = max(1, math.ceil(months / 12))
    day = first
    for i in range(months + 1):
        if i % every == 0:
            x = x_of(day)
            parts.append(f'<line class="chart-grid" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" '
                         f'y2="{top + lane_h * len(LANES)}"/>')
            label = f"{day:%b %Y}" if day.month == 1 or i == 0 else f"{day:%b}"
            parts.append(f'<text class="chart-text" x="{x:.1f}" y="{height - 8}" '
                         f'text-anchor="middle">{label}</text>')
        day = date(day.year + (day.month // 12), day.month % 12 + 1, 1)
    lane_index = {key: i for i, (key, _n) in enumerate(LANES)}
    for s in spans:
        y = top + lane_index[s.lane] * lane_h
        title = escape(f"{s.label}{' — ' + s.detail if s.detail else ''}")
        if s.point:
            x = x_of(s.start)
            cy = y + lane_h / 2
            parts.append(
                f'<polygon class="timeline-event timeline-{s.lane}" points="{x:.1f},{cy - 8:.1f} '
                f'{x + 8:.1f},{cy:.1f} {x:.1f},{cy + 8:.1f} {x - 8:.1f},{cy:.1f}">'
                f"<title>{title} on {s.start:%d %b %Y}</title></polygon>"
            )
            parts.append(f'<text class="chart-text" x="{x + 11:.1f}" y="{cy + 4:.1f}">'
                         f"{escape(s.label)}</text>")
            continue
        end = s.end or today
        x1, x2 = x_of(s.start), max(x_of(end), x_of(s.start) + 4)
        ongoing = " timeline-ongoing" if s.end is None else ""
        when = f"{s.start:%d %b %Y} – {s.end:%d %b %Y}" if s.end else f"since {s.start:%d %b %Y}"
        parts.append(
            f'<rect class="timeline-bar timeline-{s.lane}{ongoing}" x="{x1:.1f}" '
            f'y="{y + 7}" width="{x2 - x1:.1f}" height="{lane_h - 14}" rx="3">'
            f"<title>{title}, {when}</title></rect>"
        )
        # Label inside the bar when it fits (≈ 6 px per character), else after it.
        if (x2 - x1) > len(s.label) * 6 + 8:
            parts.append(f'<text class="timeline-bar-text" x="{x1 + 4:.1f}" '
                         f'y="{y + lane_h / 2 + 4}">{escape(s.label)}</text>')
        elif x2 + len(s.label) * 6 < width:
            parts.append(f'<text class="chart-text" x="{x2 + 4:.1f}" '
                         f'y="{y + lane_h / 2 + 4}">{escape(s.label)}</text>')
    for when, css, text in ((today, "timeline-today", "today"),
                            (marker, "timeline-marker", marker_label)):
        if when is None:
            continue
        x = x_of(when)
        parts.append(f'<line class="{css}" x1="{x:.1f}" x2="{x:.1f}" y1="{top}" '
                     f'y2="{top + lane_h * len(LANES)}"/>')
        parts.append(f'<text class="chart-text {css}-text" x="{x + 3:.1f}" y="{top + 10}">'
                     f"{escape(text)}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — all text interpolated above is escaped
