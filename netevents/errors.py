"""One error envelope: every failure leaves as RFC 9457 problem details with a `reason` code."""

import logging
import math
import time
from urllib.parse import quote

import marshmallow as ma
import redis
from flask import Flask, current_app, request
from flask_limiter import RateLimitExceeded
from marshmallow.exceptions import SCHEMA
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from netevents.extensions import db, limiter
from netevents.paths import MAX_URL_LENGTH
from netevents.schemas import MAX_ID

log = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class DomainError(Exception):
    """A business rule said no. `code` is stable and machine-readable; `message` is for people."""

    status = 409
    #: Headers the answer carries besides the problem (e.g. WWW-Authenticate).
    headers: dict[str, str] | None = None

    def __init__(
        self,
        code: str,
        message: str,
        status: int | None = None,
        field: str | None = None,
        headers: dict[str, str] | None = None,
        **extra,
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status
        self.field = field
        self.headers = headers or {}  # e.g. Retry-After on a 429
        self.extra = extra


class NotFound(DomainError):
    status = 404

    def __init__(self, what: str = "resource"):
        super().__init__("not_found", f"No such {what}, or you are not allowed to see it.")


class Unauthorized(DomainError):
    status = 401

    def __init__(self, message: str = "Sign in first: send 'Authorization: Bearer <token>'."):
        super().__init__("unauthorized", message)


class Forbidden(DomainError):
    status = 403

    def __init__(self, message: str = "You are not allowed to do this."):
        super().__init__("forbidden", message)


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details (documentation only: `required` says what every problem has)."""

    class Meta:
        # RFC 9457 3.2: problems may carry extension members (e.g. "rows" of a rejected CSV file).
        unknown = ma.INCLUDE

    type = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    status = ma.fields.Integer(required=True)
    detail = ma.fields.String(required=True)
    instance = ma.fields.String(required=True)
    reason = ma.fields.String(required=True, metadata={"description": "Stable machine-readable reason code"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Field name -> messages, for invalid input"},
    )


# HTTP status -> reason, for errors raised by Flask, Werkzeug or webargs.
_HTTP_REASONS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    414: "url_too_long",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}

#: A problem's title says its type (RFC 9457 3.1.3), so each reason has one spelling, whoever answers it:
#: these, or the reason itself in words ("station_revoked" -> "Station revoked").
TITLES = {
    "bad_request": "Bad request",
    "malformed_json": "Malformed JSON",
    "duplicate_key": "Duplicate key",
    "duplicate_parameter": "Duplicate query parameter",
    "unauthorized": "Unauthorized",
    "forbidden": "Forbidden",
    "not_found": "Not found",
    "method_not_allowed": "Method not allowed",
    "not_acceptable": "Not acceptable",
    "conflict": "Conflict",
    "body_too_large": "Body too large",
    "url_too_long": "URL too long",
    "unsupported_media_type": "Unsupported media type",
    "invalid_input": "Invalid input",
    "rate_limited": "Too many requests",
    "server_error": "Server error",
    "database_unavailable": "Database unavailable",
    "rate_limits_unavailable": "Rate limits unavailable",
    "http_error": "HTTP error",
}


def title_for(reason: str) -> str:
    return TITLES.get(reason) or reason.replace("_", " ").capitalize()


def _www_authenticate() -> str:
    """RFC 6750 3: the challenge of every 401; `invalid_token` when a token was sent and is not (or no longer)
    good."""
    sent = request.headers.get("Authorization", "").partition(" ")[0].lower() == "bearer"
    return 'Bearer realm="netevents", error="invalid_token"' if sent else 'Bearer realm="netevents"'


def _instance() -> str:
    """The request's path as a URI reference (RFC 9457 3.1.5): what a client sent in it, NUL or a line break
    included, goes back percent-encoded, never as it is."""
    return quote(request.path, safe="/:@!$&'()*+,;=-._~")


def problem(status: int, reason: str, detail: str, headers=None, **extra):
    body = {
        "type": f"/problems/{reason}",
        "title": title_for(reason),
        "status": status,
        "detail": detail,
        "instance": _instance(),
        "reason": reason,
        **extra,
    }
    response = current_app.json.response(body)
    response.status_code = status
    response.content_type = PROBLEM_CONTENT_TYPE
    if status == 401:
        response.headers["WWW-Authenticate"] = _www_authenticate()
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten_messages(messages) -> tuple[dict[str, list[str]], list[str]]:
    """webargs nests errors by location ({"json": {"email": [...]}}); clients want field -> messages. What
    marshmallow says about a whole object (under its internal `_schema` key) goes to the field holding that
    object, or, for the body itself, to the second value: messages about the request as a whole."""
    flat: dict[str, list[str]] = {}
    general: list[str] = []

    def walk(prefix: str, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(prefix if key == SCHEMA else f"{prefix}.{key}" if prefix else str(key), inner)
            return
        found = value if isinstance(value, list) and all(isinstance(item, str) for item in value) else [str(value)]
        (flat.setdefault(prefix, []) if prefix else general).extend(found)

    for location, fields in (messages or {}).items():
        if isinstance(fields, dict):
            walk("", fields)
        else:
            walk(location, fields)
    return flat, general


def handle_domain_error(error: DomainError):
    # What the service flushed before saying no must not survive into anything else this context does.
    db.session.rollback()
    extra = dict(error.extra)
    if error.field:
        extra["errors"] = {error.field: [error.message]}
    return problem(error.status, error.code, error.message, headers=error.headers, **extra)


def _seconds(seconds: int) -> str:
    return "1 second" if seconds == 1 else f"{seconds} seconds"


def _rate_limited(error: RateLimitExceeded) -> tuple[str, int]:
    """What flask-limiter refused, in words (`rate_limit`'s `what`), and the seconds until it would not."""
    breached = limiter.current_limit
    retry_after = max(1, math.ceil(breached.reset_at - time.time())) if breached else 60
    what = error.description if error.limit.error_message else "Too many requests from this address"
    return f"{what}: try again in {_seconds(retry_after)}.", retry_after


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    # Werkzeug's own headers (405's Allow, a TooManyRequests' Retry-After), not the HTML page's type.
    headers = {name: value for name, value in error.get_headers() if name.lower() != "content-type"}
    headers.update(data.get("headers") or {})
    if status >= 500:
        return problem(status, "server_error", "Something went wrong on our side; the error was logged.")
    messages = data.get("messages") or data.get("errors")
    if messages:
        errors, general = _flatten_messages(messages)
        # webargs files an unparsable body under its location: {"json": ["Invalid JSON body."]}.
        if any("Invalid JSON" in m for m in errors.get("json", []) + general):
            return problem(400, "malformed_json", "The request body is not valid JSON.", headers=headers)
        if not errors:
            detail = f"The request as a whole is not valid: {' '.join(general)} Send a JSON object with the documented fields."
            return problem(422, "invalid_input", detail, headers=headers)
        fields = ", ".join(sorted(errors))
        return problem(
            422,
            "invalid_input",
            f"Some fields are not valid: {fields}. See 'errors' for how to fix each.",
            headers=headers,
            errors=errors,
        )
    reason = _HTTP_REASONS.get(status, "http_error")
    if isinstance(error, RateLimitExceeded):
        detail, retry_after = _rate_limited(error)
        return problem(status, reason, detail, headers={**headers, "Retry-After": str(retry_after)})
    own_words = error.description != type(error).description  # raised with a message meant for people
    detail = (
        error.description
        if own_words and status == 429
        else {
            404: "Nothing here. Check the address.",
            405: f"{request.method} is not allowed here; this address takes {headers.get('Allow', 'other methods')}.",
            413: f"The request body is too large; the limit is {current_app.config['MAX_CONTENT_LENGTH']} bytes.",
            414: f"The address is too long; path and query string together may have {MAX_URL_LENGTH} characters.",
            415: "Send the body as the documented content type (usually application/json).",
            429: "Too many requests; wait a moment and try again.",
        }.get(status, error.description or error.name)
    )
    return problem(status, reason, detail, headers=headers)


def handle_integrity_error(error: IntegrityError):
    # A unique or foreign-key constraint caught what a service's checks did not (usually a race).
    db.session.rollback()
    log.info("integrity error turned into 409: %s", error.orig)
    return problem(409, "conflict", "This conflicts with existing data (it may already exist); reload and try again.")


def handle_data_error(error: DataError):
    # The database refused a value the schemas let through, typically an id in the URL beyond its
    # integer range (PostgreSQL refuses it; SQLite would just find nothing): the request's fault, 4xx.
    db.session.rollback()
    log.info("data error turned into 4xx: %s", error.orig)
    if any(isinstance(value, int) and not 0 <= value <= MAX_ID for value in (request.view_args or {}).values()):
        return problem(404, "not_found", "Nothing here. Check the address.")
    return problem(422, "invalid_input", "A value you sent is out of range; check the numbers and lengths.")


#: Seconds a client waits before trying again while the database is unreachable.
DATABASE_RETRY_AFTER_SECONDS = 2


def _roll_back_quietly() -> None:
    """Give the request's connection back; with the database gone that can fail too, and must not become a 500."""
    try:
        db.session.rollback()
    except DBAPIError as error:
        log.info("rollback after a database error failed too: %s", error.orig)


def database_unavailable():
    return problem(
        503,
        "database_unavailable",
        "The database is busy or unavailable; try again in a moment.",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


def handle_operational_error(error: OperationalError):
    # The server is down or restarting, refused the connection, or dropped it (SQLite: locked past its timeout).
    # One line, not a traceback per request, while it lasts; the pool replaces dead connections by itself.
    _roll_back_quietly()
    first_line = next(iter(str(error.orig or error).strip().splitlines()), "")
    log.warning("database unavailable: %s", first_line)
    return database_unavailable()


def handle_dbapi_error(error: DBAPIError):
    """A connection that died under a statement ("connection is closed", an invalidated connection) is the
    database being away, like an OperationalError; any other driver error is a bug, answered as one."""
    if isinstance(error, InterfaceError) or error.connection_invalidated:
        _roll_back_quietly()
        log.warning("database connection lost: %s", error.orig)
        return database_unavailable()
    return handle_unexpected(error)


def handle_rate_limit_storage_error(error: redis.RedisError):
    # Redis, which keeps the rate limits of several hosts, does not answer (flask-limiter then counts in memory
    # for its own checks; a view that counts its own budget meets the error here).
    log.warning("rate-limit storage unavailable: %s", error)
    return problem(
        503,
        "rate_limits_unavailable",
        "The service is briefly unable to count requests; try again in a moment.",
        headers={"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)},
    )


def handle_unexpected(error: Exception):
    _roll_back_quietly()
    log.exception("unhandled error")
    return handle_http_exception(InternalServerError())


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(OperationalError, handle_operational_error)
    app.register_error_handler(DBAPIError, handle_dbapi_error)
    app.register_error_handler(redis.ConnectionError, handle_rate_limit_storage_error)
    app.register_error_handler(redis.TimeoutError, handle_rate_limit_storage_error)
    app.register_error_handler(Exception, handle_unexpected)
