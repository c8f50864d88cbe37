"""Who may call a view: the kind of token its `@access` names, checked before the view reads its body.

A request without a valid token is answered 401 before its body is parsed (so `{}` learns nothing about
the fields), and a valid token of the wrong kind 403 in words: a door station's token only scans, and a
person's token is not a door station's. Where a token is optional, one that is sent must be valid (401) and a
person's (403 for a station's): a mistyped or expired token is not quietly taken for none. An organizer's operation on `/events/<event_id>/...` also checks,
before the body, that the caller organizes that event (a station: that it is paired to it): 404 for a draft
they may not see, 403 for a public one, whatever they sent.
"""

import enum

from flask import request

from netevents.accounts.auth import bearer_token, current_user, require_user
from netevents.checkin.actors import NOT_PAIRED, is_station_token, paired_station
from netevents.errors import DomainError, Forbidden, Unauthorized
from netevents.events.services import get_organized_event

STATION_ONLY_SCANS = (
    "A door station can only scan badges, look them up and register walk-ins; sign in with your own account to do this."
)
NEEDS_STATION = (
    "This is for a paired door station: open /door on the phone at the door and pair it with the code "
    "an organizer shows; your own sign-in cannot do it."
)


class Token(enum.StrEnum):
    """Which bearer token an operation needs (`Authorization: Bearer <token>`)."""

    public = "public"
    optional = "optional"
    attendee = "attendee"
    organizer = "organizer"
    station = "station"
    any = "any"


class WrongToken(DomainError):
    """A valid token of a kind this operation does not take (RFC 6750's insufficient_scope)."""

    status = 403

    def __init__(self, code: str, message: str):
        super().__init__(code, message)
        self.headers = {"WWW-Authenticate": 'Bearer realm="netevents", error="insufficient_scope"'}


def admit(token: Token) -> None:
    """Let the request through to its view, or refuse it (401 or 403) for what its token is."""
    if token == Token.public:
        return
    sent = bearer_token()
    if token == Token.optional:
        # No token is fine; a token that is sent is checked like anywhere else, not taken for none, and so is an
        # Authorization header that is not a bearer token at all ("Basic ...", an empty "Bearer").
        if sent is None:
            if request.headers.get("Authorization", "").strip():
                raise Unauthorized("Send your token as 'Authorization: Bearer <token>', or no Authorization header.")
            return
        if is_station_token(sent):
            if paired_station() is None:
                raise Unauthorized(NOT_PAIRED)
            raise WrongToken("station_only_scans", STATION_ONLY_SCANS)
        require_user()
        return
    station = paired_station() if is_station_token(sent) else None
    if token == Token.station:
        if station is not None:
            return  # revoked too: the view answers that in its own words
        if current_user() is not None:
            raise WrongToken("station_token_needed", NEEDS_STATION)
        raise Unauthorized(NOT_PAIRED)
    event_id = (request.view_args or {}).get("event_id")
    if station is not None:
        if token == Token.any:
            if event_id is not None and event_id != station.event_id:
                raise Forbidden("This station is paired to another event.")
            return  # revoked too: its scans are logged, and refused
        raise WrongToken("station_only_scans", STATION_ONLY_SCANS)
    if token == Token.any and is_station_token(sent):
        raise Unauthorized(NOT_PAIRED)
    user = require_user()
    if event_id is not None and token in (Token.organizer, Token.any):
        get_organized_event(event_id, user)  # the view asks again for what it needs (the owner, a lock)
