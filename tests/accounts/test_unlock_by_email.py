"""Self-service unlock: when failed sign-ins make an account wait, its owner gets one email with a
one-time link; following it (and pressing the button) lets them sign in at once; the link works
once, only its hash is stored, and the email keeps no copy of it once sent."""
from __future__ import annotations

import re

from sqlalchemy import select

from app import jobs
from app.accounts.models import UnlockLink
from app.accounts.throttling import PAIR
from app.mail.models import REDACTED, EmailDelivery

from tests.factories import PASSWORD


def _sign_in(client, email, password):
    return client.post("/sign-in", data={"email": email, "password": password})


def test_the_owner_of_a_locked_account_unlocks_it_with_the_emailed_link_once(client, make, db_session, app):
    user = make.user("exemplar_manager")
    db_session.commit()
    for n in range(PAIR.lock_at + 3):
        _sign_in(client, user.email, f"wrong {n}")
    assert _sign_in(client, user.email, PASSWORD).status_code == 429  # waiting, even with the right password

    sent = db_session.execute(select(EmailDelivery).where(EmailDelivery.user_id == user.id,
                                                          EmailDelivery.kind == "account")).scalars().all()
    assert len(sent) == 1  # one email, however many further failures
    link = re.search(r"http://localhost/account/unlock/(\S+)", sent[0].body)
    assert link and "Unlock your" in sent[0].subject
    token = link.group(1)
    stored = db_session.execute(select(UnlockLink).where(UnlockLink.user_id == user.id)).scalar_one()
    assert token not in stored.token_hash and len(stored.token_hash) == 64

    jobs.drain()  # sent: the message's copy of the link is dropped
    db_session.refresh(sent[0])
    assert sent[0].status == "sent" and sent[0].body == REDACTED

    opened = client.get(f"/account/unlock/{token}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith("/account/unlock")
    page = client.get("/account/unlock").get_data(as_text=True)
    assert "Unlock my account" in page  # a mail scanner fetching the link unlocks nothing
    assert _sign_in(client, user.email, PASSWORD).status_code == 429
    done = client.post("/account/unlock", data={})
    assert done.status_code == 302 and "/sign-in" in done.headers["Location"]
    assert _sign_in(client, user.email, PASSWORD).status_code == 302  # signed in
    assert client.get(f"/account/unlock/{token}").status_code == 404  # used: never again


def test_failures_on_an_unknown_email_send_nothing(client, db_session):
    before = db_session.execute(select(EmailDelivery.id)).all()
    for n in range(PAIR.lock_at + 1):
        _sign_in(client, "nobody@example.nhs.uk", f"wrong {n}")
    assert db_session.execute(select(EmailDelivery.id)).all() == before
