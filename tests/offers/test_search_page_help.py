"""The search page that helps (issue 19): why each hit matched, "Did you mean …?", and an empty
result that says what is in force, offers to remove each word and filter, suggests the offers'
nearest words, and never shows an empty filter panel."""
from __future__ import annotations

import html as htmllib
import re

from app.offers.search.query import SearchQuery


def page(client, **args) -> str:
    r = client.get("/offers", query_string=args)
    assert r.status_code == 200
    return htmllib.unescape(r.get_data(as_text=True))


def test_a_hit_found_by_a_former_name_says_why(client, db_session):
    html = page(client, q="Cerner")
    assert "Matched Oracle Health, formerly Cerner." in html
    assert "<mark>Oracle</mark> <mark>Health</mark> Millennium optimisation" in html


def test_a_misspelling_finds_offers_and_asks_did_you_mean(client, db_session):
    html = page(client, q="elctronic prescribing")
    assert re.search(r'Did you mean <a class="nhsuk-link" href="/offers\?q=electronic\+prescribing">'
                     r"electronic prescribing</a>\?", html)
    assert "Closed-loop medicines administration (demo)" in html
    assert "Matched electronic, the nearest word to elctronic." in html


def test_no_did_you_mean_when_every_word_is_the_offers_own(client, db_session):
    assert "Did you mean" not in page(client, q="electronic prescribing")


def test_the_empty_result_says_what_is_in_force_and_offers_a_way_out(client, world):
    world.offer(title="Zebrafinch cyber review")
    html = page(client, q="zebrafinch qqqqzzzzwwww", lot=world.lot_key, pricing="fixed_price")
    assert "No results" in html
    assert "No published offers match the words ‘zebrafinch qqqqzzzzwwww’ with 2 filters." in html
    # Each word can be dropped, each filter removed, and the filters kept without the words.
    assert f'href="/offers?q=qqqqzzzzwwww&lot={world.lot_key}&pricing=fixed_price">Search without the word ‘zebrafinch’' in html
    assert f'href="/offers?q=zebrafinch&lot={world.lot_key}&pricing=fixed_price">Search without the word ‘qqqqzzzzwwww’' in html
    assert "Remove filter<span class=\"nhsuk-u-visually-hidden\">:</span> pricing model – Fixed price" in html
    assert f'href="/offers?lot={world.lot_key}&pricing=fixed_price">Keep the filters, search with no words' in html
    assert "See every published offer" in html


def test_the_empty_result_suggests_the_offers_nearest_words(client, world):
    world.offer(title="Zebrafinch kestrel review")
    html = page(client, q="zebrafinch kestrel", lot=world.lot_key, pricing="fixed_price")
    assert "No results" in html  # the one offer is a day rate
    html = page(client, q="zebrafinch kestrl", lot=world.lot_key, pricing="fixed_price")
    assert "No offer uses ‘kestrl’. The nearest words the offers use:" in html
    assert f'href="/offers?q=zebrafinch+kestrel&lot={world.lot_key}&pricing=fixed_price">Search for ‘kestrel’' in html


def test_no_empty_filter_panel_with_a_lone_apply_button(client, world):
    html = page(client, q="qqqqzzzzwwww")
    assert "Apply filters" not in html and ">Filter</h2>" not in html
    assert "nhsuk-grid-column-full" in html
    # With a filter chosen, the panel stays so that it can be unticked.
    html = page(client, q="qqqqzzzzwwww", lot=world.lot_key)
    assert "Apply filters" in html and f'value="{world.lot_key}" checked' in html


def test_without_words_keeps_the_filters():
    q = SearchQuery(q="epic", lot=("gde-1",), sort="price", page=3)
    assert q.without_words() == SearchQuery(lot=("gde-1",), sort="price")
