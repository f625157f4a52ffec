"""A search as a value: from the URL and back, safely."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.offers.search.query import MAX_PAGE, MAX_VALUES, SearchQuery


class Args(dict):
    """Like request.args: get and getlist over lists of values."""

    def get(self, key, default=None):
        values = super().get(key)
        return values[0] if values else default

    def getlist(self, key):
        return list(super().get(key, []))


def test_a_query_string_round_trips():
    qs = "q=epic+optimisation&capability=epr-optimisation&region=Y62&region=Y56&sort=price&page=3"
    query = SearchQuery.from_query_string(qs)
    assert query.q == "epic optimisation" and query.region == ("Y56", "Y62") and query.page == 3
    assert SearchQuery.from_query_string(query.query_string()) == query


def test_odd_values_are_dropped_or_defaulted():
    query = SearchQuery.from_args(Args(q=["  spaced   out  "], sort=["drop table"], page=["-4"],
                                       region=["<b>", "Y62", "Y62", "x" * 100], band=[""]))
    assert query.q == "spaced out" and query.sort == "relevance" and query.page == 1
    assert query.region == ("Y62",) and query.band == ()


def test_toggling_a_facet_value_adds_or_removes_it_and_goes_back_to_page_one():
    query = SearchQuery(region=("Y62",), page=4)
    added = query.toggle("region", "Y56")
    assert added.region == ("Y56", "Y62") and added.page == 1
    assert added.toggle("region", "Y62").region == ("Y56",)


def test_the_saved_form_leaves_out_the_page():
    assert SearchQuery(q="x", page=5).query_string(page=False) == "q=x"


@settings(max_examples=50, deadline=None)
@given(st.dictionaries(st.sampled_from(["q", "sort", "page", "region", "band", "system", "lot", "junk"]),
                       st.lists(st.text(max_size=80), max_size=30), max_size=8))
def test_any_arguments_give_a_bounded_query(raw):
    query = SearchQuery.from_args(Args(raw))
    assert 1 <= query.page <= MAX_PAGE
    assert len(query.q) <= 500
    for key in ("region", "band", "system", "lot"):
        assert len(getattr(query, key)) <= MAX_VALUES
    assert SearchQuery.from_query_string(query.query_string()) == query
