"""The outbox: every email is a row written in the same transaction as what caused it.

Workers deliver it (netevents/mail/delivery.py): queued -> sending (claimed by one worker until its lease ends)
-> sent, or back to queued with a later `next_attempt_at` after a temporary failure, or failed for good.
"""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from netevents.db import NEVER_REUSE_IDS, Base, UTCDateTime, utcnow


class MailStatus(enum.StrEnum):
    #: Waiting for a worker: new, or to be tried again at `next_attempt_at`.
    queued = "queued"
    #: A worker claimed it and is delivering it (until `lease_expires_at`; then another worker may).
    sending = "sending"
    #: The mail server (or the Maildir) accepted it.
    sent = "sent"
    #: Refused for good (a 5xx answer) or still failing after the last attempt; `last_error` says why.
    failed = "failed"


class OutgoingEmail(Base):
    __tablename__ = "outgoing_email"
    __table_args__ = (
        Index("ix_outgoing_email_sender_created", "sender_id", "created_at"),
        Index("ix_outgoing_email_event_created", "event_id", "created_at"),
        #: The per-address allowances (mail/allowance.py) count an address's emails of the last day.
        Index("ix_outgoing_email_to_created", "to_address", "created_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    #: Why it was sent, e.g. "registration_confirmed:42"; unique so no email goes out twice.
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    #: The whole RFC 5322 message, attachments included, as it will be delivered.
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[MailStatus] = mapped_column(
        Enum(MailStatus, native_enum=False, length=20), default=MailStatus.queued, index=True
    )
    #: Delivery attempts made so far (a message a worker held when it died is not counted).
    attempts: Mapped[int] = mapped_column(default=0)
    #: The last failure in words, with the mail server's answer when there was one.
    last_error: Mapped[str | None] = mapped_column(Text)
    #: A queued email is not tried before this time (None: at once); set by the backoff after a failure.
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The claim of the worker delivering it ("host:pid:batch"), and until when it holds it: after that, a worker
    #: that died is presumed dead and the email is queued for another.
    claimed_by: Mapped[str | None] = mapped_column(String(100), index=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The person whose request sent this email to someone else (an invitation); None for what people are sent
    #: about their own doings. Counted against their allowance (mail/allowance.py); deleted with their account.
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: The event it was sent for, if any (allowances are per event too).
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    #: The allowance it counts against (mail/allowance.py: "invitation", "registration", "sign_in"), if any.
    allowance: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
