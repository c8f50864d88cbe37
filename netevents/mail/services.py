"""The one way mail leaves netevents: send_email() queues it; a worker delivers it after the commit.

Queuing writes an outbox row in the caller's transaction, so an email exists only if what caused
it was committed, and a rolled-back request sends nothing. Workers (`flask mail work`, or
`flask mail send-due` from cron) deliver the committed rows (netevents/mail/delivery.py); no request
waits for a mail server.
"""

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app
from sqlalchemy import select

from netevents.extensions import db
from netevents.mail.models import OutgoingEmail


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str  # "text/calendar"


def send_email(
    to: str,
    subject: str,
    text: str,
    *,
    html: str | None = None,
    attachments: tuple[Attachment, ...] = (),
    dedupe_key: str | None = None,
    sender_id: int | None = None,
    event_id: int | None = None,
    allowance: str | None = None,
) -> OutgoingEmail | None:
    """Queue an email; returns None when one with this dedupe_key was already queued.

    `sender_id`: the person whose request sends it to someone else, `event_id` the event it is for, and
    `allowance` what it counts against (mail/allowance.py checks before sending).
    """
    if dedupe_key and db.session.scalar(select(OutgoingEmail.id).where(OutgoingEmail.dedupe_key == dedupe_key)):
        return None
    # A header is one line. Titles and names are checked for line breaks at input (netevents.schemas), but one
    # stored before that must not make every email that quotes it fail (Python refuses such a header).
    subject = " ".join(subject.split())
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="netevents.local")
    message.set_content(text)
    if html:
        message.add_alternative(html, subtype="html")
    for attachment in attachments:
        maintype, subtype = attachment.mime_type.split("/", 1)
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    row = OutgoingEmail(
        to_address=to,
        subject=subject,
        dedupe_key=dedupe_key,
        message=bytes(message),
        sender_id=sender_id,
        event_id=event_id,
        allowance=allowance,
    )
    db.session.add(row)
    db.session.flush()
    return row
