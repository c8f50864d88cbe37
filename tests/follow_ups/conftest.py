from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from netevents.db import utcnow
from netevents.extensions import db
from netevents.mail.models import OutgoingEmail
from tests.people.conftest import Phone

#: When the after-event emails are due (the default delay is 2 hours) and the stay-connected one (3 weeks).
AFTER = timedelta(hours=2, minutes=1)
WEEKS_LATER = timedelta(weeks=3, minutes=1)


def queued() -> dict[str, EmailMessage]:
    """The queued follow-ups, parsed, by recipient (registration confirmations left out)."""
    db.session.expire_all()
    rows = db.session.scalars(
        select(OutgoingEmail).where(OutgoingEmail.dedupe_key.like("follow-up:%")).order_by(OutgoingEmail.id)
    )
    return {row.to_address: message_from_bytes(row.message, policy=policy.default) for row in rows}


def bodies(message: EmailMessage) -> tuple[str, str]:
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def attachment(message: EmailMessage) -> str | None:
    """The vCard file attached, its folded lines unfolded; None without one."""
    for part in message.iter_attachments():
        content = part.get_content()
        return (content if isinstance(content, str) else content.decode()).replace("\r\n ", "")
    return None


@pytest.fixture
def meetup(client, make):
    """A published meetup that started half an hour ago; `person(name)` registers someone with a phone."""
    start = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    event = make.event(title="Platform Night", starts_at=start, ends_at=start + timedelta(hours=3))

    def person(name, *, came=True, **profile):
        email = f"{name.split()[0].lower()}@example.org"
        phone = Phone(client, make, make.registration(event, name=name, email=email, **profile))
        if came:
            phone.registration.checked_in_at = utcnow()
            db.session.commit()
        return phone

    return event, person
