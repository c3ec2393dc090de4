"""Agreement figures checked against values worked out by hand."""

import pytest

from review_app.quality.stats import agreement

S, A, NA = "strength", "ani", "not_applicable"


def test_known_table_gives_known_figures():
    # po = .9; kappa chance = .9*.8 + .1*.2 = .74; AC1 chance = (.85*.15 + .15*.85 + 0) / 2
    result = agreement({(S, S): 8, (A, A): 1, (S, A): 1})
    assert result.cases == 10 and result.agreed == 9
    assert result.percent == pytest.approx(90.0)
    assert result.kappa == pytest.approx((0.9 - 0.74) / 0.26)
    assert result.ac1 == pytest.approx((0.9 - 0.1275) / 0.8725)


def test_every_rating_the_same_leaves_kappa_undefined_but_not_ac1():
    result = agreement({(S, S): 12})
    assert result.percent == 100 and result.kappa is None and result.ac1 == pytest.approx(1.0)


def test_no_ratings_gives_no_figures():
    assert agreement({}).percent is None and agreement({}).kappa is None


def test_complete_disagreement_is_below_chance():
    result = agreement({(S, A): 5, (A, S): 5})
    assert result.percent == 0 and result.kappa == pytest.approx(-1.0) and result.ac1 < 0


def test_not_applicable_against_a_rating_is_a_disagreement():
    result = agreement({(NA, NA): 3, (NA, S): 1})
    assert result.agreed == 3 and result.percent == pytest.approx(75.0)
