"""The error answers the OpenAPI document declares: which statuses an operation can answer, and how.

Every error leaves as RFC 9457 problem details (`errors.problem`); `reason` is the stable code.
"""

from netevents.errors import PROBLEM_CONTENT_TYPE, ProblemSchema

#: Tokens that may be refused as not valid (401: those that must be sent, and an optional one that is sent but
#: is not valid); a valid one of the wrong kind is refused (403), as is an organizer's token on another
#: organizer's event.
TOKEN_NEEDED = ("optional", "attendee", "organizer", "station", "any")
TOKEN_MAY_BE_REFUSED = ("optional", "attendee", "organizer", "station", "any")

_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    },
}

_WWW_AUTHENTICATE = {
    "WWW-Authenticate": {
        "description": 'The Bearer challenge (RFC 6750): `Bearer realm="netevents"`, with `error="invalid_token"` '
        "when the token sent is not (or no longer) valid.",
        "schema": {"type": "string"},
    },
}

#: status -> (component name, description, headers)
_PROBLEMS = {
    400: (
        "BadRequest",
        (
            "The request cannot be used: its JSON body is empty (`empty_body`), malformed (`malformed_json`), "
            "names a key twice in one object (`duplicate_key`) or is nested too deep (`body_too_deep`), a query "
            "parameter is sent twice (`duplicate_parameter`), or a code in it is not valid (`reason` says which)."
        ),
        None,
    ),
    401: (
        "Unauthorized",
        (
            "No token, or one that is not valid (expired or revoked), or wrong credentials; answered before the "
            "body is read."
        ),
        _WWW_AUTHENTICATE,
    ),
    403: (
        "Forbidden",
        (
            "The token is valid, but it may not do this: a door station's token on a person's operation "
            "(`station_only_scans`) or a person's on a station's (`station_token_needed`), not an organizer of "
            "this event, a revoked station."
        ),
        None,
    ),
    404: ("NotFound", "No such thing, or you are not allowed to see it.", None),
    409: (
        "Conflict",
        "A rule of the domain or existing data says no (`reason` says which); nothing was changed.",
        None,
    ),
    410: ("Gone", "It existed but is no more (e.g. the badge of a cancelled registration).", None),
    413: ("BodyTooLarge", "The request body is over the server's limit (`body_too_large`).", None),
    415: ("UnsupportedMediaType", "Send the body with the documented content type.", None),
    429: ("RateLimited", "Too many requests (`rate_limited`); wait as Retry-After says.", _RETRY_AFTER),
    503: (
        "Unavailable",
        (
            "The database is busy or unavailable (`database_unavailable`); try again after "
            "Retry-After seconds. Nothing was changed."
        ),
        _RETRY_AFTER,
    ),
}

RESPONSE_NAMES = {status: name for status, (name, _, _) in _PROBLEMS.items()}


def problem_responses() -> dict[str, dict]:
    """Response components by name, each problem details."""
    responses = {}
    for name, description, headers in _PROBLEMS.values():
        response = {"description": description, "content": {PROBLEM_CONTENT_TYPE: {"schema": ProblemSchema}}}
        if headers:
            response["headers"] = headers
        responses[name] = response
    return responses


def problem_statuses(
    operation: dict, method: str, path: str, *, token: str | None, rate_limited: bool, declared: list[int]
) -> list[int]:
    """The error statuses `operation` can answer, besides the 422 flask-smorest documents for its input."""
    statuses = set(declared)
    body = operation.get("requestBody", {}).get("content", {})
    if body:
        statuses.add(413)
    if "application/json" in body:
        statuses.update((400, 415))
    if any(parameter.get("in") == "query" for parameter in operation.get("parameters", [])):
        statuses.add(400)  # a query parameter sent twice
    if token in TOKEN_NEEDED:
        statuses.add(401)
    if token in TOKEN_MAY_BE_REFUSED:
        statuses.add(403)
    if "{" in path:
        statuses.add(404)
    if method in ("post", "put", "patch", "delete"):
        statuses.add(409)  # a domain rule, or a unique constraint meeting a concurrent request
    if rate_limited:
        statuses.add(429)
    statuses.add(503)
    return sorted(statuses)
