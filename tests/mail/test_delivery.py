"""Email for real: a notification reaches a real SMTP server (aiosmtpd, started here) and GOV.UK
Notify's API (its official client against a local stand-in of the API), with absolute links built
on PUBLIC_BASE_URL; a transport that fails is retried and its error shown; preferences hold."""
from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from app import jobs
from app.accounts.emailing import email_user, set_choices
from app.accounts.roles import EXEMPLAR_MANAGER
from app.mail.models import EmailDelivery
from app.mail.transports import NotifyTransport, SmtpTransport

BASE = "https://exchange.example.nhs.uk"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


@pytest.fixture()
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


@pytest.fixture()
def base_url(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", BASE)
    return BASE


def _use(app, monkeypatch, transport):
    monkeypatch.setitem(app.extensions, "mail", transport)


def _invite(make, db_session):
    """A buyer's competition invitation reaches an exemplar manager: the real notify() path."""
    from app.competitions.notifications.services import notify

    manager = make.user(EXEMPLAR_MANAGER)
    notify([manager], "Invitation to bid: EPR go-live support", "You are invited to bid.",
           link="/competitions/42", kind="competition_invitation")
    db_session.commit()
    return manager


def test_a_notification_is_emailed_through_smtp_with_an_absolute_link(app, make, db_session, monkeypatch,
                                                                    smtp_server, base_url):
    controller, inbox = smtp_server
    _use(app, monkeypatch, SmtpTransport("127.0.0.1", controller.port, "Exemplar Exchange <no-reply@example.nhs.uk>",
                                         starttls=False))
    manager = _invite(make, db_session)
    jobs.drain()
    assert len(inbox.messages) == 1
    rcpt, msg = inbox.messages[0]
    assert rcpt == [manager.email] and msg["Subject"] == "Invitation to bid: EPR go-live support"
    text = msg.get_payload(decode=True).decode()
    assert f"Dear {manager.name}," in text and "You are invited to bid." in text
    assert f"{BASE}/competitions/42" in text and f"{BASE}/account/email" in text
    d = db_session.execute(select(EmailDelivery).where(EmailDelivery.user_id == manager.id)).scalar_one()
    assert d.status == "sent" and d.transport == "smtp" and d.reference == msg["Message-ID"]


def test_a_failed_delivery_is_recorded_retried_and_then_sent(app, make, db_session, monkeypatch, smtp_server, base_url):
    from datetime import timedelta

    from app import clock
    from app.models_base import utcnow

    controller, inbox = smtp_server
    dead = SmtpTransport("127.0.0.1", free_port(), "x@example.nhs.uk", starttls=False, timeout=2)
    _use(app, monkeypatch, dead)
    manager = _invite(make, db_session)
    jobs.drain()
    d = db_session.execute(select(EmailDelivery).where(EmailDelivery.user_id == manager.id)).scalar_one()
    db_session.refresh(d)
    assert d.status == "queued" and d.attempts == 1 and "ConnectionRefusedError" in d.error
    _use(app, monkeypatch, SmtpTransport("127.0.0.1", controller.port, "x@example.nhs.uk", starttls=False))
    later = utcnow() + timedelta(minutes=1)
    clock.set_source(lambda: later)
    try:
        jobs.drain()
    finally:
        clock.set_source(None)
    db_session.refresh(d)
    assert d.status == "sent" and d.attempts == 2 and d.error is None
    assert len(inbox.messages) == 1


class NotifyStandIn(BaseHTTPRequestHandler):
    """The part of GOV.UK Notify's API the client uses to send an email, checking its signed token."""

    received: list = []
    secret = ""
    service_id = ""

    def do_POST(self):  # noqa: N802 - http.server's name
        token = self.headers.get("Authorization", "").removeprefix("Bearer ")
        try:
            claims = jwt.decode(token, self.secret, algorithms=["HS256"])
            assert claims["iss"] == self.service_id
        except Exception:  # noqa: BLE001
            self.send_response(403)
            self.end_headers()
            return
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        NotifyStandIn.received.append((self.path, body))
        answer = json.dumps({"id": str(uuid.uuid4()), "reference": body.get("reference"),
                             "content": {"subject": body["personalisation"]["subject"],
                                         "body": body["personalisation"]["body"], "from_email": "x@notify"},
                             "uri": "", "template": {"id": body["template_id"], "version": 1, "uri": ""}}).encode()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


@pytest.fixture()
def notify_api():
    service_id, secret = str(uuid.uuid4()), str(uuid.uuid4())
    NotifyStandIn.received, NotifyStandIn.secret, NotifyStandIn.service_id = [], secret, service_id
    server = HTTPServer(("127.0.0.1", 0), NotifyStandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", f"exemplar_test-{service_id}-{secret}"
    server.shutdown()
    server.server_close()


def test_a_notification_is_emailed_through_gov_uk_notify_with_an_absolute_link(app, make, db_session, monkeypatch,
                                                                             notify_api, base_url):
    url, api_key = notify_api
    template = str(uuid.uuid4())
    _use(app, monkeypatch, NotifyTransport(api_key, template, base_url=url))
    manager = _invite(make, db_session)
    jobs.drain()
    assert len(NotifyStandIn.received) == 1
    path, body = NotifyStandIn.received[0]
    assert path == "/v2/notifications/email" and body["email_address"] == manager.email
    assert body["template_id"] == template and body["personalisation"]["subject"].startswith("Invitation to bid")
    assert f"{BASE}/competitions/42" in body["personalisation"]["body"]
    d = db_session.execute(select(EmailDelivery).where(EmailDelivery.user_id == manager.id)).scalar_one()
    assert d.status == "sent" and d.transport == "notify" and d.reference and body["reference"] == f"exx-{d.id}"


def test_a_wrong_notify_key_is_a_recorded_failure(app, make, db_session, monkeypatch, notify_api, base_url):
    url, api_key = notify_api
    wrong = api_key[:-36] + str(uuid.uuid4())
    _use(app, monkeypatch, NotifyTransport(wrong, str(uuid.uuid4()), base_url=url))
    manager = _invite(make, db_session)
    jobs.drain()
    d = db_session.execute(select(EmailDelivery).where(EmailDelivery.user_id == manager.id)).scalar_one()
    db_session.refresh(d)
    assert d.status == "queued" and d.attempts == 1 and "403" in d.error and not NotifyStandIn.received


def test_preferences_hold_a_message_for_the_digest_or_drop_it_but_never_a_required_one(make, db_session, base_url):
    user = make.user(EXEMPLAR_MANAGER)
    set_choices(user, {"evaluation_assigned": "daily", "general": "off", "award": "off"})
    assert email_user(user, "general", "Dropped", "x") is None
    held = email_user(user, "evaluation_assigned", "Evaluation to do", "Score the bids.", link="/competitions/7/evaluate")
    required = email_user(user, "award", "Awarded", "The award is made.")
    assert held.status == "held" and required.status == "queued"  # "off" is not a choice for awards
    db_session.commit()
    from app.accounts.emailing import send_digest

    send_digest(user.id)
    db_session.flush()
    db_session.refresh(held)
    digest = db_session.get(EmailDelivery, held.digest_id)
    assert held.status == "digested" and digest.status == "queued"
    assert "Evaluation to do" in digest.body and f"{BASE}/competitions/7/evaluate" in digest.body
