"""Search that forgives, with the real register data (the seeded demo offers): former names and
other names of suppliers and systems, abbreviations, British and American spellings and typos
(issue 19). Runs on either backend (TEST_BACKEND=postgresql for PostgreSQL)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.offers.models import SearchTerm
from app.offers.search import search
from app.offers.search.query import SearchQuery
from app.offers.search import vocabulary
from app.registry.aliases import NameAlias


def found(q: str, **kw):
    return search(SearchQuery(q=q, **kw), per_page=100)


def titles(results) -> list[str]:
    return [h.version.title for h in results.hits]


def supplier_names(results) -> set[str]:
    return {s.supplier.name for h in results.hits for s in h.version.systems}


def test_every_alias_has_its_source(db_session):
    aliases = db_session.execute(select(NameAlias)).scalars().all()
    assert len(aliases) > 50
    assert all(a.source.strip() for a in aliases)
    cerner = next(a for a in aliases if a.term == "Cerner")
    assert cerner.means == "Oracle Health" and cerner.supplier.slug == "oracle-health"


def test_cerner_finds_the_oracle_health_offers_and_says_why(db_session):
    results = found("Cerner")
    assert results.total > 0
    assert supplier_names(results) == {"Oracle Health"}
    assert "Oracle Health Millennium optimisation (demo)" in titles(results)
    assert all("Oracle Health, formerly Cerner" in h.matched for h in results.hits)
    # Every published Oracle Health offer is found, as a search for the current name finds them.
    assert results.total == found("Oracle Health").total


def test_the_current_name_finds_an_offer_that_says_the_former_one(world):
    world.offer(title="Zebrafinch Cerner Millennium clinic build", lot=world.lot)
    results = search(SearchQuery(q="oracle health millennium zebrafinch", lot=(world.lot_key,)))
    assert titles(results) == ["Zebrafinch Cerner Millennium clinic build"]
    assert results.hits[0].matched == ["Cerner Millennium, the former name of Oracle Health Millennium"]


def test_allscripts_finds_altera(db_session):
    results = found("Allscripts")
    assert results.total > 0
    assert supplier_names(results) == {"Altera Digital Health"}
    assert any("Altera Sunrise" in t for t in titles(results))
    assert "Altera Digital Health, formerly Allscripts" in results.hits[0].matched


@pytest.mark.parametrize("former", ["iSoft", "CSC", "DXC"])
def test_lorenzos_former_owners_find_dedalus(db_session, former):
    results = found(former)
    assert results.total > 0
    assert supplier_names(results) == {"Dedalus"}
    assert any(f"Dedalus, formerly {former}" in h.matched for h in results.hits)


def test_optimization_finds_optimisation(db_session):
    us, uk = found("optimization"), found("optimisation")
    assert us.total == uk.total > 0
    assert "optimisation, the British spelling of optimization" in us.hits[0].matched
    assert "<mark>optimisation</mark>" in str(us.hits[0].title)


def test_avt_and_ambient_voice_find_the_ambient_voice_offers(world):
    # The demo publishes no ambient voice offer: two exemplars offer it here, in the catalogue's
    # own capability, one saying "AVT" and one the words in full.
    cat = world.category("ambient-voice")
    world.offer(title="Zebrafinch AVT pilot in outpatients", summary="Governance for an AVT pilot.", category=cat)
    world.offer(org=world.exemplar_b, title="Zebrafinch ambient voice technology rollout",
                summary="Clinical safety and evaluation.", category=cat)
    world.offer(title="Zebrafinch voice of the patient survey", summary="Not about ambient technology.")
    expected = {"Zebrafinch AVT pilot in outpatients", "Zebrafinch ambient voice technology rollout"}
    for q in ("AVT", "ambient voice technology", "ambient voice"):
        results = search(SearchQuery(q=q, lot=(world.lot_key,)))
        assert set(titles(results)) == expected, q
    avt = search(SearchQuery(q="avt", lot=(world.lot_key,)))
    reasons = {h.version.title: h.matched for h in avt.hits}
    assert reasons["Zebrafinch ambient voice technology rollout"] == ["ambient voice technology (AVT)"]
    assert reasons["Zebrafinch AVT pilot in outpatients"] == []  # found as typed: nothing to explain
    # An offer that says only "AVT" (outside the capability, whose name says it in full) is found
    # by the words in full, and says why.
    world.offer(title="Zebrafinch AVT governance training", summary="Training for AVT users.")
    full = search(SearchQuery(q="ambient voice technology", lot=(world.lot_key,)))
    assert {h.version.title: h.matched for h in full.hits}["Zebrafinch AVT governance training"] == [
        "AVT, short for ambient voice technology"]


def test_other_abbreviations_find_their_capabilities(db_session):
    assert {h.version.category.slug for h in found("FDP").hits} == {"federated-data-platform"}
    assert found("CDS").total == found("clinical decision support").total > 0


def test_a_misspelt_word_finds_offers_and_the_page_asks_did_you_mean(db_session):
    exact = found("electronic")
    typo = found("elctronic")
    assert exact.total > 0
    assert set(titles(typo)) == set(titles(exact))
    assert typo.did_you_mean == "electronic"
    assert exact.did_you_mean is None
    assert "electronic, the nearest word to elctronic" in typo.hits[0].matched


def test_typo_matches_rank_below_exact_ones(world):
    world.offer(title="Zebrafinch rostering", summary="Rostering for wards.")
    world.offer(title="Zebrafinch rosterin", summary="Typed in a hurry.")  # the offers' own misspelling
    # "rosterng" is one edit from both words the offers use: the hit with its nearest word comes
    # first; but a word an offer uses is never treated as a typo.
    results = search(SearchQuery(q="zebrafinch rostering", lot=(world.lot_key,)))
    assert titles(results) == ["Zebrafinch rostering"]
    results = search(SearchQuery(q="zebrafinch rosterng", lot=(world.lot_key,)))
    assert set(titles(results)) == {"Zebrafinch rostering", "Zebrafinch rosterin"}


def test_exact_matches_come_before_matches_through_a_correction(world):
    world.offer(title="Zebrafinch kestrel review")
    world.offer(title="Zebrafinch kestral review")
    # "kestrl" is not a word of the offers: both spellings are one edit away, so both are searched.
    typo = search(SearchQuery(q="zebrafinch kestrl", lot=(world.lot_key,)))
    assert set(titles(typo)) == {"Zebrafinch kestrel review", "Zebrafinch kestral review"}
    assert all(h.matched for h in typo.hits)


def test_the_vocabulary_follows_publication_and_withdrawal(world, db_session):
    from app.offers import services

    def count(term):
        return db_session.execute(select(SearchTerm.offers).where(SearchTerm.term == term)).scalar()

    offer = world.offer(title="Zebrafinch quokkaroo review", publish=False)
    assert count("quokkaroo") is None  # a draft's words are nobody's to see
    services.publish_offer(offer)
    assert count("quokkaroo") == 1
    services.update_offer(offer, world.content(title="Zebrafinch wallabyroo review"))
    assert count("quokkaroo") is None and count("wallabyroo") == 1
    services.withdraw_offer(offer)
    assert count("wallabyroo") is None


def test_the_vocabulary_rebuilt_matches_the_one_kept(db_session):
    kept = dict(db_session.execute(select(SearchTerm.term, SearchTerm.offers)).all())
    vocabulary.rebuild_vocabulary()
    rebuilt = dict(db_session.execute(select(SearchTerm.term, SearchTerm.offers)).all())
    assert rebuilt == kept
    assert vocabulary.nearest("elctronic") == ["electronic"]


@pytest.mark.parametrize("text", ['elctronic "', "cerner OR", 'AVT NEAR(x', "optimization*", "ælctronic ☃",
                                  "iSoft -DXC", "a" * 45, "qqqqqqqqq zzzzzzzzz xxxxxxxx"])
def test_hostile_input_with_names_and_typos_never_errors(db_session, text):
    results = found(text)
    assert results.total >= 0


def test_the_alias_file_names_each_alias_once_with_a_source():
    import csv
    from collections import Counter
    from pathlib import Path

    from app.registry.aliases import ALIAS_KINDS, name_key

    rows = list(csv.DictReader((Path(__file__).resolve().parents[2] / "seed" / "search_aliases.csv").open(encoding="utf-8")))
    keys = Counter((r["kind"], name_key(r["term"]), name_key(r["means"])) for r in rows)
    assert [k for k, n in keys.items() if n > 1] == []
    assert all(r["kind"] in ALIAS_KINDS and r["source"].strip() for r in rows)


def test_a_misspelt_former_name_finds_the_current_one(db_session):
    results = found("Allscrips")
    assert results.total == found("Allscripts").total > 0
    assert results.did_you_mean == "allscripts"
    assert "Altera Digital Health, formerly Allscripts" in results.hits[0].matched


def test_expansion_is_a_pure_function_of_the_words_names_and_vocabulary():
    from types import SimpleNamespace

    from app.offers.search.expand import TYPO, expand, spelling_variants

    def alias(kind, term, means):
        a = NameAlias(kind=kind, term=term, means=means, term_key=term.lower(), means_key=means.lower(), source="s")
        return SimpleNamespace(term_key=a.term_key, means_key=a.means_key, why=a.why)

    aliases = [alias("former_name", "Cerner Millennium", "Oracle Health Millennium"),
               alias("former_name", "Cerner", "Oracle Health")]
    e = expand(["cerner", "millennium", "optimization", "rostrng"], aliases, {"millennium", "optimization"},
               lambda w: ["rostering"] if w == "rostrng" else [])
    assert e.phrases == [["cerner millennium", "oracle health millennium"], ["optimization", "optimisation"],
                         ["rostrng", "rostering"]]
    assert e.exact_phrases == [["cerner millennium", "oracle health millennium"], ["optimization", "optimisation"],
                               ["rostrng"]]
    assert e.did_you_mean() == "cerner millennium optimization rostering"
    assert [a.kind for a in e.groups[2].alternatives] == ["typed", TYPO]
    assert spelling_variants("prioritise") == [("prioritize", "prioritize, the American spelling of prioritise")]
