"""The one way mail leaves netevents: send_email() queues it; it is delivered after the commit.

Queuing writes an outbox row in the caller's transaction, so an email exists only if what caused
it was committed, and a rolled-back request sends nothing. After the commit the rows queued by
that transaction are claimed (queued -> sending with a conditional update, so two processes never
both deliver one row) and handed to the delivery backend, once the transaction has ended and given
its connection back. `flask deliver-mail` retries leftovers.
"""

import logging
import mailbox
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from netevents.db import utcnow
from netevents.extensions import db
from netevents.mail.models import MailStatus, OutgoingEmail

log = logging.getLogger(__name__)

_PENDING = "netevents_pending_mail"
_COMMITTED = "netevents_committed_mail"


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
    category: str | None = None,
    unsubscribe_url: str | None = None,
) -> OutgoingEmail | None:
    """Queue an email; returns None when one with this dedupe_key was already queued.

    `sender_id`: the person whose request sends it to someone else, `event_id` the event it is for, and
    `allowance` what it counts against (mail/allowance.py checks before sending).
    `category`: a non-essential email's category (mail/preferences.py; None: essential, like sign-in links and
    confirmations), with the person's one-click `unsubscribe_url`; the caller checks they did not turn it off.
    """
    if category and not unsubscribe_url:
        raise ValueError("an email with a category needs its unsubscribe_url")
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
    if category:
        _add_unsubscribe_headers(message, unsubscribe_url)
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
    db.session.info.setdefault(_PENDING, []).append(row.id)
    return row


def _add_unsubscribe_headers(message: EmailMessage, url: str | None) -> None:
    # RFC 8058: a mail client that shows "Unsubscribe" POSTs "List-Unsubscribe=One-Click" to the URL, no cookies.
    message["List-Unsubscribe"] = f"<{url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"


def deliver_queued(ids: list[int] | None = None) -> int:
    """Claim and deliver queued emails (all of them, or just `ids`); returns how many were sent."""
    sent = 0
    with db.engine.connect() as connection:
        query = select(OutgoingEmail.id).where(OutgoingEmail.status == MailStatus.queued).order_by(OutgoingEmail.id)
        if ids is not None:
            query = query.where(OutgoingEmail.id.in_(ids))
        candidate_ids = connection.scalars(query).all()
        connection.rollback()
        for email_id in candidate_ids:
            if _deliver_one(connection, email_id):
                sent += 1
    return sent


def _deliver_one(connection, email_id: int) -> bool:
    with connection.begin():
        claimed = connection.execute(
            update(OutgoingEmail)
            .where(OutgoingEmail.id == email_id, OutgoingEmail.status == MailStatus.queued)
            .values(status=MailStatus.sending, attempts=OutgoingEmail.attempts + 1)
        ).rowcount
        message = (
            connection.scalar(select(OutgoingEmail.message).where(OutgoingEmail.id == email_id)) if claimed else None
        )
    if not claimed:
        return False  # another process has it
    try:
        _deliver_to_maildir(message)
    except OSError as error:
        log.warning("mail %s not delivered: %s", email_id, error)
        with connection.begin():
            connection.execute(
                update(OutgoingEmail)
                .where(OutgoingEmail.id == email_id)
                .values(status=MailStatus.queued, last_error=str(error)[:2000])
            )
        return False
    with connection.begin():
        connection.execute(
            update(OutgoingEmail)
            .where(OutgoingEmail.id == email_id)
            .values(status=MailStatus.sent, sent_at=utcnow(), last_error=None)
        )
    return True


def _deliver_to_maildir(message: bytes) -> None:
    path = Path(current_app.config["MAILDIR_PATH"])
    # Maildir(create=True) makes the folder before its tmp/new/cur: a second worker that finds the folder
    # would write into a tmp/ that is not there yet.
    for folder in ("tmp", "new", "cur"):
        (path / folder).mkdir(parents=True, exist_ok=True)
    mailbox.Maildir(path, create=True).add(message)


def _mark_committed(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending:
        session.info.setdefault(_COMMITTED, []).extend(pending)


def _deliver_after_transaction(session: Session, transaction) -> None:
    # Not in after_commit: there the session still holds its connection, and delivering takes a
    # second one; with as many busy threads as the pool has connections, each would wait for another's.
    if transaction.parent is not None:
        return
    committed = session.info.pop(_COMMITTED, None)
    if committed:
        try:
            deliver_queued(committed)
        except Exception:  # delivery must never fail a request that has already committed
            log.exception("mail delivery after commit failed; `flask deliver-mail` will retry")


def _forget_after_rollback(session: Session, _previous_transaction) -> None:
    session.info.pop(_PENDING, None)


def init_mail(app) -> None:
    """Deliver what a transaction queued once it has committed and ended; forget it if it rolls back."""
    if not event.contains(Session, "after_commit", _mark_committed):
        event.listen(Session, "after_commit", _mark_committed)
        event.listen(Session, "after_transaction_end", _deliver_after_transaction)
        event.listen(Session, "after_soft_rollback", _forget_after_rollback)
