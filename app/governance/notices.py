"""Telling trusts about governance decisions by email (as each person chose, accounts/emailing.py):
an admission decided, a tranche released, and a quarterly check-in due (a scheduled task, once
per agreement and quarter)."""
from __future__ import annotations

from datetime import time, timedelta

from app import jobs
from app.accounts.emailing import email_organisation
from app.extensions import db

from .clock import london_today
from .funding.models import FundingAgreement
from .policy import TRUST_ROLES
from .queries import overdue_checkins

#: Trusts are reminded of a check-in this many days before it is due (and once more when overdue).
REMIND_DAYS_BEFORE = 7


def admission_decided(application) -> None:
    """Tell the applicant trust the decision and its reason."""
    verdict = "admitted to" if application.status == "admitted" else "not admitted to"
    email_organisation(application.organisation_id, TRUST_ROLES, "admission_decided",
                       f"Your application: {verdict} {application.lot.label}",
                       f"{application.organisation.display_name} has been {verdict} {application.lot.label}. "
                       f"The reason given: {application.decision_reason}",
                       link=f"/governance/applications/{application.id}")


def tranche_released(tranche) -> None:
    a = tranche.agreement
    email_organisation(a.organisation_id, TRUST_ROLES, "tranche_released",
                       f"{a.reference}: tranche {tranche.number} released",
                       f"Tranche {tranche.number} of {a.title} (£{tranche.amount_pence / 100:,.2f}) has been released "
                       "after your accepted check-in.", link=f"/governance/funding/agreements/{a.id}")


@jobs.every("governance.checkin_reminders", days=1, at=time(7, 0))
def queue_checkin_reminders() -> str:
    """Queue a reminder for each check-in due within a week or overdue and not filed: one per
    agreement and quarter, and one more once it is overdue."""
    today = london_today()
    due = overdue_checkins(today + timedelta(days=REMIND_DAYS_BEFORE))
    for o in due:
        stage = "overdue" if o.due_on < today else "due"
        jobs.enqueue("governance.checkin_reminder", f"checkin-{stage}:{o.agreement.id}:{o.quarter.label}",
                     agreement_id=o.agreement.id, quarter=o.quarter.label, due_on=o.due_on.isoformat())
    return f"{len(due)} check-in(s) due or overdue"


@jobs.job("governance.checkin_reminder")
def send_checkin_reminder(agreement_id: int, quarter: str, due_on: str) -> str:
    a = db.session.get(FundingAgreement, agreement_id)
    if a is None or a.status != "active":
        return "agreement no longer active"
    if any(c.period.label == quarter for c in a.checkins):
        return "already filed"
    n = email_organisation(a.organisation_id, TRUST_ROLES, "checkin_due",
                           f"{a.reference}: the {quarter} check-in is due",
                           f"The {quarter} check-in for {a.title} is due on {due_on}. Rate each condition red, amber "
                           "or green and say how the milestones are going: tranches are released only after an "
                           "accepted check-in.", link=f"/governance/funding/agreements/{a.id}/checkins/new")
    return f"{n} person(s) reminded"
