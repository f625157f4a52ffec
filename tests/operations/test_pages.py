"""What the admins see of the running service: failed jobs with their errors (and trying one
again), failed email deliveries, and the development mailbox with every message written."""
from __future__ import annotations

from sqlalchemy import select

from app import jobs
from app.accounts.roles import COMMERCIAL_ADMIN, EXEMPLAR_MANAGER
from app.jobs.models import JobRun
from app.mail.models import EmailDelivery
from app.mail.transports import FolderTransport, SmtpTransport


def _page(client, url):
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code)
    return r.get_data(as_text=True)


def test_a_delivery_that_keeps_failing_is_shown_to_admins_with_its_error_and_can_be_tried_again(
        app, client, as_role, make, db_session, monkeypatch):
    from app.accounts.emailing import email_user

    monkeypatch.setitem(app.extensions, "mail", SmtpTransport("127.0.0.1", 1, "x@example.nhs.uk", starttls=False,
                                                              timeout=1))
    user = make.user(EXEMPLAR_MANAGER)
    d = email_user(user, "award", "The contract has been awarded", "See the outcome.")
    db_session.commit()
    run = db_session.execute(select(JobRun).where(JobRun.key == f"mail.send:{d.id}")).scalar_one()
    run.max_attempts = 1  # give up at the first failure
    db_session.commit()
    jobs.drain()
    db_session.refresh(d)
    assert d.status == "failed" and "ConnectionRefusedError" in d.error

    as_role(COMMERCIAL_ADMIN)
    dash = _page(client, "/dashboard")
    assert "1 background job failed" in dash and "1 email could not be delivered" in dash
    page = _page(client, "/admin/jobs")
    assert f"mail.send:{d.id}" in page and "ConnectionRefusedError" in page
    email = _page(client, "/admin/email")
    assert user.email in email and "The contract has been awarded" in email and "Could not be delivered: 1" in email

    monkeypatch.setitem(app.extensions, "mail", FolderTransport(app.config["MAIL_FOLDER"], "x@example.nhs.uk"))
    r = client.post(f"/admin/jobs/{run.id}/retry", data={})
    assert r.status_code == 302
    jobs.drain()
    db_session.refresh(d)
    assert d.status == "sent" and d.transport == "folder"
    assert "job.retry" in _page(client, "/audit/")


def test_the_mailbox_lists_every_message_written_and_shows_it(app, client, as_role, make, db_session):
    from app.accounts.emailing import email_user

    user = make.user(EXEMPLAR_MANAGER)
    email_user(user, "competition_invitation", "Invitation to bid: mailbox test", "You are invited.",
               link="/competitions/3")
    db_session.commit()
    jobs.drain()
    as_role(COMMERCIAL_ADMIN)
    box = _page(client, "/admin/email/mailbox")
    assert "Invitation to bid: mailbox test" in box
    name = box.split("/admin/email/mailbox/")[1].split('"')[0]
    one = _page(client, f"/admin/email/mailbox/{name}")
    assert "You are invited." in one and "http://localhost/competitions/3" in one and user.email in one
    assert client.get("/admin/email/mailbox/..%2Fetc%2Fpasswd").status_code == 404
