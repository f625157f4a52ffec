"""What every request pays for is only what it needs (issue 20): the rate limiter looks only at the
views it limits, and a log line without a secret is not run through every redaction pattern —
while the sign-in limit still holds and every secret is still redacted."""
from __future__ import annotations

import json
import logging
import subprocess
import sys

from app.logging_setup import JsonFormatter, redact_text
from tests.security.test_shared_rate_limits import REPO, database, run_server, settings  # noqa: F401 (fixture)


HOOK = """
import json, sys
from app import create_app
from app.extensions import limiter
app = create_app("test", json.loads(sys.argv[1]))
print(json.dumps(any(f == limiter._check_request_limit for f in app.before_request_funcs.get(None, []))))
"""


def _limiter_hook_in(settings: dict) -> bool:
    """Whether an app made with these settings (in a process of its own: the limiter is one object
    per process) runs the limiter's check before every request."""
    result = subprocess.run([sys.executable, "-c", HOOK, json.dumps(settings)], cwd=REPO, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_limiter_checks_only_the_views_it_limits_and_the_sign_in_limit_holds(database):
    assert not _limiter_hook_in(settings(database))
    assert run_server(settings(database), 4) == [200, 200, 200, 429]  # the sign-in view checks its own limit


def test_a_default_limit_keeps_the_limiters_every_request_check(database):
    assert _limiter_hook_in(settings(database, RATELIMIT_DEFAULT="1000 per minute"))


def test_plain_text_is_left_alone_and_every_secret_still_redacted():
    assert redact_text("GET /organisations 200") == "GET /organisations 200"
    for text in ("token=abc123", "Authorization: Bearer abc.def", "password: hunter2", "/invite/AbCdEf123456",
                 '{"csrf_token": "x"}', "SESSION=xyz", "[parameters: ('hash', 1)]"):
        assert "[REDACTED]" in redact_text(text), text


def test_a_record_is_redacted_once_and_logged_whole():
    record = logging.getLogger("exemplar.test").makeRecord(
        "exemplar.test", logging.INFO, __file__, 1, "sign in with password=%s", ("hunter2",), None,
        extra={"api_key": "k-123", "status": 200})
    line = JsonFormatter().format(record)
    assert "hunter2" not in line and "k-123" not in line and '"status": 200' in line
    # Redacted at birth or not (the factory is installed by the first app made), an extra field
    # set after the factory ran is redacted by the formatter.
    from app.logging_setup import install_record_factory

    install_record_factory()
    record = logging.getLogger("exemplar.test").makeRecord(
        "exemplar.test", logging.INFO, __file__, 1, "token=%s", ("t-1",), None, extra={"session_id": "s-1"})
    assert record.exemplar_redacted and "t-1" not in record.getMessage()
    assert "s-1" not in JsonFormatter().format(record)
