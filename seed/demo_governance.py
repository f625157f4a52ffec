"""Demo content for the governance domain: funding programmes, funding agreements with their
conditions and check-ins, an open framework with applications, a review and follower feedback.

Sourced: the programmes' central amounts (see governance_programmes.csv: £10m per acute GDE, £5m
per mental health GDE, £5m shared by the three ambulance GDEs, £5m + £5m per fast follower) and
who the GDEs and fast followers were (exemplars.csv, fast_followers.csv). Everything else — the
yearly profiles, tranches, check-ins, ratings, the Frontline Productivity agreements, the demo
framework and its applications — is illustrative and marked "(demo)".

Idempotent: agreements by reference, applications by (lot, trust), reviews and ratings by the
membership or partnership they belong to. Everything goes through the services, so the demo obeys
the same rules as the app (totals add up, tranches released only after a good check-in).
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.extensions import db
from app.governance import services
from app.governance.amounts import split_evenly
from app.governance.calendar import Quarter
from app.governance.funding.rules import YearAmounts
from app.governance.models import (
    AdmissionApplication,
    AdmissionCriterion,
    ExemplarReview,
    FundingAgreement,
    FundingProgramme,
    PartnershipRating,
    ProgrammeCondition,
)
from app.registry import services as registry
from app.registry.models import Framework, Lot, Membership, Partnership

from .load import read_csv

POUND = 100
MILLION = 1_000_000 * POUND
DEMO_FRAMEWORK = "frontline-productivity-exemplars"

#: Central money per GDE by lot, in pence (sources in governance_programmes.csv).
GDE_CENTRAL = {1: 10 * MILLION, 2: 5 * MILLION}
AMBULANCE_SHARED = 5 * MILLION
FAST_FOLLOWER_CENTRAL = 5 * MILLION


def _user(email: str) -> User | None:
    return db.session.execute(select(User).where(User.email == email)).scalar_one_or_none()


def load(loader) -> None:
    """Add this domain's demo content (idempotent); the caller commits."""
    loader.echo("Loading governance: programmes, funding agreements, applications…")
    admin = _user("admin@demo.exemplar.nhs.uk")
    programmes = _programmes(loader)
    _historical_agreements(loader, programmes, admin)
    _frontline_agreements(loader, programmes, admin)
    framework = _demo_framework(loader, admin)
    _applications(loader, framework, admin)
    _review_and_feedback(loader, admin)
    db.session.flush()


def _programmes(loader) -> dict[str, FundingProgramme]:
    found = {p.slug: p for p in db.session.execute(select(FundingProgramme)).scalars()}
    conditions = read_csv("governance_conditions.csv")
    for r in read_csv("governance_programmes.csv"):
        created = r["slug"] not in found
        if created:
            p = FundingProgramme(slug=r["slug"], name=r["name"], description=r["description"],
                                 source_url=r["source_url"] or None, max_years=int(r["max_years"]),
                                 min_match_percent=int(r["min_match_percent"]),
                                 checkin_due_days=int(r["checkin_due_days"]))
            p.conditions = [ProgrammeCondition(position=int(c["position"]), title=c["title"],
                                               description=c["description"])
                            for c in conditions if c["programme_slug"] == r["slug"]]
            db.session.add(p)
            found[r["slug"]] = p
        loader.report.add("programme", created)
    db.session.flush()
    return found


def _exists(reference: str) -> bool:
    return db.session.execute(select(FundingAgreement.id).where(FundingAgreement.reference == reference)).first() is not None


def _agreement(programme, org, reference, title, central, local, first_year, years, source_url, note, actor):
    """An agreement with an even yearly profile and one tranche a year, planned for 1 July."""
    c_years, l_years = split_evenly(central, years), split_evenly(local, years)
    return services.create_agreement(
        programme=programme, organisation=org, reference=reference, title=title, central=central, local=local,
        first_year=first_year, years=years, profile=[YearAmounts(c, l) for c, l in zip(c_years, l_years)],
        tranches=[services.PlannedTranche(date(first_year + i, 7, 1), c) for i, c in enumerate(c_years)],
        source_url=source_url, source_note=note, actor=actor)


def _check_in(agreement, quarter: Quarter, actor, *, reds=(), ambers=(), progress=None, review="accept",
              reviewer=None, query=None):
    """File a demo check-in two weeks after its quarter ends; rate conditions by position (1-based)."""
    ratings = {}
    for i, c in enumerate(agreement.active_conditions, start=1):
        if i in reds:
            ratings[c.id] = ("red", reds[i] if isinstance(reds, dict) else "(demo) Not met this quarter.")
        elif i in ambers:
            ratings[c.id] = ("amber", ambers[i] if isinstance(ambers, dict) else "(demo) At risk; recovery plan in place.")
        else:
            ratings[c.id] = ("green", "")
    checkin = services.submit_checkin(
        agreement, quarter=quarter, ratings=ratings, actor=actor, today=quarter.ends_on + timedelta(days=14),
        milestone_progress=progress or f"(demo) Illustrative progress report for {quarter.label}: milestones on track.")
    if review:
        services.review_checkin(checkin, decision=review, comment=query, actor=reviewer)
    return checkin


def _release(agreement, number: int, on: date, actor) -> None:
    tranche = next(t for t in agreement.tranches if t.number == number)
    services.release_tranche(tranche, released_on=on, actor=actor)


def _historical_agreements(loader, programmes, admin) -> None:
    """The GDE and fast-follower money as published, with an illustrative yearly check-in, release
    and closure (the programmes have ended)."""
    rows = []
    ambulance = [r for r in read_csv("exemplars.csv") if r["lot_number"] == "3"]
    shares = dict(zip((r["ods_code"] for r in ambulance), split_evenly(AMBULANCE_SHARED, len(ambulance))))
    for r in read_csv("exemplars.csv"):
        lot = int(r["lot_number"])
        if lot not in (1, 2, 3):
            continue
        central = GDE_CENTRAL.get(lot) or shares[r["ods_code"]]
        kind = {1: "acute", 2: "mental health", 3: "ambulance"}[lot]
        note = {1: "Up to £10m of central money per acute GDE as announced (HSJ, September 2016).",
                2: "Up to £5m of central money per mental health GDE as announced (March 2017).",
                3: "A third of the £5m of central money shared by the three ambulance GDEs (HSJ, 2017/18)."}[lot]
        rows.append(("gde", f"GDE-{r['ods_code']}", r["ods_code"], f"Global Digital Exemplar ({kind})", central,
                     2018 if lot == 3 else 2017, r["source_urls"].split(" ; ")[0], note))
    for r in read_csv("fast_followers.csv"):
        rows.append(("fast-follower", f"FF-{r['follower_ods_code']}", r["follower_ods_code"],
                     f"GDE fast follower of {r['exemplar_ods_code']}", FAST_FOLLOWER_CENTRAL, 2018,
                     "https://www.digitalhealth.net/2019/02/fast-follower-digital-programme-green-light/",
                     "£5m of national funding matched by £5m locally (Digital Health, February 2019)."))
    for slug, reference, ods, title, central, first_year, url, note in rows:
        created = not _exists(reference) and ods in loader.orgs
        if created:
            note += (" Local match: the same amount, as the programme required. Yearly profile, tranches, "
                     "check-ins and release dates are illustrative (demo).")
            a = _agreement(programmes[slug], loader.orgs[ods], reference, title, central, central, first_year, 3,
                           url, note, admin)
            for k in range(3):
                _check_in(a, Quarter(first_year + k, 1), None, reviewer=admin)
                _release(a, k + 1, date(first_year + k, 8, 1), admin)
            services.close_agreement(a, reason="(demo) Programme ended; all tranches released.", actor=admin)
        loader.report.add("agreement", created)


def _frontline_agreements(loader, programmes, admin) -> None:
    """Illustrative Frontline Productivity agreements (demo): one doing well, one with a red
    condition, a queried and overdue check-ins, one waiting for review."""
    fp = programmes["frontline-productivity"]
    exemplar, buyer = _user("exemplar@demo.exemplar.nhs.uk"), _user("buyer@demo.exemplar.nhs.uk")
    note = "Illustrative amounts, profile, tranches and check-ins (demo): no published source."
    plans = [("RBL", 4, 2025), ("RJR", 2, 2025), ("RX4", 3, 2025), ("RH8", 1.5, 2026)]
    for ods, millions, first_year in plans:
        reference = f"FRONTLINE-PRODUCTIVITY-{ods}-{first_year}"
        created = not _exists(reference) and ods in loader.orgs
        loader.report.add("agreement", created)
        if not created:
            continue
        amount = int(millions * MILLION)
        a = _agreement(fp, loader.orgs[ods], reference, "Frontline productivity (demo)", amount, amount,
                       first_year, 4, None, note, admin)
        q = [Quarter(2025, 1), Quarter(2025, 2), Quarter(2025, 3), Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2)]
        if ods in ("RBL", "RX4"):
            actor = exemplar if ods == "RBL" else None
            _check_in(a, q[0], actor, reviewer=admin)
            _release(a, 1, date(2025, 8, 1), admin)
            _check_in(a, q[1], actor, reviewer=admin)
            _check_in(a, q[2], actor, reviewer=admin, ambers={8: "(demo) Training for ambient voice technology "
                                                                 "delayed by winter pressures."})
            _check_in(a, q[3], actor, reviewer=admin)
            _check_in(a, q[4], actor, reviewer=admin)
            _release(a, 2, date(2026, 8, 3), admin)
            _check_in(a, q[5], actor, review=None, ambers={4: "(demo) Baseline for the second capability still "
                                                             "being agreed."})
        elif ods == "RJR":
            _check_in(a, q[0], buyer, reviewer=admin)
            _release(a, 1, date(2025, 8, 1), admin)
            _check_in(a, q[1], buyer, reviewer=admin,
                      reds={2: "(demo) Board approval of the local match postponed to the next financial year."})
            _check_in(a, q[2], buyer, reviewer=admin, review="query", ambers=(2,),
                      query="(demo) Give the revised date of the board's approval of the local match.")
        else:
            _check_in(a, Quarter(2026, 1), None, review=None)


def _demo_framework(loader, admin) -> Framework:
    """An open framework, so that trusts can apply (demo)."""
    fw = db.session.execute(select(Framework).where(Framework.slug == DEMO_FRAMEWORK)).scalar_one_or_none()
    created = fw is None
    if created:
        fw = registry.create_framework(
            slug=DEMO_FRAMEWORK, name="Frontline Productivity exemplar framework (demo)", actor=admin,
            description="(demo) An illustrative framework open for applications, so that trusts can apply to be "
                        "exemplars of frontline productivity capabilities. Not a real procurement.",
            starts_on=date(2026, 4, 1),
            criteria=["Clinical and technical capability", "Implementation approach", "Capacity", "Social value"])
        registry.add_lot(fw, number=1, name="Acute trusts", actor=admin)
        registry.add_lot(fw, number=2, name="Mental health and community trusts", actor=admin)
        registry.change_framework_status(fw, "open", actor=admin)
    loader.report.add("framework", created)
    for slug in (DEMO_FRAMEWORK, "gde"):
        f = db.session.execute(select(Framework).where(Framework.slug == slug)).scalar_one_or_none()
        if f is not None and db.session.execute(select(AdmissionCriterion.id).where(
                AdmissionCriterion.framework_id == f.id)).first() is None:
            services.add_default_criteria(f, actor=admin)
    return fw


#: RBL waits for assessment, RH8 is assessed and waits for the decision, RX1 was rejected. None is
#: admitted here: the offers demo (loaded earlier) makes offers for admitted exemplars, and an
#: admission made after it would give it new work on the next load.
_ANSWERS = {
    # ods: (maturity, modules, cso, go-lives, capacity text, capacity number, verdicts or None, decision)
    "RBL": ("4.1", "9", "yes", "(demo) Millennium go-live 2014 and later modules; supported the Countess of Chester.",
            "(demo) A partnerships team of six, funded by call-off income.", 2, None, None),
    "RH8": ("3.8", "7", "yes", "(demo) Epic go-live 2025 across two hospital sites.",
            "(demo) A dedicated optimisation team with capacity for one follower at a time.", 1,
            ["met"] * 5, None),
    "RX1": ("2.5", "3", "yes", "(demo) Nervecentre go-live in November 2025.",
            "(demo) Not yet staffed.", 0, ["not_met", "not_met", "met", "met", "not_met"],
            ("reject", "(demo) Not yet at exemplar standard: digital maturity and modules live below the framework's "
                       "minimum, and no team to support followers. The trust is welcome to apply again.")),
}


def _applications(loader, framework: Framework, admin) -> None:
    lot = next(l for l in framework.lots if l.number == 1)
    exemplar = _user("exemplar@demo.exemplar.nhs.uk")
    for ods, (maturity, modules, cso, golives, capacity, n, verdicts, decision) in _ANSWERS.items():
        org = loader.orgs.get(ods)
        exists = org is None or db.session.execute(select(AdmissionApplication.id).where(
            AdmissionApplication.lot_id == lot.id, AdmissionApplication.organisation_id == org.id)).first() is not None
        live = [] if exists else services.live_deployments(org)
        created = not exists and bool(live) and services.application_problem(lot, org) is None
        loader.report.add("application", created)
        if not created:
            continue
        criteria = services.active_criteria(framework)
        answers = dict(zip((c.id for c in criteria), (maturity, modules, cso, golives, capacity)))
        a = services.submit_application(
            lot, org, answers=answers, system_ids=[d.system_id for d in live], capacity_followers=n,
            statement="(demo) Illustrative application.", actor=exemplar if ods == "RBL" else None,
            links=[("(demo) Digital strategy", "https://www.example.nhs.uk/digital-strategy")])
        if verdicts:
            services.assess(a, {x.id: (v, None if v == "met" else "(demo) Below the framework's standard.")
                                for x, v in zip(a.answers, verdicts)}, actor=admin)
        if decision:
            services.decide(a, decision=decision[0], reason=decision[1], actor=admin)


def _review_and_feedback(loader, admin) -> None:
    """Ratings from fast followers of their GDE partners, and one periodic review (demo)."""
    buyer = _user("buyer@demo.exemplar.nhs.uk")
    ratings = [("RJR", "RBL", 4, "(demo) Wirral's team shared its Millennium build and order sets; "
                                 "clinical engagement help was excellent, data migration support thinner.", buyer),
               ("RVW", "REM", 3, "(demo) Useful blueprints; slow to respond during their own upgrade.", None)]
    for follower, exemplar, stars, comment, actor in ratings:
        if follower not in loader.orgs or exemplar not in loader.orgs:
            continue
        p = db.session.execute(select(Partnership).where(
            Partnership.follower_id == loader.orgs[follower].id,
            Partnership.exemplar_id == loader.orgs[exemplar].id)).unique().scalars().first()
        created = p is not None and db.session.execute(select(PartnershipRating.id).where(
            PartnershipRating.partnership_id == p.id)).first() is None
        if created:
            services.rate_partnership(p, rating=stars, comment=comment, actor=actor)
        loader.report.add("rating", created)
    rbl = loader.orgs.get("RBL")
    membership = db.session.execute(
        select(Membership).join(Lot, Lot.id == Membership.lot_id).join(Framework, Framework.id == Lot.framework_id)
        .where(Framework.slug == "gde", Membership.organisation_id == rbl.id, Membership.status == "admitted")
    ).unique().scalars().first() if rbl else None
    created = membership is not None and db.session.execute(select(ExemplarReview.id).where(
        ExemplarReview.membership_id == membership.id)).first() is None
    if created:
        services.record_review(
            membership, decision="continue", reviewed_on=date(2026, 10, 1), next_review_on=date(2027, 10, 1),
            reason="(demo) Partnership with the Countess of Chester on track; follower feedback good.",
            capacity_declared=2, actor=admin)
    loader.report.add("review", created)
