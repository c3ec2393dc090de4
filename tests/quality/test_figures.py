"""Agreement figures are written so that rounding never hides a disagreement."""

import pytest

from review_app.quality.figures import agreement_figure


@pytest.mark.parametrize(
    ("value", "whole", "shown"),
    [
        (100 * 2499 / 2500, False, "99.9%"),  # 99.96%: one disagreement in 2,500
        (99.5, False, "99.5%"),
        (100.0, True, "100.0%"),
        (87.25, False, "87.2%"),
        (0.02, False, "0.1%"),
        (0.0, False, "0.0%"),
    ],
)
def test_a_percent_has_one_decimal_and_reaches_100_only_when_all_agree(value, whole, shown):
    assert agreement_figure(value, "percent", whole=whole) == shown


@pytest.mark.parametrize(
    ("value", "whole", "shown"),
    [
        (0.998, False, "0.998"),
        (0.9996, False, "0.999"),
        (1.0, True, "1.000"),
        (0.9999999999, True, "1.000"),
        (-0.9998, False, "-0.999"),
        (-0.0001, False, "0.000"),
        (0.4842, False, "0.484"),
    ],
)
def test_a_coefficient_has_three_decimals_and_is_1_only_when_all_agree(value, whole, shown):
    assert agreement_figure(value, whole=whole) == shown


def test_interval_bounds_are_rounded_outwards_and_stay_within_the_scale():
    assert agreement_figure(0.21366, "low") == "0.213"
    assert agreement_figure(0.75466, "high") == "0.755"
    assert agreement_figure(0.9996, "high") == "1.000"
    assert agreement_figure(-0.99995, "low") == "-1.000"
    assert agreement_figure(0.5, "low") == "0.500" and agreement_figure(0.5, "high") == "0.500"


def test_a_figure_that_is_not_defined_is_said_in_words():
    assert agreement_figure(None) == "not defined"
    assert agreement_figure(None, "percent") == "not defined"
