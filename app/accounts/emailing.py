"""Emailing a person: what they chose for each kind (at once, the daily digest, not at all), with
absolute links on PUBLIC_BASE_URL, through the mail queue (app/mail).

`email_user` is what the domains call (competitions' notify() for everything it puts in the inbox,
governance for its decisions); the daily digest gathers the messages held for it into one.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import time

from sqlalchemy import select, update

from app import jobs, mail
from app.clock import now as clock_now
from app.extensions import db
from app.mail.models import EmailDelivery
from app.web.formatting import to_london
from app.web.urls import external_path, external_url

from .email_kinds import DAILY, KINDS, OFF, effective_choice, kind as kind_of
from .models import EmailPreference, User

SIGN_OFF = "Exemplar Exchange"


def choices_of(user: User) -> dict[str, str]:
    """The person's choice for every kind (what is done, after the kind's own limits)."""
    chosen = dict(db.session.execute(select(EmailPreference.kind, EmailPreference.choice)
                                     .where(EmailPreference.user_id == user.id)).all())
    return {name: effective_choice(name, chosen.get(name)) for name in KINDS}


def set_choices(user: User, choices: dict[str, str]) -> None:
    """Keep the person's choices (a choice a kind does not allow is not kept); the caller commits."""
    for name, choice in choices.items():
        if name not in KINDS or choice not in kind_of(name).choices:
            continue
        row = db.session.execute(select(EmailPreference).where(EmailPreference.user_id == user.id,
                                                               EmailPreference.kind == name)).scalar_one_or_none()
        if row is None:
            db.session.add(EmailPreference(user_id=user.id, kind=name, choice=choice))
        else:
            row.choice = choice


def compose(user: User, body: str, link: str | None = None) -> str:
    """The text of a message to `user`: greeting, body, the absolute link, and why they get it."""
    parts = [f"Dear {user.name},", body.strip()]
    if link:
        parts.append(f"Open it in Exemplar Exchange:\n{external_path(link) if link.startswith('/') else link}")
    parts.append(f"{SIGN_OFF}\n\nChoose which emails you get and how often: {external_url('accounts.email_preferences')}")
    return "\n\n".join(p for p in parts if p)


def email_user(user: User, kind: str, subject: str, body: str, *, link: str | None = None,
               secret: bool = False) -> EmailDelivery | None:
    """Email `user` about `kind` as they chose (None when they chose not to be emailed about it);
    the caller commits. `link` is a path of this site or an absolute URL built on PUBLIC_BASE_URL."""
    if not user.active or not user.email:
        return None
    choice = effective_choice(kind, db.session.execute(
        select(EmailPreference.choice).where(EmailPreference.user_id == user.id, EmailPreference.kind == kind)
    ).scalar_one_or_none())
    if choice == OFF:
        return None
    return mail.queue_email(user.email, subject, compose(user, body, link), kind=kind, user_id=user.id,
                            hold=choice == DAILY, secret=secret)


@jobs.every("mail.digest", days=1, at=time(7, 30))
def queue_digests() -> str:
    """Queue one digest per person with messages held for it (once per person per day)."""
    users = db.session.execute(select(EmailDelivery.user_id).where(EmailDelivery.status == "held",
                                                                   EmailDelivery.user_id.is_not(None))
                               .distinct()).scalars().all()
    day = to_london(clock_now()).date()
    for uid in users:
        jobs.enqueue("mail.digest_user", f"mail.digest:{uid}:{day.isoformat()}", user_id=uid)
    return f"{len(users)} digest(s) queued"


@jobs.job("mail.digest_user")
def send_digest(user_id: int) -> str:
    """Gather a person's held messages into one email (sent at once, like any other)."""
    user = db.session.get(User, user_id)
    held = db.session.execute(select(EmailDelivery).where(EmailDelivery.user_id == user_id,
                                                          EmailDelivery.status == "held")
                              .order_by(EmailDelivery.created_at, EmailDelivery.id)).scalars().all()
    if user is None or not held:
        return "nothing held"
    by_kind: dict[str, list[EmailDelivery]] = defaultdict(list)
    for d in held:
        by_kind[d.kind].append(d)
    sections = []
    for name, items in by_kind.items():
        lines = [f"{kind_of(name).label}:"]
        for d in items:
            link = next((ln for ln in d.body.splitlines() if ln.startswith(("http://", "https://"))
                         and "/account/email" not in ln), "")
            lines.append(f"- {d.subject}" + (f"\n  {link}" if link else ""))
        sections.append("\n".join(lines))
    n = len(held)
    body = f"Here is what happened since your last summary ({n} update{'s' if n != 1 else ''}).\n\n" + \
           "\n\n".join(sections)
    digest = mail.queue_email(user.email, f"Your daily summary from Exemplar Exchange: {n} update{'s' if n != 1 else ''}",
                              compose(user, body), kind="digest", user_id=user.id)
    db.session.execute(update(EmailDelivery).where(EmailDelivery.id.in_([d.id for d in held]))
                       .values(status="digested", digest_id=digest.id).execution_options(synchronize_session=False))
    return f"{n} message(s) in one digest"


def users_of(organisation_id: int, *roles: str) -> list[User]:
    """The active users of an organisation holding any of the roles (whom a trust's news is for)."""
    from .models import UserRole

    stmt = (select(User).join(UserRole, UserRole.user_id == User.id)
            .where(User.organisation_id == organisation_id, User.active.is_(True), UserRole.role.in_(roles))
            .order_by(User.id))
    return list(db.session.execute(stmt).unique().scalars())


def email_organisation(organisation_id: int, roles: tuple[str, ...], kind: str, subject: str, body: str, *,
                       link: str | None = None) -> int:
    """Email every active user of an organisation holding one of `roles`; returns how many were
    queued or held (the caller commits)."""
    return sum(1 for u in users_of(organisation_id, *roles) if email_user(u, kind, subject, body, link=link))
