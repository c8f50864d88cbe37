"""A real SMTP server in the test process (aiosmtpd), and ways to fill the outbox."""

import asyncio
import threading
from collections import Counter
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from netevents.extensions import db
from netevents.mail.compose import Attachment
from netevents.mail.services import send_email
from tests.live_server import free_port


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class SmtpSink:
    """What an aiosmtpd server was handed; it refuses the recipients in `refuse` with their answer."""

    port: int
    received: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)
    #: Seconds each DATA takes (a slow server, to have a batch in flight).
    delay: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def message_ids(self) -> Counter:
        with self.lock:
            return Counter(str(item.message["Message-ID"]) for item in self.received)


@pytest.fixture
def smtp_sink():
    """A running SMTP server (stop() and start() it to take it down and bring it back)."""
    sink = SmtpSink(port=free_port())
    sink.start()
    yield sink
    sink.stop()


@pytest.fixture
def use_smtp(app, smtp_sink, monkeypatch):
    """The app delivers to the sink, plain SMTP, and retries quickly."""
    for key, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_sink.port,
        "SMTP_SECURITY": "none",
        "SMTP_TIMEOUT_SECONDS": 5.0,
        "MAIL_RETRY_SECONDS": 0.05,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    return smtp_sink


#: Stands for a badge's PNG: 3 KB that compress to nothing, so the message is many lines of base64.
BADGE_PICTURE = bytes(range(256)) * 12


def queue_emails(count: int, *, prefix: str = "person", event_id: int | None = None, attachment: bool = False) -> list:
    """Queue `count` emails to prefix0@example.org, prefix1@... and commit; returns their rows' ids."""
    ids = []
    for number in range(count):
        email_id = send_email(
            f"{prefix}{number}@example.org",
            f"Your badge #{number}",
            f"Hello {prefix} {number},\n\nyour badge is attached.\n",
            attachments=(Attachment("badge.png", BADGE_PICTURE, "image/png"),) if attachment else (),
            dedupe_key=f"test:{prefix}:{number}",
            event_id=event_id,
        )
        ids.append(email_id)
    db.session.commit()
    return ids
