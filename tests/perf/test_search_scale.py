"""Search at scale: the total, the ranking and the pages stay exact when the facet counts are
capped (search_facets.FACET_COUNT_LIMIT), and the whole result is one statement however many hits there are."""
from __future__ import annotations

import pytest

from app.offers.search import facets as search_facets
from app.offers.search.query import SearchQuery
from app.offers.search import search

from .conftest import WORD, count_statements


def _q(**args) -> SearchQuery:
    return SearchQuery.from_args({"q": WORD, **args})


def _page(results) -> list[int]:
    return [h.offer.id for h in results.hits]


@pytest.mark.parametrize("sort", ["relevance", "price", "lead_time"])
def test_capped_facet_counts_leave_the_total_ranking_and_pages_exact(grower, monkeypatch, sort):
    grower.grow(7)
    exact = {n: search(_q(sort=sort, page=str(n)), per_page=3) for n in (1, 2, 3)}
    assert exact[1].total == 7 and not exact[1].facets_partial
    assert sum(v.count for v in exact[1].facets["capacity"]) == 7

    monkeypatch.setattr(search_facets, "FACET_COUNT_LIMIT", 4)
    for n in (1, 2, 3):  # page 1 lies within the counted hits, pages 2 and 3 reach past them
        capped = search(_q(sort=sort, page=str(n)), per_page=3)
        assert capped.total == 7
        assert _page(capped) == _page(exact[n])
        assert [h.score for h in capped.hits] == [h.score for h in exact[n].hits]
    assert capped.facets_partial and capped.facets_counted == 4
    counted = {f.value: f.count for f in capped.facets["capacity"]}
    assert sum(counted.values()) == 4  # the first four in the page's order


def test_the_page_says_when_facet_counts_are_of_the_first_hits_only(client, grower, monkeypatch):
    grower.grow(5)
    assert "facet-counts-note" not in client.get(f"/offers?q={WORD}").get_data(as_text=True)
    monkeypatch.setattr(search_facets, "FACET_COUNT_LIMIT", 2)
    page = client.get(f"/offers?q={WORD}").get_data(as_text=True)
    assert "The counts are of the first 2 of the 5 offers found" in page


def test_the_search_page_sends_as_many_statements_whatever_the_number_of_hits(client, grower, monkeypatch):
    """The total, the facet counts and the page's ids are one statement (the hits computed once),
    capped or not."""
    grower.grow(3)
    small = count_statements(client, f"/offers?q={WORD}")
    grower.grow(30)
    monkeypatch.setattr(search_facets, "FACET_COUNT_LIMIT", 10)
    assert count_statements(client, f"/offers?q={WORD}") <= small
