"""Configuration classes, read from the environment.

Every setting that differs between a laptop, CI and production comes from an environment
variable; the defaults are safe for local development only.
"""
from __future__ import annotations

import os
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
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    LOCKOUT_THRESHOLD = 5
    OCDS_PREFIX = os.environ.get("OCDS_PREFIX", "ocds-exex01")
    HSTS = os.environ.get("HSTS", "0") == "1"
    # Behind a load balancer: how many proxies set X-Forwarded-For/-Proto (0 = none; trust nothing).
    PROXY_FIX_HOPS = int(os.environ.get("PROXY_FIX_HOPS", "0"))
    # A request body past this is refused (413) before it is read: uploads are at most 5 MB
    # (app/api/imports.py MAX_UPLOAD_BYTES), plus room for the rest of the form.
    MAX_CONTENT_LENGTH = 6 * 1024 * 1024
    PAGE_SIZE = 25
    # Concentration alerts are not assessed for a category whose coverage (% of trusts in scope
    # whose system, or lack of one, is known) is below this.
    CONCENTRATION_MIN_COVERAGE = float(os.environ.get("CONCENTRATION_MIN_COVERAGE", "60"))
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")


class DevelopmentConfig(Config):
    # http://127.0.0.1 has no TLS, so a Secure cookie would never come back.
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SESSION_PROTECTION = "basic"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False


class ProductionConfig(Config):
    HSTS = True

    def __init__(self) -> None:
        if self.SECRET_KEY == "dev-only-not-secret":
            raise RuntimeError("SECRET_KEY must be set in production")


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
