"""A one-time link (invitation or password reset) works once, even when it is posted several times
at the same moment (issue 21: on PostgreSQL four sessions posting one link at once had 2 of 4
accepted, in 5 of 5 trials, because the link was checked on the loaded row and then written)."""
from __future__ import annotations

import pytest
from sqlalchemy import select, update

from app.accounts.invitations import accept_link, invite_user, link_for_token, reissue_link
from app.accounts.models import AccountInvitation
from app.errors import DomainError
from app.models_base import utcnow
from tests import factories
from tests.security.parallel import app_on_a_copy, at_once

NEW_PASSWORDS = ["plum orchard ferry lantern", "copper meadow violin stair", "gravel comet basket tide",
                 "willow anchor pepper frost"]


def test_a_link_consumed_by_another_session_after_it_was_loaded_is_refused(db_session, make):
    """The race, made deterministic: this request loaded the link while it was unused, and another
    request used it before this one wrote. Checking the loaded object let both through."""
    user, token = invite_user(email="stale.link@test.nhs.uk", name="Stale Link", organisation=make.org(),
                              roles=["auditor"])
    db_session.flush()
    link = link_for_token(token)
    assert link is not None and link.used_at is None
    db_session.execute(update(AccountInvitation).where(AccountInvitation.id == link.id)
                       .values(used_at=utcnow()).execution_options(synchronize_session=False))
    with pytest.raises(DomainError, match="already been used"):
        accept_link(link, NEW_PASSWORDS[0])
    assert user.password_hash is None


@pytest.mark.parametrize("purpose", ["invite", "reset"])
def test_four_sessions_posting_one_link_at_once_set_the_password_once(app, tmp_path, purpose):
    """Real sessions on their own connections, posting together. On SQLite the database's write
    lock (BEGIN IMMEDIATE at each writing request's first statement) already serialises them; on
    PostgreSQL the conditional UPDATE does."""
    with app_on_a_copy(app, tmp_path, f"links_{purpose}") as copy:
        with copy.app_context():
            from app.extensions import db

            make = factories.Factory(db.session)
            if purpose == "invite":
                user, token = invite_user(email="race@test.nhs.uk", name="Race Condition", organisation=make.org(),
                                          roles=["auditor"])
            else:
                user = make.user("auditor", email="race@test.nhs.uk")
                token = reissue_link(user)
            db.session.commit()
            user_id = user.id
        clients = [copy.test_client() for _ in range(4)]
        for c in clients:
            assert c.get(f"/invite/{token}").status_code == 302  # the secret moves into each session

        def post(i: int):
            r = clients[i].post("/invite/set-password", data={"password": NEW_PASSWORDS[i], "confirm": NEW_PASSWORDS[i]})
            return r.status_code, r.headers.get("Location")

        answers = at_once(4, post)
        with copy.app_context():
            from app.accounts.models import User
            from app.accounts.passwords import verify_password
            from app.audit.models import AuditEvent

            accepted = [i for i, (status, location) in enumerate(answers) if status == 302]
            assert len(accepted) == 1, answers
            assert answers[accepted[0]][1] == "/dashboard"
            stored = db.session.get(User, user_id)
            assert verify_password(stored.password_hash, NEW_PASSWORDS[accepted[0]])
            entries = db.session.execute(select(AuditEvent).where(AuditEvent.action == f"user.{purpose}_accept",
                                                                  AuditEvent.object_id == str(user_id))).scalars().all()
            assert len(entries) == 1
