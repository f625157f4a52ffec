"""Support for the deadline rush load test: a scratch database with one competition and many
invited exemplars, gunicorn on loopback, and bidders that sign in and bid through the real forms.

Nothing here is a test; tests/security/test_deadline_rush.py drives it and checks the outcome.
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from sqlalchemy import select

from app import create_app
from app.extensions import db
from tests.security.server_db import wait_until_answering

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"  # tests/factories.py's password for every made user
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LATE = "has passed"
SECRET_KEY = "rush-test-secret"  # in the refusal shown when the response deadline has passed


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Server:
    """gunicorn with `workers` sync workers on loopback, in its own process group."""

    def __init__(self, database_url: str, log_file: Path, workers: int = 4):
        self.database_url, self.log_file, self.workers = database_url, log_file, workers
        self.proc: subprocess.Popen | None = None
        self.base = ""

    def start(self, deadline: float) -> None:
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = dict(os.environ)
        env.update(APP_ENV="development", DATABASE_URL=self.database_url, SECRET_KEY=SECRET_KEY,
                   LOGIN_RATE_LIMIT="10000 per minute", SESSION_COOKIE_SECURE="0", LOG_LEVEL="INFO")
        with open(self.log_file, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind", f"127.0.0.1:{port}",
                 "--backlog", "2048", "--timeout", "60", "--graceful-timeout", "3", "--no-control-socket",
                 "wsgi:app"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        wait_until_answering(self.proc, self.base, self.log_file, deadline)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)


@dataclass
class Rush:
    """What the setup made: the competition, its criteria and the bidders' e-mail addresses."""

    competition_id: int
    criteria: list[int]
    emails: list[str]


def build_competition(url: str, bidders: int, deadline: datetime, tag: str = "") -> Rush:
    """In the scratch database: a live framework lot, `bidders` admitted exemplar trusts each with an
    exemplar manager, and a competition inviting them all, open for responses until `deadline`.
    Made through the services (audited), committed before the server starts. `tag` (a letter)
    keeps the organisations and emails of a second rush in one database apart from the first's."""
    from app.accounts.roles import EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
    from app.competitions.setup import services as setup
    from app.registry.models import FrameworkCriterion
    from tests.factories import Factory

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        make = Factory(db.session)
        fw = make.framework(status="live", lots=1, min_invitees=3, clarification_days=0, response_days=10,
                            standstill_days=8, quality_weight_min=40, quality_weight_max=80, max_calloff_months=24)
        fw.criteria = [FrameworkCriterion(position=0, name="Capability"),
                       FrameworkCriterion(position=1, name="Approach")]
        db.session.flush()
        lot = fw.lots[0]
        buyer_org = make.org(f"RUSHB{tag}0", name=f"RUSH BUYER {tag} NHS TRUST")
        buyer = make.user(FOLLOWER_BUYER, org=buyer_org, email=f"rush{tag}-buyer@test.nhs.uk")
        evaluator = make.user(EVALUATOR, org=buyer_org, email=f"rush{tag}-evaluator@test.nhs.uk")
        orgs, emails = [], []
        for i in range(bidders):
            org = make.org(f"RUSH{tag}{i:03d}", name=f"RUSH EXEMPLAR {tag}{i} NHS TRUST")
            make.membership(lot, org)
            emails.append(make.user(EXEMPLAR_MANAGER, org=org, email=f"rush{tag}{i:03d}@test.nhs.uk").email)
            orgs.append(org)
        comp = setup.create_competition(buyer=buyer_org, lot=lot, title="Deadline rush (load test)",
                                        requirement="Bids in the last seconds.", actor=buyer, budget_pence=10_000_000)
        setup.set_invitees(comp, organisation_ids=[o.id for o in orgs], actor=buyer)
        setup.set_evaluators(comp, user_ids=[evaluator.id], actor=buyer)
        setup.publish(comp, actor=buyer)
        assert comp.status == "open", comp.status
        # The real clock drives the server: bring the working-day deadline down to `deadline`.
        comp.response_deadline = deadline
        db.session.commit()
        rush = Rush(comp.id, [c.id for c in comp.criteria], emails)
        db.engine.dispose()
    return rush


def move_deadline(url: str, competition_id: int, deadline: datetime) -> None:
    """Set the response deadline (once every bidder is signed in, so the rush is all in the last seconds)."""
    from app.competitions.models import Competition

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.session.get(Competition, competition_id).response_deadline = deadline
        db.session.commit()
        db.engine.dispose()


@dataclass
class Attempt:
    """One POST of the bid form, as the client saw it."""

    bidder: int
    key: str
    price_pence: int
    sent: datetime
    answered: datetime
    status: int
    late_refusal: bool
    repeat: bool  # the same key sent again on purpose


@dataclass
class Bidder:
    n: int
    email: str
    cookies: dict = field(default_factory=dict)
    token: str = ""


def sign_in(base: str, bidder: Bidder, competition_id: int) -> None:
    """Sign in through the real form, then open the bid page for the CSRF token."""
    s = requests.Session()
    token = CSRF.search(s.get(base + "/sign-in", timeout=30).text).group(1)
    r = s.post(base + "/sign-in", data={"csrf_token": token, "email": bidder.email, "password": PASSWORD},
               allow_redirects=False, timeout=30)
    assert r.status_code == 302, (bidder.email, r.status_code, r.text[:300])
    page = s.get(f"{base}/competitions/{competition_id}/bid", timeout=30)
    assert page.status_code == 200, page.status_code
    bidder.token = CSRF.search(page.text).group(1)
    bidder.cookies = s.cookies.get_dict()


def mint_sessions(url: str, bidders: list[Bidder], competition_id: int) -> None:
    """Sign bidders in the quick way: build each one's session cookie (Flask-Login's user id and
    "strong" protection identifier, and the CSRF secret) with the server's own session interface
    and secret key, as the sign-in form would. Argon2 verification of 100 passwords on a small
    machine would otherwise take longer than the rush itself."""
    from app.extensions import login_manager

    # create_app sets the shared LoginManager's protection ("strong" here): put the suite's back after.
    protection = login_manager.session_protection
    try:
        _mint(url, bidders, competition_id)
    finally:
        login_manager.session_protection = protection


def _mint(url: str, bidders: list[Bidder], competition_id: int) -> None:
    from flask import session
    from flask_login import login_user
    from flask_wtf.csrf import generate_csrf

    from app.accounts.models import User

    app = create_app("development", {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET_KEY})
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        emails = [b.email for b in bidders]
        ids = dict(db.session.execute(select(User.email, User.id).where(User.email.in_(emails))).all())
    for b in bidders:
        # One request context (and so one `g`) per bidder: Flask-WTF caches the token in `g`.
        with app.test_request_context(f"/competitions/{competition_id}/bid", environ_base={
                "REMOTE_ADDR": "127.0.0.1"}, headers={"User-Agent": requests.utils.default_user_agent()}):
            login_user(db.session.get(User, ids[b.email]))
            b.token = generate_csrf()
            b.cookies = {app.config["SESSION_COOKIE_NAME"]: serializer.dumps(dict(session))}
    with app.app_context():
        db.engine.dispose()


def post_bid(base: str, rush: Rush, bidder: Bidder, key: str, price_pence: int, repeat: bool) -> Attempt:
    """Send the bid form once (its own connection and session copy, so repeats can race)."""
    s = requests.Session()
    s.cookies.update(bidder.cookies)
    pounds = f"{price_pence // 100}.{price_pence % 100:02d}"
    data = {"csrf_token": bidder.token, "price": pounds, "offer_version": "", "documents": f"Rush {key}",
            "idempotency_key": key}
    data.update({f"answer_{cid}": f"Answer of bidder {bidder.n} ({key[:8]})" for cid in rush.criteria})
    sent = utc_now()
    r = s.post(f"{base}/competitions/{rush.competition_id}/bid", data=data, allow_redirects=False, timeout=60)
    status = r.status_code
    if status == 302 and not r.headers.get("Location", "").endswith(f"/competitions/{rush.competition_id}/bid"):
        status = -302  # redirected elsewhere (to sign in, say): not a received bid
    return Attempt(bidder.n, key, price_pence, sent, utc_now(), status,
                   r.status_code == 200 and LATE in r.text, repeat)


#: Answers of a load balancer whose app server went away: the form may or may not have been stored.
UNANSWERED = (502, 503, 504)


def run_bidder(base: str, rush: Rush, bidder: Bidder, deadline: datetime, revisions: int, out: list,
               lock: threading.Lock, errors: list, resend_unanswered: bool = False) -> None:
    """Revise the bid `revisions` times in the last seconds, send the second revision twice at once
    with one idempotency key, repeat the last key later, and try once more after the deadline;
    stop at the first "the deadline has passed" (as a person would). With `resend_unanswered`, a
    form answered 502/503/504 (its server died) is sent again once, with the same key, as a
    person seeing an error page would press the button again."""
    import random

    rnd = random.Random(bidder.n)
    # Spread the revisions over the last 8 s, the last try up to 1.5 s after the deadline.
    times = sorted(rnd.uniform(-8.0, -0.3) for _ in range(revisions)) + [rnd.uniform(0.0, 1.5)]
    mine: list[Attempt] = []
    try:
        for i, offset in enumerate(times):
            wait = (deadline + timedelta(seconds=offset) - utc_now()).total_seconds()
            if wait > 0:
                time.sleep(wait)
            key, price = uuid.uuid4().hex, 1_000_000 + bidder.n * 1000 + i
            if i == 0:  # a double-click: the same form sent twice at once
                twin: list[Attempt] = []
                t = threading.Thread(target=lambda: twin.append(post_bid(base, rush, bidder, key, price, True)))
                t.start()
                mine.append(post_bid(base, rush, bidder, key, price, False))
                t.join(timeout=90)
                mine.extend(twin)
            else:
                mine.append(post_bid(base, rush, bidder, key, price, False))
            if resend_unanswered and mine[-1].status in UNANSWERED:
                time.sleep(0.2)
                mine.append(post_bid(base, rush, bidder, key, price, True))
            if mine[-1].late_refusal:
                break  # told the deadline has passed: a person stops here
            if i == revisions - 1 and mine[-1].status == 302:  # a retry of a form that was answered
                mine.append(post_bid(base, rush, bidder, key, price, True))
    except Exception as e:  # noqa: BLE001 - reported by the test
        with lock:
            errors.append(f"bidder {bidder.n}: {e!r}")
    with lock:
        out.extend(mine)


def stored(url: str, competition_id: int) -> tuple[list, list]:
    """The competition's bids (email, revision, price, submitted_at, status) and revisions
    (email, number, key, price, created_at, action), read through the models (aware UTC times)."""
    from app.accounts.models import User
    from app.competitions.models import Bid, BidRevision

    app = create_app("test", {"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        emails = dict(db.session.execute(select(User.id, User.email)).all())
        bids = db.session.execute(select(Bid).where(Bid.competition_id == competition_id)).unique().scalars().all()
        by_id = {b.id: emails[b.submitted_by_id] for b in bids}
        bid_rows = [(by_id[b.id], b.revision, b.price_pence, b.submitted_at, b.status) for b in bids]
        revs = db.session.execute(select(BidRevision).where(BidRevision.bid_id.in_(list(by_id)))).scalars().all()
        rev_rows = [(by_id[r.bid_id], r.number, r.idempotency_key, r.price_pence, r.created_at, r.action)
                    for r in revs]
        db.engine.dispose()
    return bid_rows, rev_rows


