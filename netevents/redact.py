"""Secrets kept out of the logs. Badge secrets (/b/..., /api/v1/badges/...), join-link secrets (/j/...), venue poster
secrets (/p/...) and the signed links of emails (/unsubscribe/..., /followed-up/...) travel in URL paths, and a client
may put a pairing code, a sign-in link's code or a token in a query string: each is a credential, so the access log writes "[redacted]" in its place.

gunicorn's access log goes through `RedactingGunicornLogger` (deploy/gunicorn.conf.py's `logger_class`),
the development server's through `RedactingFilter` on the "werkzeug" logger (`create_app`).
"""

import logging
import re

from gunicorn.glogging import Logger

REDACTED = "[redacted]"

_SLASH = r"(?:/|%2f)"
#: A path segment that is a secret: what follows /b/, /j/, /p/, /api/v1/badges/, /unsubscribe/ and /followed-up/, as sent
#: or percent-encoded (a URL inside a query string).
_SECRET_IN_PATH = re.compile(
    rf"({_SLASH}(?:b|j|p|api{_SLASH}v1{_SLASH}badges|unsubscribe|followed-up){_SLASH})(?:[^/?#&\s\"%]|%(?!2f)[0-9a-f]{{2}})+",
    re.IGNORECASE,
)
#: Query (or fragment) parameters that carry one, in a URL or a bare query string.
_SECRET_PARAMETERS = "code|pair|pairing_code|token|access_token|secret|qr|key|password|signature"
_SECRET_IN_QUERY = re.compile(rf"((?:^|[?&#;\s])(?:{_SECRET_PARAMETERS})=)[^&#;\s\"]*", re.IGNORECASE)
#: Request headers that are credentials themselves.
_SECRET_HEADERS = ("authorization", "cookie", "proxy-authorization")


def redact(text: str) -> str:
    """`text` (a URL, a request line, a log message) with the secrets in its URLs replaced."""
    if "/" not in text and "=" not in text:
        return text
    return _SECRET_IN_QUERY.sub(rf"\1{REDACTED}", _SECRET_IN_PATH.sub(rf"\1{REDACTED}", text))


def _add_filter(logger: logging.Logger) -> None:
    if not any(isinstance(existing, RedactingFilter) for existing in logger.filters):
        logger.addFilter(RedactingFilter())


#: Health probes (netevents/health.py), asked every few seconds by each load balancer: their successful answers
#: would bury the requests of people in the access log. A failed probe is logged like any request.
QUIET_PATHS = ("/healthz", "/readyz")


class RedactingGunicornLogger(Logger):
    """gunicorn's logger, whose access log atoms (request line, path, query, referrer, headers) are redacted, as
    are the URLs in its error log ("Error handling request /b/...", an invalid request line). Successful health
    probes are left out."""

    def setup(self, cfg):
        super().setup(cfg)
        _add_filter(self.error_log)

    def access(self, resp, req, environ, request_time):
        if environ.get("PATH_INFO") in QUIET_PATHS and str(resp.status).startswith("2"):
            return
        super().access(resp, req, environ, request_time)

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key, value in atoms.items():
            if not isinstance(value, str):
                continue
            if any(name in key for name in _SECRET_HEADERS):
                atoms[key] = REDACTED
            else:
                atoms[key] = redact(value)
        return atoms


class RedactingFilter(logging.Filter):
    """Redacts the records of a logger that writes request lines (Werkzeug's development server)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def redact_werkzeug_log() -> None:
    """Put the filter on Werkzeug's request log, once per process."""
    _add_filter(logging.getLogger("werkzeug"))
