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
