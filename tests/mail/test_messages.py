"""The emails as they are stored to leave: a text and an HTML part from templates, readable without images, each
to one person with their name, headers that names and titles of any kind cannot break; the registration
confirmation shows the badge QR inline and carries the event for calendars."""

import email
import email.policy
import io
import re
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

import pytest
import zxingcpp
from icalendar import Calendar
from PIL import Image
from sqlalchemy import select

from netevents.accounts.services import request_magic_link, request_sign_up
from netevents.events.services import add_organizer
from netevents.extensions import db
from netevents.mail.compose import Attachment, InlineImage, compose_message
from netevents.mail.models import OutgoingEmail
from netevents.mail.services import send_email
from netevents.registrations.cancelling import cancel_registration, notify_event_cancelled
from tests.mail.reading import html_text, plain_text

HARD_NAMES = [
    "Zoë Ñúñez",
    'Ada "The Countess", Lovelace <ada@evil.example>',
    "<script>alert('x')</script> & Co",
    "=?utf-8?q?Admin_=3Croot=40evil.example=3E?=",
    'King, Augusta Ada "Ada" <ada@evil.example>, Countess of Lovelace, Analyst of the Engine',  # folded
]


def stored(to: str) -> list[EmailMessage]:
    """The messages queued for `to`, parsed as a mail client would, oldest first."""
    rows = db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.to_address == to).order_by(OutgoingEmail.id))
    return [email.message_from_bytes(row.message, policy=email.policy.default) for row in rows]


def only(to: str, subject_starts: str) -> EmailMessage:
    (message,) = [m for m in stored(to) if m["Subject"].startswith(subject_starts)]
    return message


VOID_TAGS = frozenset({"meta", "img", "br", "hr", "input", "link", "area", "base", "col", "source", "wbr"})


class _Page(HTMLParser):
    """What the checks need of an HTML body: images, links, tags left open."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.images: list[str] = []
        self.links: list[str] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "img":
            self.images.append(attributes.get("src") or "")
        if tag == "a":
            self.links.append(attributes.get("href") or "")
        if tag in {"link", "script", "style"}:
            raise AssertionError(f"<{tag}> in an email")
        if tag not in VOID_TAGS:
            self.open.append(tag)

    def handle_endtag(self, tag):
        assert self.open and self.open[-1] == tag, f"</{tag}> closes <{self.open[-1] if self.open else None}>"
        self.open.pop()

    def handle_data(self, data):
        self.text.append(data)


def read_html(message: EmailMessage) -> _Page:
    page = _Page()
    page.feed(html_text(message))
    page.close()
    assert page.open == [], f"tags left open: {page.open}"
    return page


def assert_well_formed(message: EmailMessage) -> None:
    """Text and HTML as alternatives; the HTML parses, loads nothing remote, and every link in it is in the text."""
    assert message.is_multipart()
    alternative = next(part for part in message.walk() if part.get_content_type() == "multipart/alternative")
    kinds = [part.get_content_type() for part in alternative.iter_parts()]
    assert kinds[0] == "text/plain" and kinds[-1] in {"text/html", "multipart/related"}, kinds
    text = plain_text(message)
    assert not re.search(r"<\s*(p|a|br|div|table)\b", text), "HTML in the text part"
    page = read_html(message)
    assert all(not re.match(r"\s*(https?:)?//", src, re.I) for src in page.images), page.images
    content_ids = {part["Content-ID"].strip("<>") for part in message.walk() if part["Content-ID"]}
    assert all(src.startswith("cid:") and src[4:] in content_ids for src in page.images), page.images
    for href in page.links:
        assert href in text, f"{href} only in the HTML"


@pytest.fixture
def every_kind(make):
    """One of each email netevents sends, to people with hard names; {what: address}."""
    owner = make.user(name="Olivia Organizer", email="olivia@example.org")
    event = make.event(owner=owner, title="Ada's Meetup", capacity=1)
    confirmed = make.registration(event, name=HARD_NAMES[0], email="zoe@example.org")
    waiting = make.registration(event, name=HARD_NAMES[1], email="ada@example.org")
    cancel_registration(confirmed.id, confirmed.user)  # cancelled for one, promoted for the other
    db.session.commit()
    notify_event_cancelled(event)
    add_organizer(event.id, owner, "cora@example.org")
    request_magic_link("olivia@example.org")
    request_sign_up("new@example.org", "correct horse battery", "Newcomer")
    request_sign_up("olivia@example.org", "correct horse battery", "Not Olivia")
    db.session.commit()
    assert waiting.email == "ada@example.org"
    return {
        "confirmed": ("zoe@example.org", "Registered:"),
        "waitlisted": ("ada@example.org", "Waitlist:"),
        "promoted": ("ada@example.org", "You are in:"),
        "registration cancelled": ("zoe@example.org", "Cancelled:"),
        "event cancelled": ("ada@example.org", "Event cancelled:"),
        "co-organizer": ("cora@example.org", "You now co-organize"),
        "sign-in link": ("olivia@example.org", "Your netevents sign-in link"),
        "sign-up": ("new@example.org", "Finish creating"),
        "sign-up again": ("olivia@example.org", "Someone tried to sign up"),
    }


def test_every_email_has_a_text_and_an_html_part_that_say_the_same(every_kind):
    for what, (to, subject) in every_kind.items():
        message = only(to, subject)
        assert_well_formed(message)
        assert plain_text(message).startswith("Hello"), what
        assert "\n-- \nnetevents: " in plain_text(message), what  # the footer says why they get it


def test_the_confirmation_shows_the_badge_qr_inline_and_attaches_the_event(client, make):
    event = make.event(title="Ada's Meetup")
    registration = make.registration(event, name="Zoë Ñúñez", email="zoe@example.org")
    message = only("zoe@example.org", "Registered: Ada's Meetup")
    badge_url = f"http://testserver{registration.badge_path}"

    assert message.get_content_type() == "multipart/mixed"
    body, calendar = list(message.iter_parts())
    assert body.get_content_type() == "multipart/alternative"
    text, related = list(body.iter_parts())
    assert text.get_content_type() == "text/plain"
    assert related.get_content_type() == "multipart/related"
    html, image = list(related.iter_parts())
    assert html.get_content_type() == "text/html"
    assert image.get_content_type() == "image/png" and image.get_content_disposition() == "inline"
    content_id = image["Content-ID"]
    assert re.fullmatch(r"<[^<>@\s]+@testserver>", content_id)
    png = image.get_content()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    picture = Image.open(io.BytesIO(png))
    picture.verify()
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert code.text == badge_url
    assert read_html(message).images == [f"cid:{content_id[1:-1]}"]

    # Without images the badge is one link away, in both parts.
    assert badge_url in plain_text(message) and f'href="{badge_url}"' in html_text(message)
    assert calendar.get_content_type() == "text/calendar" and calendar.get_filename() == "event.ics"
    assert calendar.get_content_disposition() == "attachment"
    (entry,) = Calendar.from_ical(calendar.get_content()).walk("VEVENT")
    assert str(entry["summary"]) == "Ada's Meetup"


@pytest.mark.parametrize("name", HARD_NAMES)
def test_names_and_titles_of_any_kind_stay_in_their_headers(app, make, name):
    event = make.event(title=f'{name}\'s Meetup, "Live"')
    make.registration(event, name=name, email="them@example.org")
    (message,) = stored("them@example.org")

    (to,) = message["To"].addresses
    assert to.addr_spec == "them@example.org" and shown_as(to.display_name, name)
    (sender,) = message["From"].addresses
    assert sender.addr_spec == "no-reply@netevents.local"
    assert shown_as(sender.display_name, f"{event.title} via netevents")
    assert message["Subject"] == f"Registered: {event.title}"
    assert message.get_all("To") == [message["To"]] and "Cc" not in message and "Bcc" not in message
    assert all(key.lower() not in {"cc", "bcc", "reply-to"} for key in message)
    # Nothing but ASCII in the raw headers: what is not is RFC 2047-encoded.
    raw = bytes(message).split(b"\n\n", 1)[0]
    assert raw.isascii()


def shown_as(display_name: str, expected: str) -> bool:
    """Whether mail clients show `display_name` as `expected`. A name that reads like an encoded word ("=?...?=") is
    sent as encoded words of its own; where a long one is split in two, Python's parser puts a space between them
    that RFC 2047 (and mail clients) leave out."""
    if "=?" in expected:
        return "".join(display_name.split()) == "".join(expected.split())
    return display_name == expected


def test_a_name_is_escaped_in_the_html_and_plain_in_the_text(make):
    event = make.event(title="<b>Bold</b> Night")
    make.registration(event, name="<script>alert('x')</script>", email="them@example.org")
    (message,) = stored("them@example.org")
    html = html_text(message)
    assert "<script>" not in html and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; Night" in html
    assert "Hello <script>alert('x')</script>," in plain_text(message)
    read_html(message)


def test_date_and_message_id_are_rfc_5322_on_the_sites_host(app, make):
    app.config["BASE_URL"] = "https://events.example.org"
    try:
        make.registration(make.event(), email="them@example.org")
    finally:
        app.config["BASE_URL"] = "http://testserver"
    (message,) = stored("them@example.org")
    sent = parsedate_to_datetime(message["Date"])
    assert sent.tzinfo is not None and abs(sent - datetime.now(UTC)) < timedelta(minutes=1)
    assert re.fullmatch(r"[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000", message["Date"])
    assert re.fullmatch(r"<[^<>@\s]+@events\.example\.org>", message["Message-ID"])
    assert message["Auto-Submitted"] == "auto-generated" and message["MIME-Version"] == "1.0"


def test_each_message_id_is_new(make):
    event = make.event()
    for n in range(3):
        make.registration(event, email=f"p{n}@example.org")
    ids = [stored(f"p{n}@example.org")[0]["Message-ID"] for n in range(3)]
    assert len(set(ids)) == 3


def test_a_line_break_in_a_name_or_title_adds_no_header(app):
    # Input refuses them since netevents.schemas checks one-line text; rows from before may still hold them.
    message = compose_message(
        "them@example.org",
        "Registered: Night\r\nBcc: all@evil.example",
        "Hello",
        to_name="Ada\r\nBcc: all@evil.example",
        from_name="Night\nX-Injected: yes via netevents",
    )
    parsed = email.message_from_bytes(bytes(message), policy=email.policy.default)
    assert "Bcc" not in parsed and "X-Injected" not in parsed
    assert parsed["Subject"] == "Registered: Night Bcc: all@evil.example"
    (to,) = parsed["To"].addresses
    assert to.display_name == "Ada Bcc: all@evil.example" and to.addr_spec == "them@example.org"


@pytest.mark.parametrize("to", ["a@example.org, b@example.org", "a@example.org b@example.org", "<a@example.org>"])
def test_an_email_goes_to_one_address_only(app, to):
    with pytest.raises(ValueError):
        compose_message(to, "Hello", "Hello")


def test_addresses_beyond_ascii(app):
    idn = compose_message("zoe@exämple.org", "Hé", "Hello", to_name="Zoë")
    assert bytes(idn).isascii()  # the domain goes as punycode: any server takes it
    (to,) = email.message_from_bytes(bytes(idn), policy=email.policy.default)["To"].addresses
    assert to.addr_spec == "zoe@xn--exmple-cua.org" and to.display_name == "Zoë"

    # A local part beyond ASCII has no other form: the message uses UTF-8 headers (RFC 6532, SMTPUTF8).
    utf8 = compose_message("zoë@example.org", "Hé", "Hello", to_name="Zoë")
    parsed = email.message_from_string(bytes(utf8).decode("utf-8"), policy=email.policy.default)
    (to,) = parsed["To"].addresses
    assert to.username == "zoë" and to.domain == "example.org" and parsed["Subject"] == "Hé"


#: Multipart boundaries: random, so left out of the comparison below (numbered in order of appearance).
BOUNDARY = re.compile(rb"={15}\d{19}==")


def _numbered_boundaries(message: bytes) -> bytes:
    seen: dict[bytes, int] = {}
    return BOUNDARY.sub(lambda found: b"BOUNDARY%d" % seen.setdefault(found.group(), len(seen)), message)


@pytest.mark.parametrize("to", ["zoe@example.org", "zoë@example.org"])
def test_a_message_is_byte_for_byte_what_the_email_library_builds(app, to):
    # compose_message takes three short cuts for speed: its own headers set as written, its own multipart
    # boundaries, header classes made once. The library's plain way must give the very same bytes.
    text = "Zoë's notes: 3 = 4, ==== and =?utf-8?q?x?=\n" + "a long line of words " * 12 + "\n--not a boundary\n"
    html = "<p>Zoë &amp; co ===============0000000000000000001==</p>\n" * 30
    image = InlineImage("qr.png", bytes(range(256)) * 4, "image/png")
    vcard = Attachment("people-you-met-1.vcf", "BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n".encode(), "text/vcard")
    url = "https://testserver/api/v1/unsubscribe/" + "t0ken" * 30
    subject = "The people you met at Zoë's very long-titled evening of platform engineering and friends"
    email_id = send_email(
        to,
        subject,
        text,
        html=html,
        to_name="Zoë Ñúñez",
        inline_images=(image,),
        attachments=(vcard,),
        category="follow_up",
        unsubscribe_url=url,
    )
    ours = db.session.get(OutgoingEmail, email_id).message
    parsed = email.message_from_bytes(ours, policy=email.policy.default)

    library = EmailMessage(policy=email.policy.default.clone(utf8=not to.isascii()))
    for field, value in parsed.raw_items():  # written by code these short cuts left alone
        if field in ("From", "To", "Subject"):
            library.set_raw(field, value)
    library["Date"] = str(parsed["Date"])
    library["Message-ID"] = str(parsed["Message-ID"])
    library["Auto-Submitted"] = "auto-generated"
    library.set_content(text, cte="quoted-printable")
    library.add_alternative(html, subtype="html", cte="quoted-printable")
    html_part = library.get_body(preferencelist=("html",))
    html_part.add_related(
        image.content, maintype="image", subtype="png", cid=f"<{image.cid}>", disposition="inline", filename="qr.png"
    )
    library.add_attachment(vcard.content, maintype="text", subtype="vcard", filename=vcard.filename)
    library["List-Unsubscribe"] = f"<{url}>"
    library["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"

    assert _numbered_boundaries(ours) == _numbered_boundaries(bytes(library))
    assert len(set(BOUNDARY.findall(ours))) == 3  # mixed, alternative, related: each its own
