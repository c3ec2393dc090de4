"""The ratings each item can take, read from the instrument file."""

import pytest

from review_app.instruments.catalog import get_instrument
from review_app.quality.report import item_categories, pooled_categories

S, A, NA = "strength", "ani", "not_applicable"


@pytest.fixture
def instrument(app):
    with app.app_context():
        yield get_instrument("cfsr-round4")


@pytest.mark.parametrize("item_id", ["3", "12", "14"])
def test_items_that_are_never_not_applicable_take_two_ratings(instrument, item_id):
    """Items 3, 12 and 14 have no applies_to, applies_when or na_when (12A always applies)."""
    item = instrument.items[item_id]
    assert item_categories(instrument, item, forced_na=False) == (S, A)
    assert item_categories(instrument, item, forced_na=True) == (S, A)


@pytest.mark.parametrize("item_id", ["1", "2", "5", "8", "12"])
def test_items_with_an_applicability_rule_take_three_ratings_except_12(instrument, item_id):
    expected = (S, A) if item_id == "12" else (S, A, NA)
    assert item_categories(instrument, instrument.items[item_id], forced_na=False) == expected


def test_an_item_limited_to_foster_care_is_not_applicable_only_on_other_cases(instrument):
    """Item 4 applies to foster care cases and always applies there."""
    item = instrument.items["4"]
    assert item_categories(instrument, item, forced_na=False) == (S, A)
    assert item_categories(instrument, item, forced_na=True) == (S, A, NA)


def test_a_pooled_table_counts_every_rating_some_item_can_take(instrument):
    assert set(pooled_categories([instrument], forced_na=False)) == {S, A, NA}
