"""The ways a message leaves: GOV.UK Notify, SMTP, or a folder of .eml files (development).

Each transport has `send(message) -> reference` and raises on failure (the job is then retried).
Chosen by MAIL_TRANSPORT: "notify" (NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID: a Notify email template
whose subject is ((subject)) and whose body is ((body))), "smtp" (SMTP_HOST …) or "folder" (the
default: instance/mail/, listed on the admins' mailbox page).
"""
from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    body: str
    #: Ours, for the transport's records (the delivery id).
    reference: str = ""


def as_email(message: Message, sender: str) -> EmailMessage:
    em = EmailMessage()
    em["From"] = sender
    em["To"] = message.to
    em["Subject"] = message.subject
    em["Date"] = formatdate(localtime=False, usegmt=True)
    em["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1].strip(">") or None)
    if message.reference:
        em["X-Exemplar-Reference"] = message.reference
    em.set_content(message.body)
    return em


class FolderTransport:
    """Writes each message as an .eml file (development: nothing leaves the machine)."""

    name = "folder"

    def __init__(self, folder: str | Path, sender: str):
        self.folder = Path(folder)
        self.sender = sender

    def send(self, message: Message) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        em = as_email(message, self.sender)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
        path = self.folder / f"{stamp}-{message.reference or 'message'}.eml"
        path.write_bytes(bytes(em))
        return path.name


class SmtpTransport:
    name = "smtp"

    def __init__(self, host: str, port: int, sender: str, *, username: str | None = None,
                 password: str | None = None, starttls: bool = True, timeout: float = 20):
        self.host, self.port, self.sender = host, port, sender
        self.username, self.password, self.starttls, self.timeout = username, password, starttls, timeout

    def send(self, message: Message) -> str:
        em = as_email(message, self.sender)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username:
                smtp.login(self.username, self.password or "")
            smtp.send_message(em)
        return str(em["Message-ID"])


class NotifyTransport:
    """GOV.UK Notify's email API through its official client; one template carries every message."""

    name = "notify"

    def __init__(self, api_key: str, template_id: str, base_url: str | None = None, timeout: float = 20):
        from notifications_python_client.notifications import NotificationsAPIClient

        kwargs = {"base_url": base_url} if base_url else {}
        self.client = NotificationsAPIClient(api_key, timeout=timeout, **kwargs)
        self.template_id = template_id

    def send(self, message: Message) -> str:
        answer = self.client.send_email_notification(
            email_address=message.to, template_id=self.template_id,
            personalisation={"subject": message.subject, "body": message.body},
            reference=message.reference or None)
        return str(answer.get("id", ""))


def make_transport(config: dict, instance_path: str):
    """The transport the configuration names."""
    kind = config.get("MAIL_TRANSPORT") or "folder"
    sender = config.get("MAIL_SENDER") or "Exemplar Exchange <no-reply@exchange.invalid>"
    if kind == "folder":
        return FolderTransport(config.get("MAIL_FOLDER") or Path(instance_path) / "mail", sender)
    if kind == "smtp":
        if not config.get("SMTP_HOST"):
            raise RuntimeError("MAIL_TRANSPORT=smtp needs SMTP_HOST")
        return SmtpTransport(config["SMTP_HOST"], int(config.get("SMTP_PORT") or 587), sender,
                             username=config.get("SMTP_USERNAME"), password=config.get("SMTP_PASSWORD"),
                             starttls=bool(config.get("SMTP_STARTTLS", True)))
    if kind == "notify":
        if not (config.get("NOTIFY_API_KEY") and config.get("NOTIFY_TEMPLATE_ID")):
            raise RuntimeError("MAIL_TRANSPORT=notify needs NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID")
        return NotifyTransport(config["NOTIFY_API_KEY"], config["NOTIFY_TEMPLATE_ID"], config.get("NOTIFY_BASE_URL"))
    raise RuntimeError(f"MAIL_TRANSPORT must be folder, smtp or notify, not {kind!r}")
