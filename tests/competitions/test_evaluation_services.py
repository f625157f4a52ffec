"""Evaluation: conflicts first, independent scores with comments, moderation, the result table."""
import pytest

from app.competitions.conflicts import services as conflicts
from app.competitions.evaluation import services as evaluation
from app.competitions.evaluation.services import Mark
from app.errors import DomainError, IllegalTransition, NotAllowed


def closed_with_bids(world, prices=(5_000_000, 4_000_000)):
    comp = world.published()
    bids = [world.bid(comp, i, p) for i, p in enumerate(prices)]
    world.after_deadline(comp)
    return comp, bids


def all_marks(comp, bids, mark=3):
    return {(b.id, c.id): Mark(mark, "Because") for b in bids for c in comp.criteria}


def test_evaluation_cannot_start_before_the_deadline(world):
    comp = world.published()
    world.bid(comp, 0)
    with pytest.raises(IllegalTransition, match="start the evaluation"):
        evaluation.start_evaluation(comp, actor=world.buyer)


def test_evaluation_needs_at_least_one_valid_bid(world):
    comp = world.published()
    world.after_deadline(comp)
    world.assess_conflicts(comp)
    with pytest.raises(DomainError, match="No valid bids"):
        evaluation.start_evaluation(comp, actor=world.buyer)


def test_the_evaluation_waits_for_a_complete_conflicts_assessment(world):
    comp, bids = closed_with_bids(world)
    with pytest.raises(DomainError, match="conflicts assessment.*not declared"):
        evaluation.start_evaluation(comp, actor=world.buyer)
    for ev in world.evaluators:
        evaluation.declare_conflict(comp, actor=ev, has_conflict=False)  # before the evaluation
    conflicts.declare(comp, world.buyer, has_interest=False, actor=world.buyer)
    with pytest.raises(DomainError, match="Confirm the conflicts assessment"):
        evaluation.start_evaluation(comp, actor=world.buyer)
    conflicts.confirm(comp, actor=world.buyer)
    evaluation.start_evaluation(comp, actor=world.buyer)
    assert evaluation.save_scores(comp, actor=world.evaluators[0], marks=all_marks(comp, bids)) == 6


def test_an_evaluator_whose_conflict_is_found_is_excluded_from_scoring(world):
    comp, bids = closed_with_bids(world)
    ev = world.evaluators[0]
    with pytest.raises(DomainError, match="Enter the interest") as e:
        evaluation.declare_conflict(comp, actor=ev, has_conflict=True)
    assert e.value.field == "note"
    evaluation.declare_conflict(comp, actor=ev, has_conflict=True, note="My spouse works at one bidder")
    d = conflicts.declaration_of(comp, ev)
    conflicts.assess(d, conflict=True, mitigation="Excluded from the panel", exclude=True, actor=world.buyer)
    world.start_evaluation(comp)
    with pytest.raises(DomainError):
        evaluation.save_scores(comp, actor=ev, marks=all_marks(comp, bids))
    with pytest.raises(DomainError, match="stays on the record"):
        evaluation.declare_conflict(comp, actor=ev, has_conflict=False)


def test_only_the_competitions_evaluators_may_score(world):
    comp, bids = closed_with_bids(world)
    world.start_evaluation(comp)
    with pytest.raises(NotAllowed):
        evaluation.declare_conflict(comp, actor=world.buyer, has_conflict=False)


def test_marks_must_be_on_the_published_scale_with_a_comment(world):
    comp, bids = closed_with_bids(world)
    world.start_evaluation(comp)
    ev = world.evaluators[0]
    key = (bids[0].id, comp.criteria[0].id)
    with pytest.raises(DomainError, match="from 0 to 4"):
        evaluation.save_scores(comp, actor=ev, marks={key: Mark(5, "Too high")})
    with pytest.raises(DomainError, match="comment"):
        evaluation.save_scores(comp, actor=ev, marks={key: Mark(3, " ")})


def test_scores_are_submitted_only_when_complete_and_then_fixed(world):
    comp, bids = closed_with_bids(world)
    world.start_evaluation(comp)
    ev = world.evaluators[0]
    evaluation.save_scores(comp, actor=ev, marks={(bids[0].id, comp.criteria[0].id): Mark(2, "ok")})
    with pytest.raises(DomainError, match="5 still to do"):
        evaluation.submit_scores(comp, actor=ev)
    evaluation.save_scores(comp, actor=ev, marks=all_marks(comp, bids))
    evaluation.submit_scores(comp, actor=ev)
    with pytest.raises(DomainError, match="can no longer change"):
        evaluation.save_scores(comp, actor=ev, marks=all_marks(comp, bids, 1))


def test_an_evaluator_cannot_see_others_scores_until_they_submit_their_own(world):
    comp, bids = closed_with_bids(world)
    world.start_evaluation(comp)
    a, b = world.evaluators
    evaluation.save_scores(comp, actor=a, marks=all_marks(comp, bids))
    evaluation.submit_scores(comp, actor=a)
    assert evaluation.scores_visible_to(comp, a) is True
    assert evaluation.scores_visible_to(comp, b) is False
    assert evaluation.scores_visible_to(comp, world.buyer) is False  # moderation waits for everyone
    evaluation.save_scores(comp, actor=b, marks=all_marks(comp, bids, 2))
    evaluation.submit_scores(comp, actor=b)
    assert evaluation.scores_visible_to(comp, b) and evaluation.scores_visible_to(comp, world.buyer)


def test_moderation_waits_for_every_evaluator(world):
    comp, bids = closed_with_bids(world)
    world.start_evaluation(comp)
    with pytest.raises(DomainError, match="Moderation starts"):
        evaluation.moderate(comp, bids[0], actor=world.buyer, marks={comp.criteria[0].id: Mark(3, "ok")})


def test_moderation_needs_a_rationale_to_depart_from_the_mark_the_evaluators_agreed(world):
    comp, bids = world.evaluated()  # every evaluator gave the first answer 3
    with pytest.raises(DomainError, match="rationale"):
        evaluation.moderate(comp, bids[0], actor=world.buyer, marks={comp.criteria[0].id: Mark(1, "")})
    [row] = evaluation.moderate(comp, bids[0], actor=world.buyer, marks={comp.criteria[0].id: Mark(3, "")})
    assert row.mark == 3 and row.rationale.startswith("Every evaluator gave this answer 3.") and "Reason" in row.rationale


def test_moderation_needs_a_rationale_where_the_evaluators_differ(world):
    comp = world.published()
    bids = [world.bid(comp, 0, 5_000_000)]
    world.after_deadline(comp)
    world.start_evaluation(comp)
    for ev, mark in zip(world.evaluators, (2, 4)):
        evaluation.save_scores(comp, actor=ev, marks={(bids[0].id, c.id): Mark(mark, "Why") for c in comp.criteria})
        evaluation.submit_scores(comp, actor=ev)
    first, second = comp.criteria[:2]
    with pytest.raises(DomainError) as refused:
        evaluation.moderate(comp, bids[0], actor=world.buyer, marks={first.id: Mark(3, ""), second.id: Mark(9, "x")})
    assert [f for f, _ in refused.value.problems] == [f"rationale_{first.id}", f"mark_{second.id}"]


def test_the_result_table_scores_quality_and_price_by_the_published_formula(world):
    comp, bids = world.evaluated(prices=(5_000_000, 4_000_000), marks=((3, 3), (2, 2)))
    table = evaluation.results(comp)
    assert table.complete
    by_bid = {r.bid.id: r.score for r in table.rows}
    # 3 questions × 20%, scale 0-4; price 40%.
    assert str(by_bid[bids[0].id].quality_score) == "45.00" and str(by_bid[bids[0].id].price_score) == "32.00"
    assert str(by_bid[bids[1].id].quality_score) == "30.00" and str(by_bid[bids[1].id].price_score) == "40.00"
    assert table.winner.bid.id == bids[0].id and str(table.winner.score.total) == "77.00"


def test_the_result_table_is_incomplete_until_every_answer_is_moderated(world):
    comp, bids = closed_with_bids(world)
    world.start_evaluation(comp)
    table = evaluation.results(comp)
    assert not table.complete and table.missing == 6 and table.winner is None


def test_bids_under_the_threshold_get_no_rank(world):
    comp = world.competition()
    comp.threshold_percent = 60
    from app.competitions.setup import services as setup

    setup.publish(comp, actor=world.buyer)
    bids = [world.bid(comp, 0, 5_000_000), world.bid(comp, 1, 1_000_000)]
    world.after_deadline(comp)
    world.start_evaluation(comp)
    for ev in world.evaluators:
        evaluation.save_scores(comp, actor=ev, marks=all_marks(comp, bids))
        evaluation.submit_scores(comp, actor=ev)
    evaluation.moderate(comp, bids[0], actor=world.buyer, marks={c.id: Mark(4, "r") for c in comp.criteria})
    evaluation.moderate(comp, bids[1], actor=world.buyer, marks={c.id: Mark(1, "r") for c in comp.criteria})
    table = evaluation.results(comp)
    low = next(r for r in table.rows if r.bid.id == bids[1].id)
    assert low.score.rank is None and not low.score.passed_threshold
    assert table.winner.bid.id == bids[0].id
