"""How shares are written for people: one rule for every page, report and message."""

from math import floor


def percent_text(value: float) -> str:
    """Write a share with one decimal, cut (not rounded) at the tenth: "94.9%".

    Shares are read against lines (95%, a plan's goal, a practice pass mark):
    94.96% written "95%" beside "Below the 95% line" would flatter, and 99.96% is
    not "100%". The tiny allowance keeps a float a hair under a true tenth (57 of
    60 is 94.99999...) on that tenth.
    """
    return f"{floor(value * 10 + 1e-9) / 10:.1f}%"
