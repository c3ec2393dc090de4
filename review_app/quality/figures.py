"""How every agreement figure is written, on pages and in downloads: one function.

Rounding must never hide a disagreement: 99.96% agreement with one disagreement
is not "100.0%", and an AC1 of 0.9996 is not "1.000". Only a figure where every
rating agreed reaches 100% or 1.
"""

from math import ceil, floor
from typing import Literal

Kind = Literal["percent", "coefficient", "low", "high"]
NOT_DEFINED = "not defined"


def agreement_figure(value: float | None, kind: Kind = "coefficient", whole: bool = False) -> str:
    """Write an agreement figure: a percent with one decimal, a coefficient with three.

    ``whole``: every rating agreed, so 100% and 1 are exact. Otherwise a figure that
    would round up to 100.0% or 1.000 is written 99.9% or 0.999, and a percent above
    zero that would round to 0.0% is written 0.1%. The bounds of an interval
    (``low``, ``high``) are rounded outwards, so the interval written holds the one
    computed. None (a figure not defined for these ratings) is written in words.
    """
    if value is None:
        return NOT_DEFINED
    if kind == "percent":
        text = f"{value:.1f}"
        if text == "100.0" and not whole:
            text = "99.9"
        elif text == "0.0" and value > 0:
            text = "0.1"
        return text + "%"
    if kind == "low":
        value = max(-1.0, floor(value * 1000 + 1e-9) / 1000)
    elif kind == "high":
        value = min(1.0, ceil(value * 1000 - 1e-9) / 1000)
    text = f"{value:.3f}"
    if kind == "coefficient" and not whole:
        if text == "1.000":
            text = "0.999"
        elif text == "-1.000" and value > -1:
            text = "-0.999"
    return "0.000" if text == "-0.000" else text
