"""Synthetic call-off competitions, bids, awards and partnerships (a mixin of bench.synth.Synth).

Pure: no Flask, no database. Uses what Synth's register and offer methods left on `self`
(buyers, exemplars, lot members, users, offer versions).
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

#: A fixed "now" for the generated history, so the rows never depend on the day they were made.
REF = datetime(2026, 11, 1, 9, 0, tzinfo=timezone.utc)

#: Stored statuses of the competitions and how often each occurs.
COMPETITION_STATUSES = (("draft", 0.05), ("open", 0.15), ("closed", 0.05), ("evaluation", 0.15),
                        ("standstill", 0.05), ("awarded", 0.45), ("cancelled", 0.05), ("no_award", 0.05))
WITH_BIDS = {"open", "closed", "evaluation", "standstill", "awarded", "no_award"}


def _ts(d: date | datetime, hour: int = 10) -> datetime:
    """An aware UTC timestamp (UTCDateTime columns refuse naive ones)."""
    if isinstance(d, datetime):
        return d.astimezone(timezone.utc)
    return datetime(d.year, d.month, d.day, hour, 0, tzinfo=timezone.utc)


def split(rng, total: int, parts: int) -> list[int]:
    """`total` split into `parts` positive whole numbers."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total])]


class CallOffs:
    def competitions(self):
        rng, s = self.rng, self.spec
        statuses, weights = zip(*COMPETITION_STATUSES)
        share_with_bids = sum(w for st, w in COMPETITION_STATUSES if st in WITH_BIDS)
        self.bids_per = s.bids / (s.competitions * share_with_bids)
        lots = [lot for lot, members in self.lot_members.items() if len(members) >= 3]
        comps, criteria, invitations, evaluators = [], [], [], []
        self.comp_info: dict[int, dict] = {}
        for cid in range(1, s.competitions + 1):
            buyer = self.buyers[(cid - 1) % len(self.buyers)]
            lot = rng.choice(lots)
            fw = self.lot_framework[lot]
            status = rng.choices(statuses, weights)[0]
            quality = rng.choice(range(40, 85, 5))
            published = None if status == "draft" else REF - timedelta(days=rng.randrange(20, 700))
            if status == "open":
                published = REF - timedelta(days=rng.randrange(1, 6))
            created = (published or REF - timedelta(days=rng.randrange(1, 60))) - timedelta(days=2)
            clar = published + timedelta(days=7) if published else None
            resp = published + timedelta(days=16) if published else None
            scale = rng.choice((4, 4, 5, 10))
            row = dict(
                id=cid, title=f"Call-off {cid}: {rng.choice(('EPR', 'data', 'medicines', 'cyber'))} help for "
                f"{self.org_names[buyer].split(' NHS')[0].title()}",
                requirement="We need an exemplar to help us. " * rng.randint(3, 10), buyer_id=buyer,
                created_by_id=self.buyer_user[buyer], lot_id=lot, project_id=None,
                budget_pence=rng.randrange(10, 500) * 1_000_000, quality_weight=quality, price_weight=100 - quality,
                scale_max=scale, threshold_percent=rng.choice((0, 0, 40)), abnormally_low_percent=25,
                clarification_days=5, response_days=10, standstill_days=8, deadline_time="12:00",
                status=status, published_at=_ts(published) if published else None,
                clarification_deadline=_ts(clar) if clar else None, response_deadline=_ts(resp) if resp else None,
                evaluation_started_at=_ts(resp + timedelta(days=1)) if resp and status in
                ("evaluation", "standstill", "awarded", "no_award") else None,
                standstill_ends_at=_ts(resp + timedelta(days=30)) if resp and status in ("standstill", "awarded")
                else None,
                awarded_at=_ts(resp + timedelta(days=31)) if status == "awarded" else None,
                ended_at=_ts(resp + timedelta(days=20)) if status in ("cancelled", "no_award") and resp
                else (_ts(created + timedelta(days=3)) if status == "cancelled" else None),
                end_reason="Synthetic." if status in ("cancelled", "no_award") else None,
                created_at=_ts(created), updated_at=_ts(created + timedelta(days=1)))
            comps.append(row)
            chosen = sorted(rng.sample(self.fw_criteria[fw], rng.randint(3, 5)))
            crit_ids = []
            for pos, (fc, w) in enumerate(zip(chosen, split(rng, quality, len(chosen)))):
                crit_ids.append(len(criteria) + 1)
                criteria.append(dict(id=len(criteria) + 1, competition_id=cid, framework_criterion_id=fc,
                                     position=pos, weight=w, question=f"Tell us about {pos + 1}."))
            members = self.lot_members[lot]
            n_bids = min(len(members), max(1, round(rng.uniform(0.5, 1.5) * self.bids_per))) \
                if status in WITH_BIDS else 0
            invited = rng.sample(members, min(len(members), max(3, n_bids + rng.randint(0, 3))))
            for org in invited:
                invitations.append(dict(id=len(invitations) + 1, competition_id=cid, organisation_id=org,
                                        offer_version_id=None, status="invited",
                                        created_at=_ts(published or created)))
            ev_ids = []
            for u in self.evaluator_users[buyer]:
                ev_ids.append(len(evaluators) + 1)
                evaluators.append(dict(id=len(evaluators) + 1, competition_id=cid, user_id=u,
                                       has_conflict=False if resp else None, conflict_note=None,
                                       declared_at=_ts(resp) if resp else None,
                                       submitted_at=_ts(resp + timedelta(days=10))
                                       if status in ("standstill", "awarded") else None))
            self.comp_info[cid] = dict(status=status, buyer=buyer, lot=lot, bidders=invited[:n_bids],
                                       criteria=crit_ids, scale=scale, response=resp, evaluators=ev_ids)
        return comps, criteria, invitations, evaluators

    def bids(self):
        rng = self.rng
        bids, answers, revisions, consensus, awards = [], [], [], [], []
        self.awarded: list[tuple[int, int, int, date]] = []  # (competition, buyer, exemplar, start)
        for cid, c in self.comp_info.items():
            ids = []
            for org in c["bidders"]:
                bid_id = len(bids) + 1
                when = _ts(c["response"] - timedelta(hours=rng.randrange(1, 200)))
                versions = self.org_lot_versions.get((org, c["lot"]))
                withdrawn = rng.random() < 0.03
                bids.append(dict(id=bid_id, competition_id=cid, organisation_id=org,
                                 status="withdrawn" if withdrawn else "submitted",
                                 price_pence=rng.randrange(20, 800) * 100_000,
                                 offer_version_id=rng.choice(versions) if versions else None,
                                 documents="", revision=1, first_submitted_at=when, submitted_at=when,
                                 submitted_by_id=self.manager_of[org],
                                 withdrawn_at=when + timedelta(hours=1) if withdrawn else None))
                revisions.append(dict(id=len(revisions) + 1, bid_id=bid_id, number=1, action="submit",
                                      idempotency_key=None, price_pence=bids[-1]["price_pence"],
                                      content="Synthetic bid.", created_at=when,
                                      created_by_id=self.manager_of[org]))
                for crit in c["criteria"]:
                    answers.append(dict(id=len(answers) + 1, bid_id=bid_id, criterion_id=crit,
                                        answer="Our approach, team and track record. " * rng.randint(1, 4)))
                if not withdrawn:
                    ids.append(bid_id)
            if c["status"] in ("standstill", "awarded") and ids:
                for bid_id in ids:
                    for crit in c["criteria"]:
                        consensus.append(dict(id=len(consensus) + 1, bid_id=bid_id, criterion_id=crit,
                                              mark=rng.randint(0, c["scale"]), rationale="Agreed at moderation.",
                                              moderated_by_id=self.buyer_user[c["buyer"]],
                                              moderated_at=_ts(c["response"] + timedelta(days=12))))
                winner = rng.choice(ids)
                awarded = c["status"] == "awarded"
                start = (c["response"] + timedelta(days=45)).date()
                awards.append(dict(id=len(awards) + 1, competition_id=cid, bid_id=winner,
                                   status="awarded" if awarded else "intended",
                                   intended_at=_ts(c["response"] + timedelta(days=20)), intention_note="Synthetic.",
                                   awarded_at=_ts(c["response"] + timedelta(days=31)) if awarded else None,
                                   value_pence=bids[winner - 1]["price_pence"] if awarded else None,
                                   contract_starts_on=start if awarded else None,
                                   contract_ends_on=start + timedelta(days=365) if awarded else None))
                if awarded:
                    self.awarded.append((cid, c["buyer"], bids[winner - 1]["organisation_id"], start))
        return bids, answers, revisions, consensus, awards

    def partnerships(self):
        rng = self.rng
        rows, milestones = [], []

        def add(follower: int, exemplar: int, origin: str, start: date, competition: int | None) -> None:
            pid = len(rows) + 1
            rows.append(dict(id=pid, follower_id=follower, exemplar_id=exemplar, lot_id=None,
                             competition_id=competition, origin=origin,
                             status=rng.choices(("active", "completed", "ended"), (0.7, 0.25, 0.05))[0],
                             started_on=start, created_at=_ts(start)))
            planned = start + timedelta(days=rng.randrange(90, 540))
            actual = planned + timedelta(days=rng.randrange(-20, 120)) if planned < REF.date() else None
            milestones.append(dict(id=len(milestones) + 1, partnership_id=pid, kind="kick_off", name="Kick-off",
                                   planned_on=start, actual_on=start))
            milestones.append(dict(id=len(milestones) + 1, partnership_id=pid, kind="go_live", name="Go-live",
                                   planned_on=planned, actual_on=actual))

        followers = [b for b in self.buyers]
        for k in range(len(self.exemplars) * 2):
            add(rng.choice(followers), rng.choice(self.exemplars), "gde_fast_follower",
                date(2017 + rng.randrange(5), rng.randrange(1, 13), 1), None)
        for cid, buyer, exemplar, start in self.awarded:
            add(buyer, exemplar, "call_off", start, cid)
        return rows, milestones
