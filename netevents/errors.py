"""One error envelope: every failure leaves as RFC 9457 problem details with a `reason` code."""

import logging

import marshmallow as ma
from flask import Flask, current_app, request
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from netevents.extensions import db
from netevents.schemas import MAX_ID

log = logging.getLogger(__name__)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class DomainError(Exception):
    """A business rule said no. `code` is stable and machine-readable; `message` is for people."""

    status = 409

    def __init__(self, code: str, message: str, status: int | None = None, field: str | None = None, **extra):
        super().__init__(message)
        self.code = code
        self.message = message
        if status is not None:
            self.status = status
        self.field = field
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


# HTTP status -> (reason, title) for errors raised by Flask, Werkzeug or webargs.
_HTTP_REASONS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "body_too_large",
    415: "unsupported_media_type",
    422: "invalid_input",
    429: "rate_limited",
}


def problem(status: int, reason: str, detail: str, title: str | None = None, headers=None, **extra):
    body = {
        "type": f"/problems/{reason}",
        "title": title or reason.replace("_", " ").capitalize(),
        "status": status,
        "detail": detail,
        "instance": request.path,
        "reason": reason,
        **extra,
    }
    response = current_app.json.response(body)
    response.status_code = status
    response.content_type = PROBLEM_CONTENT_TYPE
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _flatten_messages(messages) -> dict[str, list[str]]:
    """webargs nests errors by location ({"json": {"email": [...]}}); clients want field -> messages."""
    flat: dict[str, list[str]] = {}

    def walk(prefix: str, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            flat.setdefault(prefix or "_schema", []).extend(value)
        else:
            flat.setdefault(prefix or "_schema", []).append(str(value))

    for location, fields in (messages or {}).items():
        if isinstance(fields, dict):
            walk("", fields)
        else:
            walk(location, fields)
    return flat


def handle_domain_error(error: DomainError):
    # What the service flushed before saying no must not survive into anything else this context does.
    db.session.rollback()
    extra = dict(error.extra)
    if error.field:
        extra["errors"] = {error.field: [error.message]}
    return problem(error.status, error.code, error.message, **extra)


def handle_http_exception(error: HTTPException):
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    # 429: flask-limiter adds Retry-After and the X-RateLimit-* headers itself; the door's own budget
    # (checkin/budget.py) raises TooManyRequests with its Retry-After.
    retry_after = getattr(error, "retry_after", None)
    if retry_after:
        headers["Retry-After"] = str(retry_after)
    if status >= 500:
        return problem(status, "server_error", "Something went wrong on our side; the error was logged.")
    messages = data.get("messages") or data.get("errors")
    if messages:
        errors = _flatten_messages(messages)
        # webargs files an unparsable body under its location: {"json": ["Invalid JSON body."]}.
        if any("Invalid JSON" in m for m in errors.get("json", []) + errors.get("_schema", [])):
            return problem(400, "malformed_json", "The request body is not valid JSON.", headers=headers)
        fields = ", ".join(sorted(errors))
        return problem(
            422,
            "invalid_input",
            f"Some fields are not valid: {fields}. See 'errors' for how to fix each.",
            headers=headers,
            errors=errors,
        )
    reason = _HTTP_REASONS.get(status, "http_error")
    own_words = error.description != type(error).description  # raised with a message meant for people
    detail = (
        error.description
        if own_words and status == 429
        else {
            404: "Nothing here. Check the address.",
            405: f"{request.method} is not allowed here.",
            413: f"The request body is too large; the limit is {current_app.config['MAX_CONTENT_LENGTH']} bytes.",
            415: "Send the body as the documented content type (usually application/json).",
            429: "Too many requests; wait a moment and try again.",
        }.get(status, error.description or error.name)
    )
    return problem(status, reason, detail, title=error.name, headers=headers)


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
        return problem(404, "not_found", "Nothing here. Check the address.", title="Not Found")
    return problem(422, "invalid_input", "A value you sent is out of range; check the numbers and lengths.")


def handle_operational_error(error: OperationalError):
    db.session.rollback()
    log.exception("database unavailable")
    return problem(
        503,
        "database_unavailable",
        "The database is busy or unavailable; try again in a moment.",
        headers={"Retry-After": "2"},
    )


def handle_unexpected(error: Exception):
    db.session.rollback()
    log.exception("unhandled error")
    return handle_http_exception(InternalServerError())


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(DomainError, handle_domain_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(DataError, handle_data_error)
    app.register_error_handler(OperationalError, handle_operational_error)
    app.register_error_handler(Exception, handle_unexpected)
