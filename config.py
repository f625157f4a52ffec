"""Configuration classes, read from the environment.

Every setting that differs between a laptop, CI and production comes from an environment
variable; the defaults are safe for local development only.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Heroku-style URLs name the old dialect; SQLAlchemy wants postgresql+psycopg.
        if url.startswith("postgres://"):
            url = "postgresql://" + url[len("postgres://"):]
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        return url
    instance = BASE_DIR / "instance"
    instance.mkdir(exist_ok=True)
    return f"sqlite:///{instance / 'exemplar.db'}"


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = _database_url()
    # hide_parameters: SQL errors never carry bound values (passwords, bid prices) into logs.
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    SQLALCHEMY_RECORD_QUERIES = False
    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so long forms never expire mid-typing
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    # Redis, shared by every app server: rate limits and sign-in throttling live there when set
    # (otherwise: rate limits in each process's memory, throttling counters in the database).
    REDIS_URL = os.environ.get("REDIS_URL") or None
    #: Every key this app writes to Redis starts with this, so deployments can share a server.
    REDIS_KEY_PREFIX = os.environ.get("REDIS_KEY_PREFIX", "exx:")
    # None: REDIS_URL when set, else memory:// (see finish_config).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or None
    RATELIMIT_HEADERS_ENABLED = True
    # Redis down: limits fall back to each process's memory rather than every request failing.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # The address the public reaches the service at: every absolute URL (CSV links, OCDS package
    # URIs, invitation links) is built on it, never on the request's Host header (app/urls.py).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    # Host names accepted besides PUBLIC_BASE_URL's (comma-separated); any other Host is refused (400).
    EXTRA_TRUSTED_HOSTS = [h.strip() for h in os.environ.get("EXTRA_TRUSTED_HOSTS", "").split(",") if h.strip()]
    # Personal API tokens expire: the default and the longest lifetime a user may choose, in days.
    API_TOKEN_DEFAULT_DAYS = int(os.environ.get("API_TOKEN_DEFAULT_DAYS", "90"))
    API_TOKEN_MAX_DAYS = int(os.environ.get("API_TOKEN_MAX_DAYS", "365"))
    OCDS_PREFIX = os.environ.get("OCDS_PREFIX", "ocds-exex01")
    HSTS = os.environ.get("HSTS", "0") == "1"
    # Behind a load balancer: how many proxies set X-Forwarded-For/-Proto (0 = none; trust nothing).
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    # A request body past this is refused (413) before it is read: uploads are at most 5 MB
    # (app/api/imports.py MAX_UPLOAD_BYTES), plus room for the rest of the form.
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024
    # Documents (app/storage, app/documents): where they are kept and how large they may be.
    # "local" keeps them under DOCUMENT_STORAGE_PATH (instance/documents); "s3" in a bucket of an
    # S3-compatible store shared by every app server (credentials as boto3 finds them).
    DOCUMENT_STORAGE = os.environ.get("DOCUMENT_STORAGE", "local")
    DOCUMENT_STORAGE_PATH = os.environ.get("DOCUMENT_STORAGE_PATH") or str(BASE_DIR / "instance" / "documents")
    DOCUMENT_S3_BUCKET = os.environ.get("DOCUMENT_S3_BUCKET") or None
    DOCUMENT_S3_ENDPOINT_URL = os.environ.get("DOCUMENT_S3_ENDPOINT_URL") or None
    DOCUMENT_S3_REGION = os.environ.get("DOCUMENT_S3_REGION") or None
    DOCUMENT_S3_PREFIX = os.environ.get("DOCUMENT_S3_PREFIX", "documents/")
    # The largest document a person may upload. Upload routes accept a request this much larger
    # than the general MAX_CONTENT_LENGTH (app/web `accepts_documents`); every other route keeps it.
    DOCUMENT_MAX_BYTES = int(os.environ.get("DOCUMENT_MAX_MB", "20")) * 1024 * 1024
    # A DOCX, XLSX, ODT or ODS is a zip: past these it is refused as a likely zip bomb.
    DOCUMENT_MAX_UNPACKED_BYTES = int(os.environ.get("DOCUMENT_MAX_UNPACKED_MB", "200")) * 1024 * 1024
    DOCUMENT_MAX_ENTRIES = int(os.environ.get("DOCUMENT_MAX_ENTRIES", "5000"))
    PAGE_SIZE = 25
    # Concentration alerts are not assessed for a category whose coverage (% of trusts in scope
    # whose system, or lack of one, is known) is below this.
    CONCENTRATION_MIN_COVERAGE = float(os.environ.get("CONCENTRATION_MIN_COVERAGE", "60"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    # Email (app/mail): "folder" writes every message to MAIL_FOLDER (default instance/mail/, listed
    # for admins at /admin/email/mailbox); "smtp" sends through SMTP_HOST; "notify" through GOV.UK
    # Notify with NOTIFY_API_KEY and a template NOTIFY_TEMPLATE_ID whose subject is ((subject)) and
    # body ((body)).
    MAIL_TRANSPORT = os.environ.get("MAIL_TRANSPORT", "folder")
    MAIL_FOLDER = os.environ.get("MAIL_FOLDER") or None
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Exemplar Exchange <no-reply@exchange.invalid>")
    SMTP_HOST = os.environ.get("SMTP_HOST") or None
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "587"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME") or None
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD") or None
    SMTP_STARTTLS = os.environ.get("SMTP_STARTTLS", "1") == "1"
    NOTIFY_API_KEY = os.environ.get("NOTIFY_API_KEY") or None
    NOTIFY_TEMPLATE_ID = os.environ.get("NOTIFY_TEMPLATE_ID") or None
    NOTIFY_BASE_URL = os.environ.get("NOTIFY_BASE_URL") or None
    # How jobs are carried (app/jobs/backends.py): "rq" (Redis; the default when REDIS_URL is set),
    # "thread" (this process; the default without Redis) or "manual" (tests: nothing until drained).
    JOBS_BACKEND = os.environ.get("JOBS_BACKEND") or None
    # Audit entries checked in one request of the audit pages' chain check (about a second's work).
    AUDIT_VERIFY_STEP = int(os.environ.get("AUDIT_VERIFY_STEP", "20000"))


class DevelopmentConfig(Config):
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    # `make run` is opened as http://127.0.0.1:5000 or http://localhost:5000.
    EXTRA_TRUSTED_HOSTS = [*Config.EXTRA_TRUSTED_HOSTS, "localhost", "127.0.0.1"]
    # http://127.0.0.1 has no TLS, so a Secure cookie would never come back.
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    PUBLIC_BASE_URL = "http://localhost"  # the test client's own host
    REDIS_URL = None  # tests that use Redis say so (tests/redis_support.py)
    JOBS_BACKEND = "manual"  # tests run queued work when they choose (app.jobs.drain)
    MAIL_FOLDER = os.path.join(tempfile.gettempdir(), f"exemplar-test-mail-{os.getpid()}")
    RATELIMIT_STORAGE_URI = None
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SESSION_PROTECTION = "basic"
    DOCUMENT_STORAGE = "local"
    # Apps a test makes itself keep documents out of instance/ (tests/conftest.py gives each run its own).
    DOCUMENT_STORAGE_PATH = os.path.join(tempfile.gettempdir(), "exemplar-test-documents")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class ProductionConfig(Config):
    HSTS = True

    def __init__(self) -> None:
        if self.SECRET_KEY == "dev-only-not-secret":
            raise RuntimeError("SECRET_KEY must be set in production")
        if not self.PUBLIC_BASE_URL:
            raise RuntimeError("PUBLIC_BASE_URL must be set in production (e.g. https://exchange.example.nhs.uk): "
                               "absolute links are built on it and other Host headers are refused")


def finish_config(config: dict) -> None:
    """Settings derived from others once the app's configuration (and any overrides) is known.

    - Rate limits are kept in Redis when REDIS_URL is set, so a limit holds for the whole
      deployment rather than for each worker.
    - TRUSTED_HOSTS (Flask refuses any other Host with 400) is PUBLIC_BASE_URL's host name plus
      EXTRA_TRUSTED_HOSTS.
    """
    from urllib.parse import urlsplit

    config["RATELIMIT_STORAGE_URI"] = config.get("RATELIMIT_STORAGE_URI") or config.get("REDIS_URL") or "memory://"
    config.setdefault("RATELIMIT_KEY_PREFIX", config.get("REDIS_KEY_PREFIX", "exx:") + "limits")
    base = config.get("PUBLIC_BASE_URL")
    if not base:
        return
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"PUBLIC_BASE_URL must be an http(s) address with a host name, like "
                           f"https://exchange.example.nhs.uk (not {base!r})")
    hosts = [parts.hostname, *config.get("EXTRA_TRUSTED_HOSTS", [])]
    config["TRUSTED_HOSTS"] = list(dict.fromkeys(h.lower() for h in hosts))


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
