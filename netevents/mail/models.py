"""The outbox: every email is a row written in the same transaction as what caused it."""

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from netevents.db import NEVER_REUSE_IDS, Base, UTCDateTime, utcnow


class MailStatus(enum.StrEnum):
    queued = "queued"
    sending = "sending"
    sent = "sent"
    failed = "failed"


class OutgoingEmail(Base):
    __tablename__ = "outgoing_email"
    __table_args__ = (Index("ix_outgoing_email_sender_created", "sender_id", "created_at"), NEVER_REUSE_IDS)

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
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    #: The person whose request sent this email to someone else (an invitation); None for what people are sent
    #: about their own doings. Counted against their allowance (mail/allowance.py); deleted with their account.
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    #: The event it was sent for, if any (allowances are per event too).
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    #: The allowance it counts against (mail/allowance.py: "invitation", "registration", "sign_in"), if any.
    allowance: Mapped[str | None] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
