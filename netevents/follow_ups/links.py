"""The stay-connected reminder's "I followed up" links: signed, expiring, and acting only on a POST.

A link names one side of one connection (person + connection). Opening it (GET) changes nothing, since mail
scanners open links; the page it shows has a button that POSTs, and the POST marks the side followed up with a
conditional UPDATE, so pressing it twice, or from two devices, marks it once.
"""

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired
from sqlalchemy import update

from netevents.db import utcnow
from netevents.errors import DomainError, NotFound
from netevents.extensions import db
from netevents.people.connections import connection_view
from netevents.people.models import ConnectionSide
from netevents.signing import timed_signer

_SALT = "netevents.followed-up"


def followed_up_url(user_id: int, connection_id: int) -> str:
    token = timed_signer(_SALT).dumps([user_id, connection_id])
    return f"{current_app.config['BASE_URL']}/followed-up/{token}"


def read_followed_up_token(token: str) -> tuple[int, int]:
    """(person, connection) a link names; 410 when it is too old, 404 when it was not made here."""
    max_age = current_app.config["FOLLOW_UP_LINK_DAYS"] * 86400
    try:
        user_id, connection_id = timed_signer(_SALT).loads(token, max_age=max_age)
    except SignatureExpired:
        raise DomainError(
            "link_expired",
            "This link is too old. Sign in and mark the connection as followed up in your list of connections.",
            status=410,
        ) from None
    except (BadSignature, ValueError, TypeError):
        raise NotFound("link") from None
    return int(user_id), int(connection_id)


def connection_named(token: str):
    """The connection a link names, as its person sees it now; 404 if it left their list (removed, blocked)."""
    user_id, connection_id = read_followed_up_token(token)
    view = connection_view(user_id, connection_id)
    if view is None:
        raise NotFound("connection")
    return user_id, view


def mark_followed_up(user_id: int, connection_id: int) -> None:
    """Mark their side followed up; already marked keeps its first time."""
    db.session.execute(
        update(ConnectionSide)
        .where(
            ConnectionSide.connection_id == connection_id,
            ConnectionSide.user_id == user_id,
            ConnectionSide.removed_at.is_(None),
            ConnectionSide.followed_up_at.is_(None),
        )
        .values(followed_up_at=utcnow())
    )
