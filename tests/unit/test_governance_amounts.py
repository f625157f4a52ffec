"""Pounds typed by people, as pence (pure)."""
import pytest
from hypothesis import given, settings, strategies as st

from app.governance.amounts import MAX_PENCE, AmountError, parse_pounds, pounds_text, split_evenly


@pytest.mark.parametrize("text, pence", [
    ("1250000", 125_000_000), ("£1,250,000", 125_000_000), ("99.5", 9950), ("£0.01", 1), ("0", 0),
    (" 10 000 ", 1_000_000), ("", None), (None, None),
])
def test_amounts_in_pounds_become_pence(text, pence):
    assert parse_pounds(text) == pence


@pytest.mark.parametrize("text", ["-5", "12.345", "1e6", "ten", "£", "1.2.3", "NaN", "inf", "0x10", "١٢٣"])
def test_what_is_not_an_amount_in_pounds_is_refused_with_a_message(text):
    with pytest.raises(AmountError) as e:
        parse_pounds(text, label="Central amount")
    assert "Central amount" in str(e.value)


def test_an_absurdly_large_amount_is_refused():
    with pytest.raises(AmountError):
        parse_pounds("99999999999999")


def test_pence_show_back_as_plain_pounds():
    assert pounds_text(125_000_000) == "1250000"
    assert pounds_text(9950) == "99.50"
    assert pounds_text(None) == ""


@settings(deadline=None, max_examples=50)
@given(st.integers(min_value=0, max_value=MAX_PENCE))
def test_pence_round_trip_through_the_form(pence):
    assert parse_pounds(pounds_text(pence)) == pence


@settings(deadline=None, max_examples=50)
@given(st.text(max_size=30))
def test_hostile_input_either_parses_or_is_refused_cleanly(text):
    try:
        result = parse_pounds(text)
    except AmountError:
        return
    assert result is None or 0 <= result <= MAX_PENCE


@settings(deadline=None, max_examples=50)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=1, max_value=4))
def test_an_even_split_adds_up_exactly(total, parts):
    split = split_evenly(total, parts)
    assert sum(split) == total and len(split) == parts and max(split) - min(split) <= 1
