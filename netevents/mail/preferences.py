"""Which categories of email a person gets (accounts.models.EmailCategory), and one-click unsubscribe (RFC 8058).

Every email of a category carries a link to /unsubscribe/<token>: the token is signed (netevents/signing.py) and
names the person and the category, so the link works without a session or a cookie, from a mail client's
one-click POST as well as from a browser. Turning a category off is an `INSERT ... ON CONFLICT DO NOTHING` of an
opt-out row, so doing it twice, or at once from two places, leaves one row.
"""

from collections.abc import Collection, Mapping

from flask import current_app
from itsdangerous import BadSignature
from sqlalchemy import delete, select

from netevents.accounts.models import EmailCategory, EmailOptOut, User
from netevents.db import execute_in_dialect, insert_unless_present, table_of, utcnow
from netevents.errors import NotFound
from netevents.extensions import db
from netevents.signing import signer

_SALT = "netevents.unsubscribe"
_OPT_OUT = insert_unless_present(table_of(EmailOptOut), "user_id", "category")


def unsubscribe_url(user_id: int, category: EmailCategory) -> str:
    """The one-click link that turns `category` off for the person, for List-Unsubscribe and the footer."""
    token = signer(_SALT).dumps([user_id, category.value])
    return f"{current_app.config['BASE_URL']}/unsubscribe/{token}"


def read_unsubscribe_token(token: str) -> tuple[User, EmailCategory]:
    """The person and category a link names; 404 if it was not made here or its person is gone."""
    try:
        user_id, category = signer(_SALT).loads(token)
        category = EmailCategory(category)
    except (BadSignature, ValueError, TypeError):
        raise NotFound("unsubscribe link") from None
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("unsubscribe link")
    return user, category


def unsubscribe(user_id: int, category: EmailCategory) -> None:
    """Turn one category off; already off changes nothing."""
    execute_in_dialect(_OPT_OUT, {"user_id": user_id, "category": category.value, "created_at": utcnow()})


def set_email_preferences(user: User, choices: Mapping[str, bool]) -> None:
    """Turn the named categories on (True) or off (False); the others stay as they are."""
    for category, wanted in choices.items():
        if wanted:
            db.session.execute(
                delete(EmailOptOut).where(EmailOptOut.user_id == user.id, EmailOptOut.category == category)
            )
        else:
            unsubscribe(user.id, EmailCategory(category))
    db.session.expire(user, ["email_opt_outs"])


def opted_out(user_ids: Collection[int], category: EmailCategory) -> set[int]:
    """Of these people, those who turned `category` off."""
    if not user_ids:
        return set()
    return set(
        db.session.scalars(
            select(EmailOptOut.user_id).where(EmailOptOut.user_id.in_(user_ids), EmailOptOut.category == category)
        )
    )
