"""Settings, read from the environment (12-factor).

Every variable is documented in the README's configuration table.
"""

import os
from pathlib import Path

from netevents.ratelimit_storage import storage_uri, uses_redis

PROJECT_ROOT = Path(__file__).resolve().parent.parent
#: NETEVENTS_SMTP_SECURITY's values and the port each uses unless NETEVENTS_SMTP_PORT says otherwise.
SMTP_SECURITY_PORTS = {"starttls": 587, "tls": 465, "none": 25}


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _normalise_database_url(url: str) -> str:
    # Heroku-style URLs and bare "postgresql://" both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    """Defaults for a laptop or a single host; every value can be overridden by environment."""

    def __init__(self) -> None:
        self.INSTANCE_PATH = Path(os.environ.get("NETEVENTS_INSTANCE_PATH", PROJECT_ROOT / "instance"))
        self.SECRET_KEY = os.environ.get("NETEVENTS_SECRET_KEY")  # only for signing, never tokens
        self.BASE_URL = os.environ.get("NETEVENTS_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
        default_db = f"sqlite:///{self.INSTANCE_PATH / 'netevents.db'}"
        self.SQLALCHEMY_DATABASE_URI = _normalise_database_url(os.environ.get("DATABASE_URL", default_db))
        # A database server that does not answer within this many seconds (connecting, or a free connection of
        # the pool) gets the request a 503 with Retry-After rather than a hung worker (netevents/sqlite.py).
        self.DATABASE_CONNECT_TIMEOUT_SECONDS = float(os.environ.get("NETEVENTS_DB_CONNECT_TIMEOUT_SECONDS", "3"))
        self.MAIL_FROM = os.environ.get("NETEVENTS_MAIL_FROM", "netevents <no-reply@netevents.local>")
        self.MAILDIR_PATH = Path(os.environ.get("NETEVENTS_MAILDIR", self.INSTANCE_PATH / "mail"))
        # Delivery (docs/mail.md): to an SMTP server when NETEVENTS_SMTP_HOST is set, else into MAILDIR_PATH.
        self.SMTP_HOST = os.environ.get("NETEVENTS_SMTP_HOST", "").strip() or None
        self.SMTP_SECURITY = os.environ.get("NETEVENTS_SMTP_SECURITY", "starttls").strip().lower()
        if self.SMTP_SECURITY not in SMTP_SECURITY_PORTS:
            raise ValueError(
                f"NETEVENTS_SMTP_SECURITY is {self.SMTP_SECURITY!r}; use one of: {', '.join(SMTP_SECURITY_PORTS)}."
            )
        self.SMTP_PORT = int(os.environ.get("NETEVENTS_SMTP_PORT") or SMTP_SECURITY_PORTS[self.SMTP_SECURITY])
        self.SMTP_USER = os.environ.get("NETEVENTS_SMTP_USER") or None
        self.SMTP_PASSWORD = os.environ.get("NETEVENTS_SMTP_PASSWORD") or None  # never logged
        self.SMTP_TIMEOUT_SECONDS = float(os.environ.get("NETEVENTS_SMTP_TIMEOUT_SECONDS", "30"))
        # A failed attempt is retried after 1 minute, then 2, 4...; after the last attempt the email is failed.
        self.MAIL_MAX_ATTEMPTS = int(os.environ.get("NETEVENTS_MAIL_MAX_ATTEMPTS", "8"))
        self.MAIL_RETRY_SECONDS = float(os.environ.get("NETEVENTS_MAIL_RETRY_SECONDS", "60"))
        # Emails one worker claims at a time (over one SMTP connection), and how long it may hold them: a worker
        # that dies leaves its claim, which lapses after the lease and another worker sends them.
        self.MAIL_BATCH_SIZE = int(os.environ.get("NETEVENTS_MAIL_BATCH_SIZE", "100"))
        self.MAIL_LEASE_SECONDS = float(os.environ.get("NETEVENTS_MAIL_LEASE_SECONDS", "600"))
        # How long `flask mail work` sleeps when nothing is due.
        self.MAIL_IDLE_SECONDS = float(os.environ.get("NETEVENTS_MAIL_IDLE_SECONDS", "1"))
        # Rate-limit counters: by default a file every worker of this host shares (netevents/ratelimit_storage.py);
        # redis://host:6379/0 to share them between hosts. memory:// is per process: N workers, N times the limits.
        self.RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or storage_uri(
            self.INSTANCE_PATH / "ratelimits.db"
        )
        # Behind a reverse proxy every client comes from the proxy's address: say how many proxies in front of the
        # app set X-Forwarded-For and X-Forwarded-Proto, and the client's address is read from them (Werkzeug's
        # ProxyFix). 0, the default, trusts no such header: a client could name any address in it.
        self.TRUSTED_PROXY_HOPS = int(os.environ.get("NETEVENTS_TRUSTED_PROXIES", "0"))
        self.RATELIMIT_ENABLED = _bool("NETEVENTS_RATELIMIT_ENABLED", True)
        # SQLite: seconds between background checkpoints of the write-ahead log (db.WalCheckpointer); 0 leaves
        # them to the commits, as SQLite does by default.
        self.SQLITE_CHECKPOINT_SECONDS = float(os.environ.get("NETEVENTS_SQLITE_CHECKPOINT_SECONDS", "0.05"))
        # Follow-ups (netevents/follow_ups): "people you met" this long after an event ends, the stay-connected
        # nudge this many weeks after it; an email due longer ago than the catch-up window is not sent any more
        # (a job that was down, or newly deployed, does not mail about old events). Links in them last this long.
        self.FOLLOW_UP_DELAY_MINUTES = int(os.environ.get("NETEVENTS_FOLLOW_UP_DELAY_MINUTES", "120"))
        self.STAY_CONNECTED_WEEKS = int(os.environ.get("NETEVENTS_STAY_CONNECTED_WEEKS", "3"))
        self.FOLLOW_UP_CATCH_UP_DAYS = int(os.environ.get("NETEVENTS_FOLLOW_UP_CATCH_UP_DAYS", "7"))
        self.FOLLOW_UP_LINK_DAYS = int(os.environ.get("NETEVENTS_FOLLOW_UP_LINK_DAYS", "60"))
        self.MAGIC_LINK_TTL_MINUTES = int(os.environ.get("NETEVENTS_MAGIC_LINK_TTL_MINUTES", "30"))
        self.SESSION_TTL_DAYS = int(os.environ.get("NETEVENTS_SESSION_TTL_DAYS", "30"))
        self.MAX_CONTENT_LENGTH = int(os.environ.get("NETEVENTS_MAX_BODY_BYTES", str(1024 * 1024)))
        self.FRONTEND_DIST = Path(os.environ.get("NETEVENTS_FRONTEND_DIST", PROJECT_ROOT / "frontend" / "dist"))

    @property
    def RATELIMIT_STORAGE_OPTIONS(self) -> dict[str, float]:
        """Redis that does not answer within 2 s fails the limit's check instead of holding the request."""
        return {"socket_connect_timeout": 2, "socket_timeout": 2} if uses_redis(self.RATELIMIT_STORAGE_URI) else {}

    # While the rate-limit storage (Redis) is unreachable each process counts in its own memory, and goes back to
    # the storage once it answers: requests are neither refused nor let through without limits (docs/deploy.md).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True

    # Fixed settings, not meant to vary between deployments.
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    JSON_SORT_KEYS = False
    API_TITLE = "netevents"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "v1/openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    # Served from our own origin (copied from the swagger-ui-dist npm package by the frontend
    # build), so the docs work on a venue's dead network.
    OPENAPI_SWAGGER_UI_URL = "/static/vendor/swagger-ui/"
    RATELIMIT_HEADERS_ENABLED = True
    # flask-limiter would send Retry-After on every answer of a limited view, 200s included; only refusals
    # (429, 503) carry it here (errors.py), so its seconds-to-reset header goes by another name.
    RATELIMIT_HEADER_RETRY_AFTER = "X-RateLimit-Reset-After"
    RATELIMIT_STRATEGY = "moving-window"


class TestConfig(Config):
    """Settings for the test suite; the database URL comes from the test fixtures."""

    TESTING = True

    def __init__(self, instance_path: Path, database_url: str) -> None:
        super().__init__()
        self.INSTANCE_PATH = instance_path
        self.MAILDIR_PATH = instance_path / "mail"
        self.SMTP_HOST = None  # tests that use a mail server set it (tests/mail/test_delivery.py)
        self.SQLALCHEMY_DATABASE_URI = _normalise_database_url(database_url)
        self.RATELIMIT_ENABLED = False
        self.RATELIMIT_STORAGE_URI = storage_uri(instance_path / "ratelimits.db")
        self.SQLITE_CHECKPOINT_SECONDS = 0  # no thread per test app; tests/api/test_sqlite_checkpoints.py turns it on
        self.BASE_URL = "http://testserver"
