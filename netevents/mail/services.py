"""The one way mail leaves netevents: send_email() queues it; a worker delivers it after the commit.

Queuing writes an outbox row in the caller's transaction, so an email exists only if what caused
it was committed, and a rolled-back request sends nothing. Workers (`flask mail work`, or
`flask mail send-due` from cron) deliver the committed rows (netevents/mail/delivery.py); no request
waits for a mail server.
"""

from email.message import EmailMessage
from typing import TypedDict, Unpack

from netevents.db import execute_in_dialect, insert_unless_present, table_of
from netevents.mail.compose import Attachment, InlineImage, compose_message
from netevents.mail.models import OutgoingEmail

#: One statement: the row, unless one with its dedupe key is there already (then no id comes back).
_QUEUE = {
    name: insert.returning(table_of(OutgoingEmail).c.id)
    for name, insert in insert_unless_present(table_of(OutgoingEmail), "dedupe_key").items()
}


class EmailParts(TypedDict, total=False):
    """What an email may carry beside its address, subject and text.

    `html`: its HTML part. `to_name`: the name shown with the address; `from_name`: the From name
    (mail/compose.py: on_behalf_of), MAIL_FROM's by default. `inline_images`, `attachments`: as compose_message takes
    them. `dedupe_key`: a second email with it is never queued. `sender_id`: the person whose request sends it to
    someone else, `event_id` the event it is for, and `allowance` what it counts against (mail/allowance.py checks
    before sending). `category`: a non-essential email's category (mail/preferences.py; None: essential, like
    sign-in links and confirmations), with the person's one-click `unsubscribe_url`; the caller checks they did not
    turn it off."""

    html: str | None
    to_name: str | None
    from_name: str | None
    inline_images: tuple[InlineImage, ...]
    attachments: tuple[Attachment, ...]
    dedupe_key: str | None
    sender_id: int | None
    event_id: int | None
    allowance: str | None
    category: str | None
    unsubscribe_url: str | None


def send_email(to: str, subject: str, text: str, **parts: Unpack[EmailParts]) -> int | None:
    """Queue an email to one address; its id, or None when one with its dedupe_key was already queued."""
    return queue_outgoing(outgoing_email(to, subject, text, **parts))


def outgoing_email(to: str, subject: str, text: str, **parts: Unpack[EmailParts]) -> dict[str, object]:
    """The outbox row of an email, its message built; no database work, so a worker builds a chunk of them before
    its write transaction. `queue_outgoing` writes it."""
    category, unsubscribe_url = parts.get("category"), parts.get("unsubscribe_url")
    if category and not unsubscribe_url:
        raise ValueError("an email with a category needs its unsubscribe_url")
    message = compose_message(
        to,
        subject,
        text,
        html=parts.get("html"),
        to_name=parts.get("to_name"),
        from_name=parts.get("from_name"),
        inline_images=parts.get("inline_images", ()),
        attachments=parts.get("attachments", ()),
    )
    if category:
        _add_unsubscribe_headers(message, unsubscribe_url)
    return {
        "to_address": to,
        "subject": " ".join(subject.split()),  # one line, as in the header
        "dedupe_key": parts.get("dedupe_key"),
        "message": bytes(message),
        "sender_id": parts.get("sender_id"),
        "event_id": parts.get("event_id"),
        "allowance": parts.get("allowance"),
    }


def queue_outgoing(row: dict[str, object]) -> int | None:
    """Write an `outgoing_email` row in the caller's transaction: its id, or None when one with its dedupe key is
    there already."""
    # A core INSERT ... ON CONFLICT DO NOTHING rather than a look-up and an ORM flush: a follow-up run queues
    # thousands, and the unique key, not a read before the write, is what keeps a second copy out.
    return execute_in_dialect(_QUEUE, row).scalar()


def _add_unsubscribe_headers(message: EmailMessage, url: str | None) -> None:
    # RFC 8058: a mail client that shows "Unsubscribe" POSTs "List-Unsubscribe=One-Click" to the URL, no cookies.
    # set_raw, as compose_message's own headers: written as they are (a long URL is folded as Python would).
    message.set_raw("List-Unsubscribe", f"<{url}>")
    message.set_raw("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
