"""What mail does when another domain changes something (netevents/signals.py)."""

from sqlalchemy import delete, func, select

from netevents import signals
from netevents.accounts.models import User
from netevents.extensions import db
from netevents.mail.models import OutgoingEmail


def erase_mail_of_leaving_person(_sender, *, user_id: int) -> None:
    """The outbox forgets every email to them, and every email their requests sent to others (invitations
    carrying their name), sent or not."""
    email = db.session.scalar(select(User.email).where(User.id == user_id))
    db.session.execute(
        delete(OutgoingEmail).where(
            (func.lower(OutgoingEmail.to_address) == email) | (OutgoingEmail.sender_id == user_id)
        )
    )


def connect_signals() -> None:
    signals.account_deleting.connect(erase_mail_of_leaving_person)
