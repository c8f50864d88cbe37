"""An email as it leaves: two bodies from one pair of templates, and the MIME message that carries them.

Bodies: templates/mail/NAME.txt and templates/mail/NAME.html, both extending a base (mail/base.txt,
mail/base.html) that carries the frame: the product's name, a footer saying why the person gets this email,
and, for emails people can turn off, the unsubscribe line. The HTML is escaped by Jinja (Flask autoescapes
.html), the text is not.

The message: multipart/alternative (text, then HTML), the HTML inside multipart/related when it shows inline
images (`<img src="cid:...">`), inside multipart/mixed when files are attached. Names and subjects go into
headers through email.headerregistry, which quotes and RFC 2047-encodes them, so a name with quotes, commas,
'<' or accents stays one display name and never becomes another address or header.
"""

import functools
import secrets
import sys
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.errors import HeaderParseError
from email.header import Header
from email.headerregistry import Address, BaseHeader, HeaderRegistry
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any, ClassVar
from urllib.parse import urlsplit

from flask import current_app

_HEADER_WIDTH = 78  # RFC 5322's recommended line length; Python refolds a longer line itself
_SPECIALS = set('()<>[]:;@\\,"')  # a non-ASCII local part is a dot-atom: none of these


#: Header values every email repeats (a part's Content-Type, its encoding, MIME-Version) kept parsed and written.
_REPEATED_HEADERS = 256


class _Headers(HeaderRegistry):
    """The default policy's headers, each class made once and each repeated value parsed once: HeaderRegistry
    makes a new class for every header it stores or reads, then parses the value (a third of composing an email,
    most of it for the same few Content-Type and encoding lines). Header objects are immutable: sharing them
    between messages is safe."""

    def __init__(self) -> None:
        super().__init__()
        self._classes: dict[str, type[BaseHeader]] = {}
        self._parsed = functools.lru_cache(maxsize=_REPEATED_HEADERS)(super().__call__)

    def __getitem__(self, name: str) -> type[BaseHeader]:
        key = name.lower()
        made = self._classes.get(key)
        if made is None:
            made = self._classes[key] = super().__getitem__(name)
        return made

    def __call__(self, name: str, value: Any) -> BaseHeader:
        if type(value) is str:
            return self._parsed(name, value)
        return super().__call__(name, value)  # an Address, say: rare, and not hashable


class _Policy(EmailPolicy):
    """The default policy, with `_Headers`, and each repeated header folded once (folding walks the parsed value
    again each time a message is written). Keyed by what folding depends on: the generator clones the policy for
    every part it writes."""

    _folded: ClassVar[dict[tuple[object, ...], bytes]] = {}

    def fold_binary(self, name: str, value: str) -> bytes:
        if not isinstance(value, BaseHeader):
            return super().fold_binary(name, value)
        key = (name, value, self.max_line_length, self.linesep, self.utf8, self.cte_type, self.refold_source)
        folded = self._folded.get(key)
        if folded is None:
            if len(self._folded) >= _REPEATED_HEADERS:
                self._folded.clear()
            folded = self._folded[key] = super().fold_binary(name, value)
        return folded


_POLICY = _Policy(header_factory=_Headers())
_UTF8_POLICY = _POLICY.clone(utf8=True)


def render_email(template: str, /, **context: object) -> tuple[str, str]:
    """The plain-text and the HTML body of the email `template` (mail/TEMPLATE.txt and .html), rendered with
    `context` (which may have a `name`: the person's).

    The templates are compiled once by the app's Jinja environment (which keeps them) and rendered straight from
    it: Flask's render_template would add its request context and send its signals for each of an event's
    thousands of emails, and mail templates use neither.
    """
    environment = current_app.jinja_env
    return (
        environment.get_template(f"mail/{template}.txt").render(context),
        environment.get_template(f"mail/{template}.html").render(context),
    )


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str  # "text/calendar"


def message_domain() -> str:
    """The right-hand side of Message-IDs and Content-IDs: the host of the configured BASE_URL."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "localhost"
    return f"[{host}]" if ":" in host else host  # an IPv6 address is a domain literal


def _new_content_id() -> str:
    return make_msgid("img", domain=message_domain())[1:-1]


@dataclass(frozen=True)
class InlineImage:
    """An image the HTML part shows with `<img src="cid:{{ image.cid }}">`; it travels in the message (no remote
    image to fetch), beside the HTML in its multipart/related."""

    filename: str
    content: bytes
    mime_type: str  # "image/png"
    cid: str = field(default_factory=_new_content_id)


def mail_from_name() -> str:
    """The display name of MAIL_FROM ("netevents" when it has none)."""
    name, _address = parseaddr(current_app.config["MAIL_FROM"])
    return name or "netevents"


def on_behalf_of(name: str) -> str:
    """The From name of an email sent for an event or a person: "Ada's Meetup via netevents"."""
    return f"{name} via {mail_from_name()}"


def header_text(text: str) -> str:
    """Text on one line: Python refuses line breaks in a header, and a title stored before they were refused at
    input must not stop its emails."""
    return " ".join(text.split())


def _mailbox(name: str | None, address: str) -> tuple[Address, bool]:
    """`address` named `name`, and whether the message needs UTF-8 headers (RFC 6532) to carry it."""
    local, _at, domain = address.rpartition("@")
    if not domain.isascii():
        with suppress(UnicodeError):  # if it has no ASCII form, the UTF-8 headers below carry it as it is
            domain = domain.encode("idna").decode("ascii")
    display_name = header_text(name or "")
    if local.isascii():
        # Parsing the whole address refuses anything but one address ("a@x, b@y" included).
        return Address(display_name=display_name, addr_spec=f"{local}@{domain}"), not domain.isascii()
    if not local or any(character in _SPECIALS or character.isspace() for character in local):
        raise ValueError(f"not one email address: {address!r}")
    return Address(display_name=display_name, username=local, domain=domain), True


def compose_message(
    to: str,
    subject: str,
    text: str,
    *,
    html: str | None = None,
    to_name: str | None = None,
    from_name: str | None = None,
    inline_images: tuple[InlineImage, ...] = (),
    attachments: tuple[Attachment, ...] = (),
) -> EmailMessage:
    """One email to one person: `to` is a single address (ValueError otherwise), shown with `to_name`.

    From is MAIL_FROM's address, named `from_name` (default: MAIL_FROM's own name); Date is now in RFC 5322 form
    and Message-ID is on the host of BASE_URL. `inline_images` need `html`, which references them by cid.
    """
    if inline_images and not html:
        raise ValueError("inline images are shown by the HTML part: give html too")
    try:
        recipient, needs_utf8 = _mailbox(to_name, to.strip())
    except HeaderParseError as error:  # "<a@b>", "a@b c@d": not one bare address
        raise ValueError(f"not one email address: {to!r}") from error
    _name, from_address = parseaddr(current_app.config["MAIL_FROM"])
    sender, _ = _mailbox(from_name or mail_from_name(), from_address)
    # An address with a non-ASCII local part has no ASCII form: the message then uses UTF-8 headers (RFC 6532),
    # which the receiving server must accept (SMTPUTF8).
    message = EmailMessage(policy=_UTF8_POLICY if needs_utf8 else _POLICY)
    _set_mailbox(message, "From", sender)
    _set_mailbox(message, "To", recipient)
    _set_text(message, "Subject", header_text(subject))
    # Headers of our own making, in their final form (set_raw: parsing each only for Python to write it back as it
    # was is a fifth of composing an email).
    message.set_raw("Date", format_datetime(datetime.now(UTC)))
    message.set_raw("Message-ID", make_msgid(domain=message_domain()))
    message.set_raw("Auto-Submitted", "auto-generated")  # RFC 3834: vacation responders do not answer it
    # Quoted-printable keeps every line short and 7-bit whatever the text, and stays readable in the raw message.
    message.set_content(_ending_with_newline(text), cte="quoted-printable")
    if html:
        message.add_alternative(_ending_with_newline(html), subtype="html", cte="quoted-printable")
        html_part = message.get_body(preferencelist=("html",))
        assert html_part is not None  # just added
        for image in inline_images:
            maintype, subtype = image.mime_type.split("/", 1)
            html_part.add_related(
                image.content,
                maintype=maintype,
                subtype=subtype,
                cid=f"<{image.cid}>",
                disposition="inline",
                filename=image.filename,
            )
    for attachment in attachments:
        maintype, subtype = attachment.mime_type.split("/", 1)
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype, filename=attachment.filename)
    for part in message.walk():
        if part.is_multipart():
            part.set_boundary(_new_boundary())
    return message


def _new_boundary() -> str:
    """A multipart boundary of the shape Python makes ("=" * 15, 19 digits, "=="), chosen here: Python, left to
    choose, compiles a pattern for each boundary and searches the whole message with it (a tenth of writing an email
    out). Our parts are quoted-printable or base64, which never hold a run of "=" (QP writes it "=3D")."""
    return "=" * 15 + f"{secrets.randbelow(sys.maxsize):0{len(repr(sys.maxsize - 1))}d}" + "=="


def _set_mailbox(message: EmailMessage, field: str, mailbox: Address) -> None:
    """`field: mailbox`, its display name kept whole whatever it holds.

    Python 3.11 folds a long quoted display name without its quotes, so `"Ada, Countess <x@y>" <a@b>` would reach
    the reader as three addresses; an ASCII one is folded here instead, at its spaces (folding inside a quoted
    string is allowed). A name reading like an RFC 2047 encoded word ("=?utf-8?q?...?=") is encoded itself, or
    clients would decode it into something else. Anything else (names beyond ASCII) Python encodes safely.
    """
    name = mailbox.display_name
    if name.isascii() and "=?" not in name:
        folded = _folded(field, str(mailbox))
        if folded is not None:
            message.set_raw(field, folded)
            return
    if not name.isascii() and "=?" not in name:
        message[field] = mailbox
        return
    encoded = Header(name, "utf-8", header_name=field).encode(linesep="\n")
    message.set_raw(field, f"{encoded}\n <{mailbox.addr_spec}>")


def _set_text(message: EmailMessage, field: str, text: str) -> None:
    """`field: text`, shown as typed: text reading like an RFC 2047 encoded word is encoded itself, and ASCII text is
    folded at its spaces (Python 3.11 may fold a long one before its first word, which its parser then keeps)."""
    if "=?" in text:
        message.set_raw(field, Header(text, "utf-8", header_name=field).encode(linesep="\n"))
        return
    folded = _folded(field, text) if text.isascii() else None
    if folded is not None:
        message.set_raw(field, folded)
    else:
        message[field] = text


def _folded(field: str, value: str) -> str | None:
    """An ASCII header value folded at its spaces into lines of at most _HEADER_WIDTH (the first one after
    "Field: "), or None when a word is too long for that."""
    words = value.split(" ")
    lines = [f"{field}: {words[0]}"]
    for word in words[1:]:
        if len(lines[-1]) + 1 + len(word) <= _HEADER_WIDTH:
            lines[-1] += f" {word}"
        else:
            lines.append(f" {word}")
    if any(len(line) > _HEADER_WIDTH for line in lines):
        return None
    return "\n".join(lines)[len(field) + 2 :]


def _ending_with_newline(body: str) -> str:
    return body if body.endswith("\n") else body + "\n"
