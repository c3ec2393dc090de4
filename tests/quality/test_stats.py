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


def test_an_item_that_cannot_be_not_applicable_is_counted_over_two_categories():
    """Two categories give a lower AC1 than three on the same table.

    Gwet (2008) and irrCAC's ``gwet.ac1.table``: AC1 = (pa - pe) / (1 - pe) with
    pe = sum_k pi_k (1 - pi_k) / (q - 1), pi_k the mean of the two raters' shares
    of category k and q the number of categories. Here (20 ratings: 17 both
    Strength, 2 both ANI, 1 Strength then ANI) pa = .95, pi_S = (.90 + .85) / 2 =
    .875 and pi_A = .125. With q = 2: pe = 2 (.875)(.125) / 1 = .21875, AC1 =
    .73125 / .78125 = .936. With a Not Applicable nobody can choose (q = 3):
    pe = .21875 / 2 = .109375, AC1 = .840625 / .890625 = .9439: higher, flattering.
    Kappa (Cohen 1960; pe = sum_k r_k c_k) is the same either way: an empty
    category adds nothing to its chance term.
    """
    table = {(S, S): 17, (A, A): 2, (S, A): 1}
    two = agreement(table, (S, A))
    three = agreement(table, (S, A, NA))
    assert two.categories == (S, A) and three.categories == (S, A, NA)
    assert two.ac1 == pytest.approx(0.73125 / 0.78125)
    assert three.ac1 == pytest.approx(0.840625 / 0.890625)
    assert round(two.ac1, 3) == 0.936 and round(three.ac1, 3) == 0.944
    assert two.kappa == pytest.approx(three.kappa)


def test_a_rating_outside_the_item_categories_is_still_counted():
    """A QA override to Not Applicable on a two-category item adds the third category."""
    result = agreement({(S, S): 8, (S, NA): 1}, (S, A))
    assert result.categories == (S, A, NA) and result.cases == 9


def test_kappa_interval_matches_the_published_sas_example():
    """SAS PROC FREQ's simple kappa example, also statsmodels' ``cohens_kappa`` test.

    Table [[0, 4, 1], [0, 8, 0], [0, 1, 5]]: kappa 0.4842, ASE 0.1380, 95%
    limits 0.2137 and 0.7547 (Fleiss, Cohen and Everitt 1969 variance; normal
    quantile 1.96).
    """
    a, b, c = "a", "b", "c"
    table = {(a, b): 4, (a, c): 1, (b, b): 8, (c, b): 1, (c, c): 5}
    result = agreement(table, (a, b, c))
    assert result.kappa == pytest.approx(0.4842, abs=5e-5)
    assert result.kappa_ci == pytest.approx((0.2137, 0.7547), abs=5e-5)


def test_ac1_interval_matches_irrcac():
    """irrCAC's ``cont3x3abstractors`` table: AC1 0.84933, interval 0.76358 to 0.93508.

    irrCAC draws its interval with Student's t on n - 1 = 99 degrees of freedom
    (quantile 1.98422), so its standard error is (0.93508 - 0.84933) / 1.98422
    = 0.04322; ours uses the normal quantile 1.95996 with the same standard error.
    """
    e, a, n = "ectopic", "aiu", "niu"
    table = {(e, e): 13, (a, a): 20, (a, n): 7, (n, a): 4, (n, n): 56}
    result = agreement(table, (e, a, n))
    assert result.ac1 == pytest.approx(0.84933, abs=5e-6)
    low, high = result.ac1_ci
    assert (high - low) / 2 / 1.959964 == pytest.approx(0.04322, abs=2e-5)
    assert (low + high) / 2 == pytest.approx(result.ac1)


def test_every_rating_agreeing_gives_no_interval_rather_than_a_zero_width_one():
    result = agreement({(S, S): 9, (A, A): 3}, (S, A))
    assert result.all_agree and result.kappa == pytest.approx(1.0)
    assert result.kappa_ci is None and result.ac1_ci is None


def test_an_interval_stays_within_minus_one_and_one():
    result = agreement({(S, S): 3, (A, A): 1, (S, A): 1}, (S, A))
    for low, high in (result.kappa_ci, result.ac1_ci):
        assert -1 <= low < high <= 1
