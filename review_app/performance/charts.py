"""Bar charts drawn on the server as SVG, so the page and the PDF show the same picture."""

from base64 import b64encode
from dataclasses import dataclass

from flask import render_template
from markupsafe import Markup

from review_app.core.pdf import INLINE_IMAGE

ROW_HEIGHT = 22
LABEL_WIDTH = 230
BAR_WIDTH = 360


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float | None  # None: no applicable case
    detail: str  # e.g. "12 of 15 cases"
    note: str = "no applicable case"  # said instead of a bar ("fewer than 5")


def bar_chart(title: str, bars: list[Bar], line: float | None = None) -> Markup:
    """Return an SVG bar chart of percentages, with an optional target line (e.g. 95%)."""
    svg = render_template(
        "performance/chart.svg",
        title=title,
        bars=bars,
        line=line,
        row_height=ROW_HEIGHT,
        label_width=LABEL_WIDTH,
        bar_width=BAR_WIDTH,
        height=ROW_HEIGHT * len(bars) + 40,
        width=LABEL_WIDTH + BAR_WIDTH + 70,
    )
    return Markup(svg)


def as_data_uri(svg: str) -> str:
    """Return the chart as an inline image address (the PDF renderer draws images, not SVG tags)."""
    return INLINE_IMAGE + b64encode(str(svg).encode()).decode()


LINE_STEP = 66  # between two points
LINE_LEFT, LINE_TOP, LINE_HEIGHT = 46, 26, 200


def line_chart(title: str, points: list[Bar], line: float | None = None) -> Markup:
    """Return an SVG line chart of percentages over time, each point labelled with its figure.

    A point without a percentage (no applicable case, or too few to show) breaks
    the line and says its ``note`` ("no cases", "fewer than 5"), on the chart and
    in its text alternative; ``line`` draws a target (e.g. the 95% of substantial
    conformity).
    """
    drawn = [(LINE_LEFT + LINE_STEP * (index + 0.5), point) for index, point in enumerate(points)]
    segments: list[list[tuple[float, float]]] = [[]]
    for x, point in drawn:
        if point.percent is None:
            segments.append([])
        else:
            segments[-1].append((x, _y(point.percent)))
    svg = render_template(
        "performance/line_chart.svg",
        title=title,
        points=[(x, None if p.percent is None else _y(p.percent), p) for x, p in drawn],
        segments=[" ".join(f"{x:.1f},{y:.1f}" for x, y in s) for s in segments if len(s) > 1],
        missing=[point for point in points if point.percent is None],
        line=line,
        line_y=_y(line) if line is not None else None,
        left=LINE_LEFT,
        top=LINE_TOP,
        bottom=LINE_TOP + LINE_HEIGHT,
        ticks=[(tick, _y(tick)) for tick in (0, 25, 50, 75, 100)],
        width=LINE_LEFT + LINE_STEP * max(len(points), 1) + 16,
        height=LINE_TOP + LINE_HEIGHT + 48,
    )
    return Markup(svg)


def _y(percent: float) -> float:
    return LINE_TOP + LINE_HEIGHT * (1 - percent / 100)
