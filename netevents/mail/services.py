"""The one way mail leaves netevents: send_email() queues it; a worker delivers it after the commit.

Queuing writes an outbox row in the caller's transaction, so an email exists only if what caused
it was committed, and a rolled-back request sends nothing. Workers (`flask mail work`, or
`flask mail send-due` from cron) deliver the committed rows (netevents/mail/delivery.py); no request
waits for a mail server.
"""

from email.message import EmailMessage

from sqlalchemy import select

from netevents.extensions import db
from netevents.mail.compose import Attachment, InlineImage, compose_message
from netevents.mail.models import OutgoingEmail


def send_email(
    to: str,
    subject: str,
    text: str,
    *,
    html: str | None = None,
    to_name: str | None = None,
    from_name: str | None = None,
    inline_images: tuple[InlineImage, ...] = (),
    attachments: tuple[Attachment, ...] = (),
    dedupe_key: str | None = None,
    sender_id: int | None = None,
    event_id: int | None = None,
    allowance: str | None = None,
    category: str | None = None,
    unsubscribe_url: str | None = None,
) -> OutgoingEmail | None:
    """Queue an email; returns None when one with this dedupe_key was already queued.

    `to`: one address, shown with `to_name`; `from_name`: the From name (mail/compose.py: on_behalf_of), MAIL_FROM's
    by default. `sender_id`: the person whose request sends it to someone else, `event_id` the event it is for, and
    `allowance` what it counts against (mail/allowance.py checks before sending).
    `category`: a non-essential email's category (mail/preferences.py; None: essential, like sign-in links and
    confirmations), with the person's one-click `unsubscribe_url`; the caller checks they did not turn it off.
    """
    if category and not unsubscribe_url:
        raise ValueError("an email with a category needs its unsubscribe_url")
    if dedupe_key and db.session.scalar(select(OutgoingEmail.id).where(OutgoingEmail.dedupe_key == dedupe_key)):
        return None
    message = compose_message(
        to,
        subject,
        text,
        html=html,
        to_name=to_name,
        from_name=from_name,
        inline_images=inline_images,
        attachments=attachments,
    )
    if category:
        _add_unsubscribe_headers(message, unsubscribe_url)
    row = OutgoingEmail(
        to_address=to,
        subject=" ".join(subject.split()),  # one line, as in the header
        dedupe_key=dedupe_key,
        message=bytes(message),
        sender_id=sender_id,
        event_id=event_id,
        allowance=allowance,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _add_unsubscribe_headers(message: EmailMessage, url: str | None) -> None:
    # RFC 8058: a mail client that shows "Unsubscribe" POSTs "List-Unsubscribe=One-Click" to the URL, no cookies.
    message["List-Unsubscribe"] = f"<{url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
