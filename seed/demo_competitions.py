"""Demo content for the competitions domain: call-off competitions run by the demo buyer's trust
(RJR, Countess of Chester) on the GDE framework's acute lot, at different stages, so a newcomer
sees every screen and every step the Procurement Act 2023 asks for:

* "(demo) EPR optimisation partner": awarded to RBL (Wirral) after a voluntary standstill, with a
  call-off partnership, its contract details notice published and a KPI rating recorded (its
  contract performance notice published);
* "(demo) Maternity system optimisation": awarded ten days ago without a standstill (the buyer
  skipped it, with its reason): a £6m contract with three KPIs, its contract details notice due;
* "(demo) Theatre scheduling support": intention to award announced, its contract award notice
  published, the voluntary standstill running;
* "(demo) Virtual ward remote monitoring": closed with no suitable bid (none reached the quality
  threshold), with the reason;
* "(demo) Clinical decision support roll-out": under evaluation, waiting for evaluator@ to score;
* "(demo) Ambient voice pilot support": open for responses now, so exemplar@ (RBL) can bid.

Every conflicts assessment is completed (the buyer and the evaluator declare no interest, the
buyer confirms) before its evaluation starts.

Everything goes through the services (rules, audit, notifications) with the competitions' clock
set back in time, so the stages are right relative to the real "now" when the demo is loaded.
Bids of exemplars that have no demo account are made by a stand-in actor for the loader.
Idempotent: a competition whose title exists is left alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.competitions import clock
from app.competitions.models import Competition
from app.competitions.award import services as award_svc
from app.competitions.bidding import services as bidding
from app.competitions.conflicts import services as conflicts
from app.competitions.contracts import services as contracts
from app.competitions.notices import services as notices
from app.competitions.evaluation import services as evaluation
from app.competitions.setup import services as setup
from app.competitions.setup.services import QuestionChoice
from app.competitions.evaluation.services import Mark
from app.extensions import db
from app.models_base import utcnow
from app.registry.models import Framework, Membership

BUYER, EXEMPLAR = "RJR", "RBL"
OTHERS = ("RBS", "RRK", "RTH", "RGT")
TITLES = {
    "awarded": "(demo) EPR optimisation partner",
    "details_due": "(demo) Maternity system optimisation",
    "standstill": "(demo) Theatre scheduling support",
    "no_suitable_bid": "(demo) Virtual ward remote monitoring",
    "evaluation": "(demo) Clinical decision support roll-out",
    "open": "(demo) Ambient voice pilot support",
}
MARKS = "Evidence in the answer supports this mark. (demo)"


@dataclass
class LoaderActor:
    """Acts for an exemplar trust without a demo account while loading demo bids (audited as such)."""

    organisation: object
    id: None = None
    name: str = "Demo data loader"
    email: str = "seed@demo.exemplar.nhs.uk"

    @property
    def organisation_id(self) -> int:
        return self.organisation.id

    def has_role(self, *roles: str) -> bool:
        return True


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).unique().scalar_one_or_none()


def load(loader) -> None:
    """Add the demo competitions (idempotent); the caller commits."""
    buyer_org, exemplar_org = loader.orgs.get(BUYER), loader.orgs.get(EXEMPLAR)
    buyer, evaluator = _user("buyer@demo.exemplar.nhs.uk"), _user("evaluator@demo.exemplar.nhs.uk")
    exemplar = _user("exemplar@demo.exemplar.nhs.uk")
    framework = db.session.execute(select(Framework).where(Framework.slug == "gde")).scalar_one_or_none()
    if None in (buyer_org, exemplar_org, buyer, evaluator, exemplar, framework) or framework.status != "live":
        return
    lot = next((lot for lot in framework.lots if lot.number == 1), None)
    admitted = {m.organisation_id for m in db.session.execute(
        select(Membership).where(Membership.lot_id == getattr(lot, "id", None), Membership.status == "admitted")
    ).unique().scalars()}
    others = [loader.orgs[c] for c in OTHERS if c in loader.orgs and loader.orgs[c].id in admitted]
    if lot is None or exemplar_org.id not in admitted or len(others) < 2:
        return
    ctx = _Ctx(buyer_org, exemplar_org, buyer, evaluator, exemplar, lot, others)
    real_now = utcnow()
    try:
        for stage, make in (("awarded", ctx.awarded), ("details_due", ctx.details_due), ("standstill", ctx.standstill),
                            ("no_suitable_bid", ctx.no_suitable_bid), ("evaluation", ctx.under_evaluation),
                            ("open", ctx.open)):
            exists = db.session.execute(select(Competition.id).where(Competition.title == TITLES[stage])).first()
            loader.report.add("competition", exists is None)
            if exists is None:
                make(real_now)
    finally:
        clock.set_source(None)
    db.session.flush()


def _at(when) -> None:
    clock.set_source(lambda: when)


@dataclass
class _Ctx:
    buyer_org: object
    exemplar_org: object
    buyer: User
    evaluator: User
    exemplar: User
    lot: object
    others: list

    def _draft(self, title: str, requirement: str, budget_pence: int) -> Competition:
        comp = setup.create_competition(buyer=self.buyer_org, lot=self.lot, title=title, requirement=requirement,
                                        budget_pence=budget_pence, actor=self.buyer)
        setup.set_invitees(comp, organisation_ids=[self.exemplar_org.id] + [o.id for o in self.others],
                           actor=self.buyer)
        setup.set_evaluators(comp, user_ids=[self.evaluator.id], actor=self.buyer)
        return comp

    def _offer_version(self) -> int | None:
        from app.offers.models import Offer

        offer = db.session.execute(select(Offer).where(
            Offer.organisation_id == self.exemplar_org.id, Offer.lot_id == self.lot.id, Offer.status == "published")
            .order_by(Offer.id)).unique().scalars().first()
        return offer.current_version_id if offer is not None else None

    def _bids(self, comp: Competition, prices: list[int], texts: list[str]) -> None:
        actors = [self.exemplar] + [LoaderActor(o) for o in self.others[:len(prices) - 1]]
        for actor, price, text in zip(actors, prices, texts):
            bidding.submit_bid(comp, actor=actor, price_pence=price,
                               answers={c.id: f"{text} ({c.name.lower()}) (demo)" for c in comp.criteria},
                               documents="https://www.england.nhs.uk/digitaltechnology/ (demo)",
                               offer_version_id=self._offer_version() if actor is self.exemplar else None)

    def _assess_conflicts(self, comp: Competition) -> None:
        """The buyer and the evaluator declare no interest; the buyer confirms the assessment."""
        for d in conflicts.declarations(comp):
            if d.has_interest is None:
                conflicts.declare(comp, d.user, has_interest=False, actor=d.user)
        conflicts.confirm(comp, actor=self.buyer)

    def _evaluate(self, comp: Competition, marks_by_org: dict[int, int], rationale: str) -> list:
        """Conflicts assessed, evaluation started, the evaluator's marks submitted and moderated."""
        self._assess_conflicts(comp)
        evaluation.start_evaluation(comp, actor=self.buyer)
        bids = evaluation.valid_bids(comp)
        evaluation.save_scores(comp, actor=self.evaluator, marks={
            (b.id, c.id): Mark(marks_by_org[b.organisation_id], MARKS) for b in bids for c in comp.criteria})
        evaluation.submit_scores(comp, actor=self.evaluator)
        for b in bids:
            evaluation.moderate(comp, b, actor=self.buyer, marks={
                c.id: Mark(marks_by_org[b.organisation_id], f"{rationale} (demo)") for c in comp.criteria})
        return bids

    def _to_evaluation(self, comp: Competition, at, prices: list[int], texts: list[str], marks: tuple[int, ...],
                       rationale: str) -> list:
        setup.publish(comp, actor=self.buyer)
        _at(at + timedelta(days=5))
        self._bids(comp, prices, texts)
        _at(comp.response_deadline + timedelta(days=1))
        orgs = [self.exemplar_org.id] + [o.id for o in self.others[:len(prices) - 1]]
        return self._evaluate(comp, dict(zip(orgs, marks)), rationale)

    def _publish_uk6(self, comp: Competition, award) -> None:
        notices.publish(notices.find(comp, "UK6", f"award-{award.id}"), actor=self.buyer)

    def awarded(self, now) -> None:
        _at(now - timedelta(days=75))
        comp = self._draft(TITLES["awarded"], "A partner trust to help us optimise our EPR after go-live:\n\n"
                           "- order sets and clinical workflows\n- benefits tracking\n\n(demo)", 15_000_000)
        setup.publish(comp, actor=self.buyer)
        _at(now - timedelta(days=70))  # within the clarification period, whatever weekday "now" is
        bidding.ask_question(comp, actor=self.exemplar, question="Is training of super-users in scope? (demo)")
        bidding.answer_question(comp.clarifications[0], actor=self.buyer, published_question="Is training of "
                                "super-users in scope? (demo)", answer="Yes: up to 40 super-users. (demo)")
        self._bids(comp, [12_000_000, 9_500_000, 14_000_000],
                   ["We run the same EPR live and have optimised it for three years",
                    "A lean team with a proven approach", "A large team with broad experience"])
        _at(comp.response_deadline + timedelta(days=1))
        bids = self._evaluate(comp, {self.exemplar_org.id: 4, self.others[0].id: 2, self.others[1].id: 3},
                              "Consensus of the panel")
        award = award_svc.intend_award(comp, actor=self.buyer, note="Highest total score: the strongest optimisation "
                                       "record on the same EPR. (demo)")
        self._publish_uk6(comp, award)
        _at(comp.standstill_ends_at + timedelta(hours=2))
        starts = (comp.standstill_ends_at + timedelta(days=3)).date()
        award_svc.make_award(comp, actor=self.buyer, value_pence=12_000_000, starts_on=starts,
                             ends_on=starts + timedelta(days=364), go_live_on=starts + timedelta(days=180),
                             kpis=["Order sets live on every adult ward (demo)", "Clinician satisfaction with the EPR "
                                   "(demo)", "Benefits realised against the plan (demo)"])
        notices.publish(notices.find(comp, "UK7"), actor=self.buyer)
        kick_off = next(m for m in _partnership(comp).milestones if m.kind == "kick_off")
        if starts <= now.date() - timedelta(days=4):
            _at(now - timedelta(days=3))
            award_svc.record_milestone(kick_off, actor=self.buyer, actual_on=starts)
            contract = contracts.contract_of(comp)
            ratings = {k.id: (r, f"{e} (demo)") for k, (r, e) in zip(notices.kpis_of(contract), [
                ("good", "Order sets live on 14 of 15 adult wards"), ("approaching", "Survey: 71% satisfied, target 75%"),
                ("good", "Benefits on plan for the quarter")])}
            contracts.rate_kpis(contract, assessed_on=(now - timedelta(days=3)).date(), ratings=ratings, actor=self.buyer)
            notices.publish(notices.find(comp, "UK9", "round-1"), actor=self.buyer)

    def details_due(self, now) -> None:
        _at(now - timedelta(days=45))
        comp = self._draft(TITLES["details_due"], "Help to optimise our maternity system across three sites. (demo)",
                           650_000_000)
        setup.set_timetable(comp, clarification_days=3, response_days=10, standstill_days=0, actor=self.buyer,
                            standstill_reason="The incumbent contract ends this month and the framework allows "
                                              "call-offs without a standstill. (demo)")
        self._to_evaluation(comp, now - timedelta(days=45), [600_000_000, 640_000_000],
                            ["Our maternity pathway went live in 2023", "A maternity team across two sites"],
                            (3, 2), "The panel's consensus")
        _at(now - timedelta(days=11))
        award_svc.intend_award(comp, actor=self.buyer, note="Highest total score, within the budget. (demo)")
        _at(now - timedelta(days=10))
        starts = (now - timedelta(days=10)).date()
        award_svc.make_award(comp, actor=self.buyer, value_pence=600_000_000, starts_on=starts,
                             ends_on=starts + timedelta(days=540),
                             kpis=["Maternity documentation complete at discharge (demo)",
                                   "Time to record a booking appointment (demo)", "Midwife satisfaction (demo)"])

    def standstill(self, now) -> None:
        _at(now - timedelta(days=30))
        comp = self._draft(TITLES["standstill"], "Support to optimise theatre scheduling and reduce cancelled "
                           "operations. (demo)", 9_000_000)
        self._to_evaluation(comp, now - timedelta(days=30), [8_000_000, 7_000_000, 8_500_000],
                            ["We cut on-the-day cancellations by a third", "Scheduling analysts and a surgeon lead",
                             "A tested theatre dashboard"], (4, 3, 2), "The panel's consensus")
        _at(now - timedelta(days=2))
        award = award_svc.intend_award(comp, actor=self.buyer, note="Highest total score. (demo)")
        self._publish_uk6(comp, award)

    def no_suitable_bid(self, now) -> None:
        _at(now - timedelta(days=40))
        comp = self._draft(TITLES["no_suitable_bid"], "Help to set up remote monitoring for a virtual ward. (demo)",
                           5_000_000)
        setup.set_method(comp, questions=[QuestionChoice(c.framework_criterion_id, c.weight, c.question)
                                          for c in comp.criteria], price_weight=comp.price_weight, scale_max=4,
                         threshold_percent=50, abnormally_low_percent=25, actor=self.buyer)
        self._to_evaluation(comp, now - timedelta(days=40), [4_000_000, 4_500_000],
                            ["We ran a virtual ward pilot", "A monitoring platform we know"], (1, 1),
                            "Little evidence of live remote monitoring")
        _at(now - timedelta(days=12))
        award_svc.no_award(comp, actor=self.buyer, reason="No bid reached the published quality threshold of 50%: "
                           "we will review the requirement and run a new call-off. (demo)")

    def under_evaluation(self, now) -> None:
        _at(now - timedelta(days=35))
        comp = self._draft(TITLES["evaluation"], "Help to roll out clinical decision support for sepsis and "
                           "deterioration across our wards. (demo)", 8_000_000)
        setup.publish(comp, actor=self.buyer)
        _at(now - timedelta(days=30))
        self._bids(comp, [6_500_000, 5_900_000, 7_200_000],
                   ["Our sepsis pathway went live in 2022", "We bring a clinical safety officer",
                    "A tested deterioration dashboard"])
        _at(max(comp.response_deadline + timedelta(hours=1), now - timedelta(days=2)))
        self._assess_conflicts(comp)
        evaluation.start_evaluation(comp, actor=self.buyer)

    def open(self, now) -> None:
        _at(now - timedelta(days=1))
        comp = self._draft(TITLES["open"], "Support to pilot ambient voice technology in outpatients: "
                           "governance, clinical safety and evaluation. (demo)", 3_000_000)
        setup.publish(comp, actor=self.buyer)
        # One sealed bid from another exemplar; exemplar@ (RBL) has not bid yet.
        bidding.submit_bid(comp, actor=LoaderActor(self.others[0]), price_pence=2_400_000,
                           answers={c.id: f"Our ambient voice pilot ({c.name.lower()}) (demo)" for c in comp.criteria})


def _partnership(comp: Competition):
    from app.competitions.queries import partnership_of

    return partnership_of(comp)

