"""No page sends more SQL statements as the data grows (no N+1).

Each page is requested on the demo data grown a little (a few of everything it lists), then on the
same data grown by forty more of everything; the number of statements must not change. The page
cache is off in tests, so these are the statements a page sends when it is made.
"""
from __future__ import annotations

import pytest

from app.concentration import services as concentration

from .conftest import WORD, count_statements

PUBLIC = {
    "home": lambda g: "/",
    "register": lambda g: "/organisations",
    "register filtered": lambda g: "/organisations?q=bench",
    "organisation": lambda g: f"/organisations/{g.exemplar.ods_code}",
    "systems": lambda g: "/systems",
    "suppliers": lambda g: "/suppliers",
    "frameworks": lambda g: "/frameworks",
    "lot": lambda g: f"/frameworks/{g.lot.framework.slug}/lots/{g.lot.number}",
    "exemplars": lambda g: "/exemplars",
    "search": lambda g: f"/offers?q={WORD}",
    "search, every offer": lambda g: "/offers",
    "search, by price": lambda g: f"/offers?q={WORD}&sort=price",
    "offer": lambda g: f"/offers/{g.offer.id}",
    "offer history": lambda g: f"/offers/{g.offer.id}/versions",
    "concentration summary": lambda g: "/concentration/",
}

SIGNED_IN = {
    "dashboard": lambda g: "/dashboard",
    "competitions": lambda g: "/competitions/",
    "search, best fit": lambda g: f"/offers?q={WORD}&sort=fit",
    "register": lambda g: "/organisations",
    "offer": lambda g: f"/offers/{g.offer.id}",
}


def _counts(client, grower, path_of) -> tuple[int, int]:
    grower.grow(3)
    concentration.clear_cache()
    small = count_statements(client, path_of(grower))
    grower.grow(40)
    concentration.clear_cache()
    large = count_statements(client, path_of(grower))
    return small, large


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_a_public_page_sends_as_many_statements_on_larger_data(name, client, grower):
    small, large = _counts(client, grower, PUBLIC[name])
    assert large <= small, f"{name}: {small} statements on small data, {large} on larger data"


@pytest.mark.parametrize("name", sorted(SIGNED_IN))
def test_a_signed_in_page_sends_as_many_statements_on_larger_data(name, client, grower, login):
    login(grower.buyer_user)
    small, large = _counts(client, grower, SIGNED_IN[name])
    assert large <= small, f"{name} (signed in): {small} statements on small data, {large} on larger data"


def test_the_grown_offers_are_found_by_search(client, grower):
    grower.grow(3)
    page = client.get(f"/offers?q={WORD}").get_data(as_text=True)
    assert WORD in page
