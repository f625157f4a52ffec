"""The offers domain's pure rules: lifecycle, version differences, price bands, fit, money typed in."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.errors import IllegalTransition
from app.offers.rules import (
    PRICE_BANDS,
    check_offer_transition,
    diff_versions,
    edit_makes_new_version,
    fit,
    pence_to_pounds_text,
    pounds_to_pence,
    price_band,
    price_band_bounds,
    price_band_label,
    track_record_points,
)


@pytest.mark.parametrize("current,target", [("draft", "published"), ("published", "withdrawn"),
                                            ("withdrawn", "published")])
def test_the_lifecycle_allows_publish_withdraw_and_republish(current, target):
    check_offer_transition(current, target)


@pytest.mark.parametrize("current,target", [("draft", "withdrawn"), ("published", "published"),
                                            ("withdrawn", "withdrawn"), ("published", "draft"), ("gone", "published")])
def test_other_status_changes_are_refused_with_a_clear_message(current, target):
    with pytest.raises(IllegalTransition, match="You cannot"):
        check_offer_transition(current, target)


def test_only_an_offer_that_has_been_public_gets_new_versions():
    assert edit_makes_new_version(True) and not edit_makes_new_version(False)


def test_the_first_version_has_no_changes():
    assert diff_versions(None, {"title": "A"}) == []


def test_changed_fields_are_listed_in_screen_order_with_labels():
    before = {"title": "A", "price_pence": 100, "systems": ["X", "Y"], "regions": ["North"]}
    after = {"title": "B", "price_pence": 100, "systems": ["Y", "X"], "regions": ["North", "South"]}
    changes = diff_versions(before, after)
    assert [(c.field, c.label) for c in changes] == [("title", "Title"), ("regions", "Regions served")]
    assert changes[0].before == "A" and changes[0].after == "B"


@pytest.mark.parametrize("model,pence,key", [
    ("day_rate", 0, "day_rate-0"), ("day_rate", 49_999, "day_rate-0"), ("day_rate", 50_000, "day_rate-1"),
    ("day_rate", 100_000, "day_rate-2"), ("fixed_price", 25_000_000, "fixed_price-3"), ("per_bed", 19_999, "per_bed-1"),
])
def test_prices_fall_into_bands_of_their_own_pricing_model(model, pence, key):
    assert price_band(model, pence) == key


@settings(max_examples=50, deadline=None)
@given(model=st.sampled_from(sorted(PRICE_BANDS)), pence=st.integers(0, 10**11))
def test_a_price_lies_within_the_bounds_of_its_band(model, pence):
    m, lower, upper = price_band_bounds(price_band(model, pence))
    assert m == model and lower <= pence and (upper is None or pence < upper)


@pytest.mark.parametrize("key", ["", "day_rate", "day_rate-9", "hourly-0", "day_rate-x", "-1"])
def test_unknown_band_keys_name_no_band(key):
    assert price_band_bounds(key) is None
    assert price_band_label(key) == key


def test_band_labels_say_the_model_and_the_range():
    assert price_band_label("fixed_price-1") == "Fixed price: £10,000 to £49,999"


def test_track_record_points_reward_followers_and_punctual_go_lives_up_to_twenty():
    assert track_record_points(0, 0, 0) == 0
    assert track_record_points(1, 2, 1) == 8
    assert track_record_points(10, 10, 10) == 20


def test_fit_says_why_an_offer_fits():
    reasons = fit([1, 2], {2, 9}, capacity_free=1, offer_region_ids=[5], follower_region_id=5, track_points=7)
    assert reasons.same_system and reasons.capacity_free and reasons.serves_region
    assert reasons.score == 40 + 20 + 20 + 7
    none = fit([], set(), capacity_free=0, offer_region_ids=[], follower_region_id=None, track_points=0)
    assert none.score == 0


@pytest.mark.parametrize("text,pence", [("950", 95_000), ("£1,250.5", 125_050), ("12,500.00", 1_250_000),
                                        (" £0 ", 0), ("0.01", 1)])
def test_pounds_typed_in_become_pence(text, pence):
    assert pounds_to_pence(text) == pence


@pytest.mark.parametrize("text", ["", "-5", "1.234", "ten", "1,23", "£", "1e5", "100000001", None])
def test_anything_else_is_not_an_amount(text):
    assert pounds_to_pence(text) is None


@settings(max_examples=50, deadline=None)
@given(pence=st.integers(0, 10_000_000_000))
def test_pence_survive_the_round_trip_through_a_form(pence):
    assert pounds_to_pence(pence_to_pounds_text(pence)) == pence


def test_a_day_rate_a_fixed_price_and_a_price_per_bed_compare_for_one_follower():
    from app.offers.rules import comparable_cost, cost_working

    assert comparable_cost("day_rate", 95_000, beds=450, days=60) == 5_700_000
    assert comparable_cost("per_bed", 12_000, beds=450, days=60) == 5_400_000
    assert comparable_cost("fixed_price", 6_000_000, beds=None, days=None) == 6_000_000
    assert comparable_cost("day_rate", 95_000, beds=450, days=None) is None
    assert cost_working("day_rate", beds=None, days=1) == "× 1 day"
    assert cost_working("per_bed", beds=None, days=None) == "enter your beds"


def test_a_change_in_hhi_is_said_with_its_direction_and_one_rounding():
    from app.offers.rules import concentration_change

    assert concentration_change(35.4) == "rises by 35: more concentrated"
    assert concentration_change(-1211.6) == "falls by 1,212: less concentrated"
    assert concentration_change(0.3) == "no change"
