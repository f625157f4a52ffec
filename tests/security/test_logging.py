"""Structured logs: JSON lines with the request id, and no secrets in them."""
from __future__ import annotations

import json
import logging
import re

import pytest

from app.accounts.services import user_by_email
from app.logging_setup import REDACTED, JsonFormatter, RedactingFilter, configure_logging, redact, redact_text
from tests.security.browser import new_browser

KEYS = {"time", "level", "logger", "message", "request_id", "user_id", "method", "path", "status", "duration_ms"}


@pytest.fixture()
def browser(app, db_session):
    return new_browser(app)


@pytest.fixture(autouse=True)
def app_loggers_at_their_own_level():
    """The app's loggers as the app configures them, whatever ran before in this worker (the browser
    tests' live server quietens the request log for the whole process); put back after."""
    loggers = [logging.getLogger(name) for name in ("exemplar.request", "exemplar.email", "werkzeug")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.NOTSET)
    yield
    for logger, level in zip(loggers, levels):
        logger.setLevel(level)


@pytest.mark.parametrize("text, secret", [
    ("Authorization: Bearer exx_live_abcdef123456", "exx_live_abcdef123456"),
    ("headers={'Authorization': 'Basic dXNlcjpwYXNzd29yZA=='}", "dXNlcjpwYXNzd29yZA=="),
    ("password=hunter2-but-longer&email=a@b.nhs.uk", "hunter2-but-longer"),
    ('{"new_password": "s3cret value", "name": "ok"}', "s3cret value"),
    ("{'csrf_token': 'IjQ5ZmY0'}", "IjQ5ZmY0"),
    ("price_pence=123456", "123456"),
    ("answer: We will deploy in six weeks, with two analysts", "We will deploy in six weeks"),
    ("GET /invite/Zm9vYmFyYmF6cXV4cXV1eA 302", "Zm9vYmFyYmF6cXV4cXV1eA"),
    ("session=eyJfZnJlc2giOnRydWV9.Zz", "eyJfZnJlc2giOnRydWV9"),
    ("[SQL: UPDATE users SET password_hash=?] [parameters: ('$argon2id$v=19$abc', 3)]\n(Background on this error",
     "$argon2id$v=19$abc"),
])
def test_secrets_in_log_text_are_redacted(text, secret):
    out = redact_text(text)
    assert secret not in out and REDACTED in out


def test_ordinary_messages_are_left_alone():
    for text in ("GET /organisations 200", "Password must be at least 12 characters", "basic information",
                 "GET /invite/set-password 200", "Sessions ended for bea@x.nhs.uk"):
        assert redact_text(text) == text


def test_values_under_sensitive_keys_are_redacted_at_any_depth():
    data = {"email": "a@b", "password": "x", "nested": [{"api_token": "t", "price": 5, "note": "token=abc"}]}
    assert redact(data) == {"email": "a@b", "password": REDACTED,
                            "nested": [{"api_token": REDACTED, "price": REDACTED, "note": f"token={REDACTED}"}]}


def _json_line(record: logging.LogRecord) -> dict:
    line = JsonFormatter().format(record)
    assert "\n" not in line
    return json.loads(line)


def test_a_log_line_is_one_json_object_with_every_field():
    logger = logging.getLogger("exemplar.test")
    record = logger.makeRecord("exemplar.test", logging.WARNING, __file__, 1, "hello %s", ("world",), None,
                               extra={"status": 200, "password": "nope", "detail": {"token": "t"}})
    RedactingFilter().filter(record)
    data = _json_line(record)
    assert KEYS <= set(data)
    assert data["message"] == "hello world" and data["level"] == "WARNING" and data["status"] == 200
    assert data["password"] == REDACTED and data["detail"] == {"token": REDACTED}
    assert data["time"].endswith("+00:00")


def test_a_traceback_in_a_log_line_has_no_sql_parameters():
    logger = logging.getLogger("exemplar.test")
    try:
        raise RuntimeError("[SQL: INSERT INTO bids] [parameters: (99999, 'our secret answer')]")
    except RuntimeError:
        import sys

        record = logger.makeRecord("exemplar.test", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    data = _json_line(record)
    assert "our secret answer" not in data["exception"] and "RuntimeError" in data["exception"]


def test_every_request_is_logged_as_json_with_its_request_id_and_user(app, browser, db_session, make, caplog):
    caplog.set_level(logging.INFO)
    user = make.user("follower_buyer")
    with browser.session_transaction() as s:
        s["_user_id"] = user.get_id()
    response = browser.get("/dashboard", headers={"X-Request-Id": "req-abc-123"})
    assert response.headers["X-Request-Id"] == "req-abc-123"
    (record,) = [r for r in caplog.records if r.name == "exemplar.request"]
    data = _json_line(record)
    assert data["request_id"] == "req-abc-123" and data["user_id"] == user.id
    assert (data["method"], data["path"], data["status"]) == ("GET", "/dashboard", 200)
    assert data["duration_ms"] >= 0


def test_a_forged_or_oversized_request_id_is_replaced(browser, caplog):
    caplog.set_level(logging.INFO)
    for given in ("x" * 500, 'abc" {"level": "CRITICAL"}', "../../etc/passwd"):
        response = browser.get("/", headers={"X-Request-Id": given})
        rid = response.headers["X-Request-Id"]
        assert rid != given and re.fullmatch(r"[0-9a-f]{16}", rid)


def test_structured_lines_reach_standard_error(app, browser, capfd):
    configure_logging(app)
    browser.get("/organisations", headers={"X-Request-Id": "stderr-check-1"})
    lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    assert any(d["request_id"] == "stderr-check-1" and d["path"] == "/organisations" for d in lines)


@pytest.fixture()
def statement_logging():
    """The database logs its statements and parameters (set before the test's connection opens)."""
    logger = logging.getLogger("sqlalchemy.engine")
    level = logger.level
    logger.setLevel(logging.INFO)
    yield
    logger.setLevel(level)


def test_no_password_token_or_bid_content_reaches_the_logs(statement_logging, app, browser, db_session, make,
                                                            caplog):
    """Sign in, use a bearer token, post forms full of secrets, open an invitation link and let the
    database log its statements: none of the secrets may appear in any log line."""
    caplog.set_level(logging.DEBUG)
    password = "correct horse battery staple"
    user = make.user("follower_buyer", email="logcheck@test.nhs.uk")
    new_password = "velvet harbour quantum meadow"
    bearer = "exx_" + "b3arer" * 6
    price, answer = "987654321", "Our confidential implementation approach"
    db_session.commit()

    assert browser.post("/sign-in", data={"email": user.email, "password": password}).status_code == 302
    browser.get("/organisations?password=leaked-in-query&token=query-token-999",
                headers={"Authorization": f"Bearer {bearer}"})
    browser.get("/api/v1/organisations", headers={"Authorization": f"Bearer {bearer}"})
    browser.post("/account/password", data={"current_password": password, "password": new_password,
                                             "confirm": new_password, "csrf_token": "csrf-secret-abc"})
    browser.post("/sign-in", data={"email": user.email, "password": new_password,
                                   "price": price, "answer": answer})
    admin = new_browser(app, user_by_email("admin@demo.exemplar.nhs.uk"))
    html = admin.post("/admin/users/invite", data={"name": "Lou Logs", "email": "lou.logs@test.nhs.uk",
                                                    "ods_code": "RBL", "roles": ["evaluator"]}).get_data(as_text=True)
    token = re.search(r"/invite/([A-Za-z0-9_\-]{20,})", html).group(1)
    invitee = new_browser(app)
    invitee.get(f"/invite/{token}")
    invitee.post("/invite/set-password", data={"password": new_password + " two", "confirm": new_password + " two"})
    logging.getLogger("exemplar.test").info("form=%s", {"password": password, "price": price, "answer": answer})
    hashes = [u.password_hash for u in (user, user_by_email("lou.logs@test.nhs.uk"))]

    assert any(r.name == "sqlalchemy.engine.Engine" for r in caplog.records)  # the database did log
    assert sum(r.name == "exemplar.request" for r in caplog.records) >= 8
    lines = caplog.text + "\n".join(JsonFormatter().format(r) for r in caplog.records)
    for secret in [password, new_password, bearer, price, answer, token, "leaked-in-query", "query-token-999",
                   "csrf-secret-abc", *hashes]:
        assert secret not in lines, secret
