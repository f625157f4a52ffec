"""Search over published offers, on whichever backend the run uses (SQLite FTS5 by default,
PostgreSQL full-text search with TEST_BACKEND=postgresql): the same results contract on both."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.offers.search import engine as search_module
from app.offers import services
from app.offers.search.query import SearchQuery
from app.offers.search import SearchResults, search
from app.registry import services as registry


def q(world, **kw) -> SearchQuery:
    """A search limited to the test world's lot (the demo offers stay out of the way)."""
    kw.setdefault("lot", (world.lot_key,))
    return SearchQuery(**kw)


def titles(results: SearchResults) -> list[str]:
    return [h.version.title for h in results.hits]


def test_the_backend_matches_the_database(db_session):
    backend = search_module.backend_for(db_session.get_bind().dialect.name)
    assert backend.name == db_session.get_bind().dialect.name


def test_free_text_finds_published_offers_best_match_first(world):
    world.offer(title="Okapi workflow review", summary="Zebrafinch appears only in the summary.")
    world.offer(title="Zebrafinch optimisation", summary="Zebrafinch in title and summary.")
    world.offer(title="Unrelated", summary="Nothing to see.")
    results = search(q(world, q="zebrafinch"))
    assert results.total == 2
    assert titles(results) == ["Zebrafinch optimisation", "Okapi workflow review"]


def test_every_word_must_match(world):
    world.offer(title="Zebrafinch cyber review")
    world.offer(title="Zebrafinch training")
    assert titles(search(q(world, q="zebrafinch cyber"))) == ["Zebrafinch cyber review"]


def test_words_are_stemmed_so_plurals_match(world):
    world.offer(title="Deployment support", summary="One deployment at a time.")
    assert search(q(world, q="deployments")).total == 1


def test_system_supplier_and_exemplar_names_are_searchable(world):
    world.offer(title="Optimisation", systems=[world.system])
    assert search(q(world, q="Zebra Systems")).total == 1
    assert search(q(world, q="Zebra EPR")).total == 1


def test_matches_are_highlighted_and_the_rest_escaped(world):
    world.offer(title="<b>Zebrafinch</b> & co", summary="The zebrafinch team")
    hit = search(q(world, q="zebrafinch")).hits[0]
    assert str(hit.title) == "&lt;b&gt;<mark>Zebrafinch</mark>&lt;/b&gt; &amp; co"
    assert "<mark>zebrafinch</mark>" in str(hit.summary)


def test_drafts_and_withdrawn_offers_are_not_found(world):
    world.offer(title="Zebrafinch draft", publish=False)
    withdrawn = world.offer(title="Zebrafinch withdrawn")
    services.withdraw_offer(withdrawn)
    assert search(q(world, q="zebrafinch")).total == 0


@pytest.mark.parametrize("decision", ["suspend_exemplar", "remove_exemplar"])
def test_suspension_or_removal_hides_offers_from_search_at_once(world, decision):
    world.offer(title="Zebrafinch A")
    world.offer(org=world.exemplar_b, title="Zebrafinch B")
    membership = registry.find_membership(world.lot, world.exemplar_a)
    getattr(registry, decision)(membership, reason="Review")
    assert titles(search(q(world, q="zebrafinch"))) == ["Zebrafinch B"]


def test_an_edit_is_searchable_at_once_and_the_old_words_are_gone(world):
    offer = world.offer(title="Zebrafinch original")
    services.update_offer(offer, world.content(title="Okapi renamed"))
    assert search(q(world, q="original")).total == 0
    assert titles(search(q(world, q="okapi"))) == ["Okapi renamed"]


def test_facets_count_the_hits(world):
    world.offer(title="A", pricing_model="day_rate", price_pence=40_000, systems=[world.system])
    world.offer(title="B", pricing_model="day_rate", price_pence=120_000, capacity_committed=3)
    world.offer(org=world.exemplar_b, title="C", pricing_model="fixed_price", price_pence=3_000_000,
                regions=[world.other_region])
    results = search(q(world))
    assert results.total == 3
    facets = {k: {v.value: v.count for v in vals} for k, vals in results.facets.items()}
    assert facets["pricing"] == {"day_rate": 2, "fixed_price": 1}
    assert facets["band"] == {"day_rate-0": 1, "day_rate-2": 1, "fixed_price-1": 1}
    assert facets["capacity"] == {"available": 2, "full": 1}
    assert facets["system"] == {world.system.slug: 1}
    assert facets["supplier"] == {world.system.supplier.slug: 1}
    assert facets["lot"] == {world.lot_key: 3}
    assert facets["region"] == {world.region.ods_code: 2, world.other_region.ods_code: 1}
    assert facets["capability"] == {"change-management-training": 3}
    labels = {v.value: v.label for v in results.facets["band"]}
    assert labels["day_rate-0"] == "Day rate: under £500 a day"


def test_standards_declared_by_the_system_are_a_facet(world, make):
    from app.registry.models import SystemStandard

    world.system.standard_rows.append(SystemStandard(standard="FHIR_UK_CORE"))
    make.session.flush()
    world.offer(title="With system", systems=[world.system])
    world.offer(title="Without system")
    results = search(q(world, standard=("FHIR_UK_CORE",)))
    assert titles(results) == ["With system"]
    assert {v.value: v.count for v in results.facets["standard"]} == {"FHIR_UK_CORE": 1}


FILTER_CASES = [
    ({"pricing": ("fixed_price",)}, ["C"]),
    ({"band": ("day_rate-0",)}, ["A"]),
    ({"band": ("day_rate-0", "fixed_price-1")}, ["A", "C"]),
    ({"capacity": ("available",)}, ["A", "C"]),
    ({"capacity": ("full",)}, ["B"]),
    ({"region": ("__OTHER__",)}, ["C"]),
    ({"system": ("__SYSTEM__",)}, ["A"]),
    ({"supplier": ("__SUPPLIER__",)}, ["A"]),
    ({"capability": ("cyber-security",)}, ["B"]),
    ({"capability": ("no-such",)}, []),
    ({"band": ("nonsense",)}, []),
    ({"lot": ("nonsense",)}, []),
]


def test_filters_narrow_the_hits(world):
    world.offer(title="A", pricing_model="day_rate", price_pence=40_000, systems=[world.system])
    world.offer(title="B", price_pence=120_000, capacity_committed=3, category=world.category("cyber-security"))
    world.offer(org=world.exemplar_b, title="C", pricing_model="fixed_price", price_pence=3_000_000,
                regions=[world.other_region])
    swap = {"__OTHER__": world.other_region.ods_code, "__SYSTEM__": world.system.slug,
            "__SUPPLIER__": world.system.supplier.slug}
    for filters, expected in FILTER_CASES:
        filters = {k: tuple(swap.get(v, v) for v in vals) for k, vals in filters.items()}
        query = q(world, **filters) if "lot" not in filters else SearchQuery(**filters)
        assert sorted(titles(search(query))) == expected, filters


def test_a_chosen_value_with_no_hits_stays_on_screen_to_untick(world):
    world.offer(title="A")
    results = search(q(world, pricing=("per_bed",)))
    assert [(v.value, v.count, v.chosen) for v in results.facets["pricing"]] == [("per_bed", 0, True)]


def test_sort_by_price_and_by_lead_time(world):
    world.offer(title="Dear", price_pence=150_000, lead_time_weeks=1)
    world.offer(title="Cheap", price_pence=50_000, lead_time_weeks=8)
    world.offer(title="Middle", price_pence=90_000, lead_time_weeks=4)
    assert titles(search(q(world, sort="price"))) == ["Cheap", "Middle", "Dear"]
    assert titles(search(q(world, sort="lead_time"))) == ["Dear", "Middle", "Cheap"]


def test_best_fit_puts_the_followers_system_region_and_capacity_first(world):
    world.offer(org=world.exemplar_b, title="Other region, no system", regions=[world.other_region])
    world.offer(title="Same system and region", systems=[world.system])
    world.offer(title="Other region, full", capacity_committed=3, regions=[world.other_region])
    results = search(q(world, sort="fit"), follower_org=world.follower)
    assert titles(results) == ["Same system and region", "Other region, no system", "Other region, full"]
    best = results.hits[0].fit
    assert best.same_system and best.serves_region and best.capacity_free and best.score >= 80


def test_best_fit_counts_the_exemplars_track_record(world, make):
    from datetime import date

    from app.registry.models import Partnership, PartnershipMilestone

    world.offer(title="New exemplar")
    world.offer(org=world.exemplar_b, title="Proven exemplar", regions=[world.region])
    p = Partnership(follower_id=world.other_follower.id, exemplar_id=world.exemplar_b.id, origin="call_off")
    p.milestones.append(PartnershipMilestone(kind="go_live", name="Go-live", planned_on=date(2025, 1, 1),
                                             actual_on=date(2024, 12, 1)))
    make.session.add(p)
    make.session.flush()
    results = search(q(world, sort="fit"), follower_org=world.follower)
    assert titles(results)[0] == "Proven exemplar"
    assert results.hits[0].track.followers_served == 1


def test_results_are_paginated(world):
    for i in range(5):
        world.offer(title=f"Zebrafinch {i}", price_pence=10_000 * (i + 1))
    page2 = search(q(world, sort="price", page=2), per_page=2)
    assert page2.total == 5 and page2.pages == 3
    assert titles(page2) == ["Zebrafinch 2", "Zebrafinch 3"]
    assert page2.has_prev and page2.has_next


def test_everything_returns_every_hit_for_an_export(world):
    for i in range(3):
        world.offer(title=f"Zebrafinch {i}")
    assert len(search(q(world), per_page=1, everything=True).hits) == 3


def _count_queries(fn) -> int:
    statements = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(Engine, "before_cursor_execute", before)
    try:
        fn()
    finally:
        event.remove(Engine, "before_cursor_execute", before)
    return len([s for s in statements if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))])


def test_the_number_of_queries_does_not_grow_with_the_data(world, db_session):
    def run():
        db_session.expire_all()
        search(q(world, q="zebrafinch", sort="fit"), follower_org=world.follower, per_page=50)

    for i in range(2):
        world.offer(title=f"Zebrafinch {i}", systems=[world.system])
    few = _count_queries(run)
    for i in range(12):
        world.offer(org=world.exemplar_b if i % 2 else world.exemplar_a, title=f"Zebrafinch more {i}",
                    regions=[world.region, world.other_region])
    many = _count_queries(run)
    assert few == many
    # 14, and two for the words: the register's other names, and which words the offers use.
    assert many <= 16


HOSTILE = [
    '"', '""', "'", "(", ")", "((", "AND", "OR", "NOT", "a AND b OR NOT c", "NEAR(a b, 2)", "*", "-", "--",
    "title:zebrafinch", "zebra*", "-zebrafinch", "^zebrafinch", "🦓🐦", "😀 zebrafinch 😀", "\x00", "\\", "%", "_",
    "'; DROP TABLE offers; --", "1 OR 1=1", "\" OR \"\"=\"", "SELECT * FROM users", "<script>alert(1)</script>",
    "a" * 5000, "zebrafinch " * 600, "ÅÄÖ café naïve", "日本語", "{}[]|&!:~", "   ", "",
]


def test_hostile_input_gives_results_or_none_never_an_error(world):
    world.offer(title="Zebrafinch support")
    for text in HOSTILE:
        for sort in ("relevance", "fit"):
            results = search(q(world, q=text, sort=sort), follower_org=world.follower)
            assert results.total >= 0
            assert all(h.offer.status == "published" for h in results.hits)
    # Operators and quotes are words, not syntax: the offer is still found through them.
    assert search(q(world, q='"zebrafinch" AND (support OR nothing*)')).total == 0
    assert search(q(world, q='zebrafinch" AND (support*')).total == 1


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300))
def test_any_text_is_a_safe_search(world, text):
    results = search(q(world, q=text), follower_org=world.follower)
    assert isinstance(results.total, int)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "NEAR", "*", "-", "zebrafinch",
                                       "support", "🦓", ":", "^", "'", "\\"]), max_size=12))
def test_any_mix_of_query_syntax_is_a_safe_search(world, words):
    results = search(q(world, q=" ".join(words)))
    assert results.total >= 0


def test_the_index_can_be_rebuilt(world, db_session):
    world.offer(title="Zebrafinch rebuilt")
    search_module.rebuild_index()
    assert titles(search(q(world, q="zebrafinch"))) == ["Zebrafinch rebuilt"]


def test_sqlite_utils_recognises_the_fts_index(db_session):
    if db_session.get_bind().dialect.name != "sqlite":
        pytest.skip("the FTS5 table exists on SQLite only")
    import sqlite_utils

    raw = db_session.connection().connection.dbapi_connection
    database = sqlite_utils.Database(raw, recursive_triggers=False)
    table = database.table("offer_versions")
    assert table.detect_fts() == "offer_versions_fts"
    assert {t.name for t in table.triggers} >= {"offer_versions_ai", "offer_versions_ad", "offer_versions_au"}

