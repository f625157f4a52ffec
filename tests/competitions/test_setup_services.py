"""Setting up and publishing a competition: the framework's rules on criteria, weights,
timetable, invitees and evaluators."""
from datetime import datetime, time, timezone

import pytest
from sqlalchemy import select

from app.audit.models import AuditEvent
from app.competitions.models import Competition
from app.competitions.notifications.models import Notification
from app.competitions.setup import services as setup
from app.competitions.setup.services import QuestionChoice
from app.errors import DomainError, IllegalTransition
from app.registry.models import FrameworkCriterion


def test_a_new_competition_takes_the_framework_defaults(world):
    comp = world.competition()
    assert comp.status == "draft"
    assert (comp.clarification_days, comp.response_days, comp.standstill_days) == (3, 10, 8)
    assert comp.quality_weight == 60 and comp.price_weight == 40
    assert [c.weight for c in comp.criteria] == [20, 20, 20]
    assert [c.name for c in comp.criteria] == ["Capability", "Approach", "Social value"]


def test_competitions_run_only_under_a_live_framework(world, make):
    fw = make.framework(status="open")
    with pytest.raises(DomainError, match="live framework"):
        setup.create_competition(buyer=world.buyer_org, lot=fw.lots[0], title="t", requirement="r", actor=world.buyer)


def test_a_title_and_requirement_are_required_and_money_is_not_negative(world):
    with pytest.raises(DomainError) as e:
        setup.create_competition(buyer=world.buyer_org, lot=world.lot, title="  ", requirement="r", actor=world.buyer)
    assert e.value.field == "title"
    with pytest.raises(DomainError) as e:
        setup.create_competition(buyer=world.buyer_org, lot=world.lot, title="t", requirement="r", actor=world.buyer,
                                 budget_pence=-1)
    assert e.value.field == "budget"


def test_call_offs_may_pick_and_weight_the_framework_criteria(world):
    comp = world.competition()
    ids = [c.framework_criterion_id for c in comp.criteria]
    setup.set_method(comp, questions=[QuestionChoice(ids[0], 50, "Describe your capability"), QuestionChoice(ids[1], 20)],
                     price_weight=30, scale_max=100, threshold_percent=40, abnormally_low_percent=20, actor=world.buyer)
    assert [(c.weight, c.question) for c in comp.criteria] == [(50, "Describe your capability"), (20, "")]
    assert (comp.quality_weight, comp.price_weight, comp.scale_max) == (70, 30, 100)


def test_call_offs_may_never_add_a_criterion(world, make):
    comp = world.competition()
    other = make.framework(status="live")
    other.criteria = [FrameworkCriterion(position=0, name="Something else")]
    make.session.flush()
    with pytest.raises(DomainError, match="framework's award criteria"):
        setup.set_method(comp, questions=[QuestionChoice(other.criteria[0].id, 60)], price_weight=40, scale_max=4,
                         threshold_percent=0, abnormally_low_percent=25)


@pytest.mark.parametrize("weights, price, message", [
    ([30, 20], 40, "add up to 100"),
    ([10, 10], 80, "allows a quality weighting from 40 to 80"),
    ([50, 40], 10, "allows a quality weighting from 40 to 80"),
])
def test_weights_must_sum_to_100_within_the_framework_range(world, weights, price, message):
    comp = world.competition()
    ids = [c.framework_criterion_id for c in comp.criteria]
    with pytest.raises(DomainError, match=message):
        setup.set_method(comp, questions=[QuestionChoice(i, w) for i, w in zip(ids, weights)], price_weight=price,
                         scale_max=4, threshold_percent=0, abnormally_low_percent=25)


def test_the_database_refuses_weights_that_do_not_sum_to_100(world, db_session):
    from sqlalchemy.exc import IntegrityError

    comp = world.competition()
    comp.price_weight = 10
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_the_timetable_must_be_sensible_and_keep_the_framework_standstill(world):
    comp = world.competition()
    with pytest.raises(DomainError, match="shorter than the response"):
        setup.set_timetable(comp, clarification_days=10, response_days=10, standstill_days=8)
    with pytest.raises(DomainError, match="at least 8 working days"):
        setup.set_timetable(comp, clarification_days=2, response_days=10, standstill_days=5)
    with pytest.raises(DomainError, match="working hours"):
        setup.set_timetable(comp, clarification_days=2, response_days=10, standstill_days=8, deadline_time=time(23, 0))
    setup.set_timetable(comp, clarification_days=0, response_days=5, standstill_days=10, deadline_time=time(17, 0))
    assert (comp.clarification_days, comp.response_days, comp.standstill_days) == (0, 5, 10)


def test_only_admitted_members_of_the_lot_can_be_invited(world, make):
    comp = world.competition()
    outsider = make.org()
    suspended = make.org()
    make.membership(world.lot, suspended, status="suspended")
    for org in (outsider, suspended, world.buyer_org):
        with pytest.raises(DomainError, match="admitted to this lot"):
            setup.set_invitees(comp, organisation_ids=[org.id])


def test_the_framework_minimum_of_invitees_applies_when_that_many_are_eligible(world):
    comp = world.competition(invite=2)
    assert any("Invite at least 3" in p for p in setup.publication_problems(comp))
    with pytest.raises(DomainError, match="Invite at least 3"):
        setup.publish(comp, actor=world.buyer)


def test_fewer_invitees_than_the_minimum_need_a_recorded_justification_when_few_are_eligible(world, make):
    world.framework.min_invitees = 6  # only 4 are admitted
    comp = world.competition(invite=4)
    assert any("record why" in p for p in setup.publication_problems(comp))
    setup.set_invitees(comp, organisation_ids=[o.id for o, _ in world.exemplars], justification="Only four admitted.")
    assert setup.publication_problems(comp) == []


def test_evaluators_must_be_the_buyers_own_people_with_the_evaluator_role(world, make):
    from app.accounts.roles import EVALUATOR

    comp = world.competition()
    outsider = make.user(EVALUATOR)
    with pytest.raises(DomainError, match="evaluator role"):
        setup.set_evaluators(comp, user_ids=[outsider.id])
    with pytest.raises(DomainError, match="evaluator role"):
        setup.set_evaluators(comp, user_ids=[world.buyer.id])


def test_publishing_fixes_the_deadlines_in_working_days_at_midday_london(world, clock):
    clock.set(datetime(2026, 12, 21, 10, 0, tzinfo=timezone.utc))  # Monday before Christmas
    comp = world.published()
    # 3 working days: 22, 23, 24 Dec; 10 working days: 22, 23, 24, 29, 30, 31 Dec, 4, 5, 6, 7 Jan
    assert comp.clarification_deadline == datetime(2026, 12, 24, 12, 0, tzinfo=timezone.utc)
    assert comp.response_deadline == datetime(2027, 1, 7, 12, 0, tzinfo=timezone.utc)
    assert comp.status == "clarification"


def test_publishing_invites_the_exemplars_by_notification_and_email(world, db_session, sent_emails):
    comp = world.published()
    _, manager = world.exemplars[0]
    inbox = db_session.execute(select(Notification).where(Notification.user_id == manager.id)).scalars().all()
    assert [n.subject for n in inbox] == ["Invitation to bid: EPR go-live support"]
    _, uninvited = world.exemplars[3]
    assert not db_session.execute(select(Notification).where(Notification.user_id == uninvited.id)).first()
    db_session.commit()
    assert any(to == manager.email and subject.startswith("Invitation") for to, subject, _ in sent_emails)
    assert comp.published_at is not None


def test_a_published_competition_cannot_be_changed_or_published_again(world):
    comp = world.published()
    with pytest.raises(DomainError, match="Only a draft"):
        setup.update_details(comp, title="New", requirement="r", budget_pence=None)
    with pytest.raises(IllegalTransition):
        setup.publish(comp, actor=world.buyer)


def test_every_setup_step_is_audited(world, db_session):
    comp = world.published()
    actions = db_session.execute(select(AuditEvent.action).where(AuditEvent.object_type == "Competition",
                                                                 AuditEvent.object_id == str(comp.id))).scalars().all()
    for action in ("competition.create", "competition.invitees", "competition.evaluators", "competition.publish"):
        assert action in actions


def test_a_competition_can_start_from_a_shortlist(world, make, db_session):
    from tests.competitions.offer_helpers import make_offer
    from app.offers.models import Project, ShortlistEntry

    offers = [make_offer(make, org, world.lot) for org, _ in world.exemplars[:2]]
    project = Project(organisation_id=world.buyer_org.id, name="EPR help")
    project.entries = [ShortlistEntry(offer_id=o.id, offer_version_id=o.current_version_id, reason="Good fit")
                       for o in offers]
    db_session.add(project)
    db_session.flush()
    comp = setup.create_competition(buyer=world.buyer_org, lot=world.lot, title="From shortlist", requirement="r",
                                    actor=world.buyer, project=project)
    assert sorted(i.organisation_id for i in comp.invitations) == sorted(o.organisation_id for o in offers)
    assert comp.invitations[0].offer_version_id is not None
    assert db_session.get(Competition, comp.id).project_id == project.id
