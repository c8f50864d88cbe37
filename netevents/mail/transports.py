"""Where a worker hands emails over: an SMTP server (NETEVENTS_SMTP_*), or a Maildir folder when none is set.

A transport is opened once for a batch (one SMTP connection for all its emails) and says how each send failed
with a `DeliveryFailure`: for good (the server answered 5xx), or for now (4xx, or the server could not be
reached: then the connection is dropped and the next send opens another).
"""

import mailbox
import re
import smtplib
import ssl
from collections.abc import Mapping
from email.utils import parseaddr
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, Self


class DeliveryFailure(Exception):
    """An email was not handed over; `reason` says why in words a person can act on."""

    def __init__(self, reason: str, *, permanent: bool = False, unreachable: bool = False):
        super().__init__(reason)
        self.reason = reason
        #: The server refused this email for good (5xx): trying again would get the same answer.
        self.permanent = permanent
        #: No email can go now (the server is down, or refused our sign-in): the rest of the batch waits too.
        self.unreachable = unreachable


class Transport(Protocol):
    def __enter__(self) -> Self: ...

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def send(self, to: str, message: bytes) -> None:
        """Hand `message` over for `to`, or raise DeliveryFailure."""

    def describe(self) -> str:
        """Where emails go, for people (no password)."""


class MaildirTransport:
    """Every email into one Maildir folder (open its new/ with any mail reader)."""

    def __init__(self, path: Path):
        self.path = path
        self._maildir: mailbox.Maildir | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self._maildir = None

    def describe(self) -> str:
        return f"the Maildir {self.path}"

    def send(self, to: str, message: bytes) -> None:
        try:
            if self._maildir is None:
                # Maildir(create=True) makes the folder before its tmp/new/cur: a second worker that finds the
                # folder would write into a tmp/ that is not there yet.
                for folder in ("tmp", "new", "cur"):
                    (self.path / folder).mkdir(parents=True, exist_ok=True)
                self._maildir = mailbox.Maildir(self.path, create=True)
            self._maildir.add(message)
        except OSError as error:
            self._maildir = None
            raise DeliveryFailure(f"Could not write to the Maildir {self.path}: {error}", unreachable=True) from error


_BARE_LINE_END = re.compile(rb"\r\n|\r|\n")


def _answer(code: int, text: bytes | str) -> str:
    words = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(words.split())}"


class SmtpTransport:
    """One SMTP connection, opened at the first send and reused for the rest of the batch."""

    def __init__(
        self,
        host: str,
        port: int,
        *,
        security: str,
        user: str | None,
        password: str | None,
        sender: str,
        timeout: float,
        ca_file: str | None = None,
    ):
        self.host = host
        self.port = port
        self.security = security  # "starttls", "tls" or "none"
        self.user = user
        self._password = password
        #: The envelope sender: the address in MAIL_FROM ("netevents <no-reply@...>").
        self.envelope_from = parseaddr(sender)[1] or sender
        self.timeout = timeout
        #: Certificate authorities trusted besides the system's (NETEVENTS_SMTP_CA_FILE).
        self.ca_file = ca_file
        self._smtp: smtplib.SMTP | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self._close(quit=True)

    def describe(self) -> str:
        who = f" as {self.user}" if self.user else ""
        return f"the mail server {self.host}:{self.port} ({self.security}{who})"

    def _close(self, *, quit: bool) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            if quit:
                smtp.quit()
            else:
                smtp.close()
        except (OSError, smtplib.SMTPException):
            smtp.close()

    def _connect(self) -> smtplib.SMTP:
        where = f"{self.host}:{self.port}"
        context = ssl.create_default_context()  # the server's name and certificate are checked
        if self.ca_file:
            context.load_verify_locations(cafile=self.ca_file)
        smtp: smtplib.SMTP | None = None
        try:
            if self.security == "tls":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            smtp.ehlo()
            if self.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if self.user:
                smtp.login(self.user, self._password or "")
        except smtplib.SMTPAuthenticationError as error:
            self._abandon(smtp)
            raise DeliveryFailure(
                f"The mail server {where} refused the user name and password in NETEVENTS_SMTP_USER and "
                f"NETEVENTS_SMTP_PASSWORD: {_answer(error.smtp_code, error.smtp_error)}",
                unreachable=True,
            ) from error
        except ssl.SSLCertVerificationError as error:
            self._abandon(smtp)
            trusted = f"the system's authorities and {self.ca_file}" if self.ca_file else "the system's authorities"
            raise DeliveryFailure(
                f"The mail server {where} showed a TLS certificate that is not trusted ({error.verify_message}): "
                f"it is checked against {trusted} and must name {self.host}. Set NETEVENTS_SMTP_CA_FILE to the "
                f"authority that signed it, or NETEVENTS_SMTP_HOST to the name on it.",
                unreachable=True,
            ) from error
        except smtplib.SMTPNotSupportedError as error:
            self._abandon(smtp)
            raise DeliveryFailure(
                f"The mail server {where} does not offer {'STARTTLS' if self.security == 'starttls' else 'sign-in'}"
                f" ({error}); check NETEVENTS_SMTP_SECURITY and NETEVENTS_SMTP_PORT.",
                unreachable=True,
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            self._abandon(smtp)
            raise DeliveryFailure(f"Could not reach the mail server {where}: {error}", unreachable=True) from error
        return smtp

    @staticmethod
    def _abandon(smtp: smtplib.SMTP | None) -> None:
        if smtp is not None:
            smtp.close()

    def send(self, to: str, message: bytes) -> None:
        if self._smtp is None:
            self._smtp = self._connect()
        where = f"{self.host}:{self.port}"
        try:
            # The outbox keeps messages as Python writes them, lines ending in "\n"; SMTP wants "\r\n" (smtplib
            # converts only str messages), and servers refuse bare line feeds or read one line of the whole.
            self._smtp.sendmail(self.envelope_from, [to], _BARE_LINE_END.sub(b"\r\n", message))
        except smtplib.SMTPRecipientsRefused as error:
            code, text = error.recipients.get(to, (450, b"recipient refused"))
            raise self._refusal(where, code, text) from error
        except smtplib.SMTPServerDisconnected as error:
            self._close(quit=False)
            raise DeliveryFailure(
                f"The mail server {where} closed the connection: {error}", unreachable=True
            ) from error
        except smtplib.SMTPResponseException as error:
            if error.smtp_code == 421:  # the server is closing the connection: another one later
                self._close(quit=False)
            raise self._refusal(where, error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPException) as error:
            self._close(quit=False)
            raise DeliveryFailure(f"Lost the mail server {where}: {error}", unreachable=True) from error

    @staticmethod
    def _refusal(where: str, code: int, text: bytes | str) -> DeliveryFailure:
        answer = _answer(code, text)
        if 500 <= code < 600:
            return DeliveryFailure(f"The mail server {where} refused it for good: {answer}", permanent=True)
        return DeliveryFailure(f"The mail server {where} refused it for now: {answer}")


def transport_from_config(config: Mapping[str, Any]) -> Transport:
    """The SMTP server in NETEVENTS_SMTP_HOST..., or the Maildir under the instance folder when none is set."""
    if config["SMTP_HOST"]:
        return SmtpTransport(
            config["SMTP_HOST"],
            config["SMTP_PORT"],
            security=config["SMTP_SECURITY"],
            user=config["SMTP_USER"],
            password=config["SMTP_PASSWORD"],
            sender=config["MAIL_FROM"],
            timeout=config["SMTP_TIMEOUT_SECONDS"],
            ca_file=config["SMTP_CA_FILE"],
        )
    return MaildirTransport(Path(config["MAILDIR_PATH"]))
