"""Shares are written with one decimal and never rounded up past a line."""

import pytest

from review_app.core.numbers import percent_text


@pytest.mark.parametrize(
    ("hits", "applicable", "written"),
    [
        (57, 60, "95.0%"),  # a float a hair under 95: still 95.0
        (1899, 2000, "94.9%"),  # 94.95: below the 95% line, not "95.0%"
        (9999, 10000, "99.9%"),  # one disagreement in ten thousand is not 100%
        (10, 10, "100.0%"),
        (0, 7, "0.0%"),
        (1, 3, "33.3%"),
        (2, 3, "66.6%"),
    ],
)
def test_a_share_is_cut_at_the_tenth(hits, applicable, written):
    assert percent_text(100.0 * hits / applicable) == written
