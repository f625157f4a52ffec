"""Structured logs: one JSON object per line, every line of a request carrying its request id.

``configure_logging(app)`` sends the root logger to standard error through ``JsonFormatter``. Each
line has ``time`` (UTC, ISO 8601), ``level``, ``logger``, ``message``, ``request_id``, ``user_id``,
``method``, ``path``, ``status`` and ``duration_ms`` (the last five are null outside a request or
when not known), plus any ``extra=`` fields, and ``exception`` with the traceback when there is one.

Secrets never reach a log. Every record is redacted when it is *created* (a log record factory), so
every handler sees the redacted text, including pytest's and gunicorn's: the values of keys that
name a secret or a bid's content (password, token, secret, authorization, cookie, csrf_token,
api_key, price, answer …) in ``key=value``, ``key: value`` and JSON text, in dict arguments and in
``extra`` fields; ``Bearer …`` credentials; the secret in an invitation link's path
(``/invite/<secret>``); and SQLAlchemy's ``[parameters: …]`` in error messages and tracebacks.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import datetime, timezone
from typing import Any

from flask import g, has_request_context, request
from sqlalchemy import inspect

REDACTED = "[REDACTED]"

#: A key whose value must not be logged: the name contains one of these words.
SENSITIVE_WORDS = ("password", "passwd", "token", "secret", "authorization", "cookie", "csrf",
                   "api_key", "apikey", "price", "answer", "session")
_WORDS = "|".join(SENSITIVE_WORDS)
_KEY = rf"[\w\-]*(?:{_WORDS})[\w\-]*"

_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    # "Authorization: Basic dXNlcjpwYXNz" (scheme and credential), then any "Bearer abc"
    (re.compile(r"""(?i)(authorization["']?\s*[:=]\s*["']?)[A-Za-z]+\s+[^\s"',;&]+"""), r"\1" + REDACTED),
    (re.compile(r"(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/=]+"), r"\1 " + REDACTED),
    # JSON and Python reprs: "password": "x", 'token': 'x', "price": 123
    (re.compile(rf"""(?i)(["']{_KEY}["']\s*:\s*)(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^,}}\]\s]+)"""),
     r"\1'" + REDACTED + "'"),
    # key=value (query strings, form bodies, our own messages)
    (re.compile(rf"(?i)\b({_KEY})(\s*=\s*)(?:\"[^\"]*\"|'[^']*'|[^\s&,;]+)"), r"\1\2" + REDACTED),
    # "key: value" is free text: everything to the end of the line, or to a comma or semicolon
    (re.compile(rf"(?i)\b({_KEY})(\s*:\s*)(?!\s*\[REDACTED\])[^\n,;]+"), r"\1\2" + REDACTED),
    # the one-time link's secret travels in its path
    (re.compile(r"(/invite/)(?!set-password\b)[A-Za-z0-9_\-]{8,}"), r"\1" + REDACTED),
    # SQLAlchemy puts the statement's parameters (password hashes, prices …) in its error messages
    (re.compile(r"\[parameters: .*?\](?=\s*(?:\n|\(Background|$))", re.S), "[parameters: " + REDACTED + "]"),
]

_SENSITIVE_KEY = re.compile(rf"(?i)^{_KEY}$")
#: Text none of the patterns above can match: no sensitive word, no credential scheme, no invite
#: link, no SQL parameters. One search of it spares the seven substitutions on most log lines (a
#: request's line is "GET /organisations 200").
_MAY_HOLD_A_SECRET = re.compile(rf"(?i){_WORDS}|bearer|/invite/|\[parameters: ")


def is_sensitive_key(key: Any) -> bool:
    return isinstance(key, str) and bool(_SENSITIVE_KEY.match(key))


def redact_text(text: str) -> str:
    """The text with every secret the patterns know replaced by [REDACTED]."""
    if not _MAY_HOLD_A_SECRET.search(text):
        return text
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact(value: Any, _depth: int = 0) -> Any:
    """A copy of a value with secrets redacted: dict values under sensitive keys, and secrets in text."""
    if _depth > 6 or value is None or isinstance(value, (bool, int, float)):
        return value  # a number holds no secret (a price's is its key, redacted by name)
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {k: (REDACTED if is_sensitive_key(k) else redact(v, _depth + 1)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(redact(v, _depth + 1) for v in value)
    return value


#: The attributes every LogRecord has; anything else came from ``extra=``.
_STANDARD = (set(vars(logging.LogRecord("x", 0, "x", 0, "x", None, None)))
             | {"message", "asctime", "taskName", "exemplar_request", "exemplar_redacted"})


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    """Redact a record in place: its message (formatted now), its extra fields and its traceback.
    The message once (the record factory's); the extra fields every time, since `extra=` is set on
    a record after the factory made it (a number, the usual extra, costs nothing)."""
    if not getattr(record, "exemplar_redacted", False):
        _redact_message(record)
    for key in set(vars(record)) - _STANDARD:
        value = getattr(record, key)
        setattr(record, key, REDACTED if is_sensitive_key(key) else redact(value))
    return record


def _redact_message(record: logging.LogRecord) -> None:
    try:
        message = record.getMessage()
    except Exception:  # a bad format string must not lose the line
        message = f"{record.msg!r} {record.args!r}"
    if record.args and any(isinstance(a, dict) for a in (record.args if isinstance(record.args, tuple)
                                                         else (record.args,))):
        # dict arguments: redact by key before they are turned into text
        args = redact(record.args if isinstance(record.args, tuple) else record.args)
        try:
            message = str(record.msg) % args
        except Exception:
            pass
    if record.name.startswith("sqlalchemy.engine") and message.startswith("["):
        # The engine's INFO lines after each statement are its parameters: never logged.
        message = message.split("]", 1)[0] + "] " + REDACTED
    record.msg = redact_text(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = redact_text("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    record.exemplar_redacted = True


class RedactingFilter(logging.Filter):
    """The same redaction as a filter, for a handler added outside configure_logging."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def _request_fields() -> dict[str, Any]:
    """request_id, user_id, method and path of the request being served, if any."""
    if not has_request_context():
        return {}
    # Flask-Login keeps the loaded user in g. Its id is read from the identity map, never from the
    # object, which may be expired: loading it would log a statement from inside the logging.
    user_id = None
    user = g.get("_login_user")
    if user is not None:
        state = inspect(user, raiseerr=False)
        if state is not None and state.identity:
            user_id = state.identity[0]
    return {"request_id": g.get("request_id"), "user_id": user_id, "method": request.method,
            "path": redact_text(request.path)}


_NOT_EXTRA = frozenset(_STANDARD | {"request_id", "user_id", "method", "path", "status", "duration_ms"})


class JsonFormatter(logging.Formatter):
    """One JSON object per line (see the module docstring for the keys)."""

    FIELDS = ("request_id", "user_id", "method", "path", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
        }
        # A record made in this process was redacted at birth (install_record_factory); one made
        # elsewhere (another factory, unpickled) is redacted here.
        done = getattr(record, "exemplar_redacted", False)
        message = record.getMessage()
        data["message"] = message if done else redact_text(message)
        context = getattr(record, "exemplar_request", None) or _request_fields()
        for key in self.FIELDS:
            value = getattr(record, key, None)
            data[key] = redact(value) if value is not None else context.get(key)
        for key in sorted(set(vars(record)) - _NOT_EXTRA):
            value = getattr(record, key)
            data[key] = REDACTED if is_sensitive_key(key) else redact(value)
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text(self.formatException(record.exc_info))
        if record.exc_text:
            data["exception"] = record.exc_text
        return json.dumps(data, default=str, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (a test's capture, a redirected stream)."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


_installed = False


def install_record_factory() -> None:
    """Make every log record in this process redacted at birth (once per process)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs):
        record = previous(*args, **kwargs)
        # Taken now, while the request is being served: a handler may format the line later.
        record.exemplar_request = _request_fields()
        return redact_record(record)

    logging.setLogRecordFactory(factory)
    _installed = True


def configure_logging(app) -> None:
    """JSON lines on standard error at the configured level, with redaction; safe to call again."""
    install_record_factory()
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_exemplar", False):
            root.removeHandler(handler)
    handler = _StderrHandler()
    # No RedactingFilter here: the record factory redacted the message and JsonFormatter redacts
    # the extra fields (the filter did both a second time on every line).
    handler.setFormatter(JsonFormatter())
    handler._exemplar = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
