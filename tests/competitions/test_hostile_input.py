"""Hostile input never answers 500: odd prices, marks and text are refused with a message."""
from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from app.competitions.evaluation.forms import parse_mark
from app.competitions.forms import pounds_to_pence

ODD = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(deadline=None, max_examples=50)
@given(ODD)
def test_pounds_parsing_gives_pence_or_a_value_error(text):
    try:
        pence = pounds_to_pence(text)
    except ValueError:
        return
    assert pence is None or (isinstance(pence, int) and pence >= 0)


@settings(deadline=None, max_examples=50)
@given(ODD)
def test_marks_parse_to_a_number_none_or_out_of_scale(text):
    mark = parse_mark(text)
    assert mark is None or isinstance(mark, int)


def test_the_bid_and_scoring_forms_never_fail_on_odd_input(world, client, login, db_session):
    comp = world.published()
    db_session.commit()
    login(world.exemplars[0][1])

    @settings(deadline=None, max_examples=10)
    @given(price=ODD, answer=ODD)
    def bid(price, answer):
        page = client.get(f"/competitions/{comp.id}/bid").text
        key = re.search(r'name="idempotency_key"[^>]*value="([0-9a-f]+)"', page).group(1)
        r = client.post(f"/competitions/{comp.id}/bid", data={"price": price, "idempotency_key": key,
                                                              **{f"answer_{c.id}": answer for c in comp.criteria}})
        assert r.status_code < 500  # 400 for a NUL byte (refused up front), else 200 or 302

    bid()
    world.bid(comp, 1)
    world.after_deadline(comp)
    from app.competitions.evaluation import services as evaluation

    world.start_evaluation(comp)
    db_session.commit()
    login(world.evaluators[0])
    target = evaluation.valid_bids(comp)[0]

    @settings(deadline=None, max_examples=10)
    @given(mark=ODD, comment=ODD)
    def score(mark, comment):
        r = client.post(f"/competitions/{comp.id}/evaluate", data={
            "step": "save", f"mark_{target.id}_{comp.criteria[0].id}": mark,
            f"comment_{target.id}_{comp.criteria[0].id}": comment})
        assert r.status_code < 500  # 400 for a NUL byte (refused up front), else 200 or 302

    score()
