"""How much email one person's requests may send to other people, and how many sign-in emails one address gets.

An invitation carries the event's title, which its organizer wrote: without a limit any account could mail its
own text to any address (60 invitations to strangers went out in 4 s). So every email one person's request sends
to someone else is an outbox row that names its sender, its event and the allowance it counts against, and
before sending more the service checks, in its transaction and under a lock on the sender's row, how many the
sender sent in the last day: for this event and for all their events. Accounts younger than a day get less.
The counts are in the database, so they hold across workers and hosts. docs/security.md lists the limits.
"""

import enum
import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.db import utcnow
from netevents.errors import DomainError
from netevents.extensions import db
from netevents.mail.models import OutgoingEmail

#: The allowances count what was sent in this moving window.
WINDOW = timedelta(days=1)
#: An account younger than this gets the smaller allowance.
NEW_ACCOUNT_AGE = timedelta(days=1)


class Allowance(enum.StrEnum):
    #: Co-organizer invitations.
    invitation = "invitation"
    #: Registration emails a person's request sends to someone else: an organizer's CSV import that notifies,
    #: or a signed-in person registering another address.
    registration = "registration"
    #: Badges mailed to walk-ins registered at the door (by an organizer, or by a station on its event owner's).
    walk_in = "walk_in"
    #: Registration emails (badge, waitlist place, "already registered") that a registration nobody signed in for
    #: sends, counted per address they go to: anyone may type anyone's address into a form.
    anonymous_registration = "anonymous_reg"
    #: "Event cancelled" emails, counted per address they go to: whoever could put an address on events (above)
    #: could cancel them all, each email carrying a title they wrote.
    event_cancelled = "event_cancelled"
    #: Sign-in links and sign-up notices, counted per address they go to (nobody is mailed into a flood).
    sign_in = "sign_in"


@dataclass(frozen=True)
class Limits:
    """Emails a day: per sender and event, and per sender for all events; then the same for new accounts."""

    per_event: int
    per_sender: int
    new_per_event: int
    new_per_sender: int
    #: How people read it: "co-organizer invitations".
    what: str


LIMITS = {
    Allowance.invitation: Limits(20, 50, 3, 5, "co-organizer invitations"),
    Allowance.registration: Limits(1000, 3000, 30, 60, "registration emails to other people"),
    Allowance.walk_in: Limits(2000, 5000, 100, 200, "walk-in badges by email"),
}
#: Sign-in links and sign-up notices one address is sent in an hour; more requests send nothing (the answer does
#: not change, so it tells nobody whether the address has an account).
SIGN_IN_EMAILS_PER_ADDRESS = 5
SIGN_IN_WINDOW = timedelta(hours=1)


def check_allowance(allowance: Allowance, sender: User, event_id: int, count: int = 1) -> None:
    """Refuse (429, saying what and until when) if `sender` sending `count` more such emails for the event would
    go beyond their allowance. Call it before changing anything, in the transaction that sends them."""
    limits = LIMITS[allowance]
    # Two requests of one sender at once count one after the other (SQLite's writes are serial already).
    db.session.execute(select(User.id).where(User.id == sender.id).with_for_update())
    now = utcnow()
    new = now - sender.created_at < NEW_ACCOUNT_AGE
    sent = (
        select(func.count(), func.min(OutgoingEmail.created_at))
        .select_from(OutgoingEmail)
        .where(
            OutgoingEmail.sender_id == sender.id,
            OutgoingEmail.allowance == allowance.value,
            OutgoingEmail.created_at > now - WINDOW,
        )
    )
    scopes = (
        (
            sent.where(OutgoingEmail.event_id == event_id),
            limits.new_per_event if new else limits.per_event,
            "per event",
        ),
        (sent, limits.new_per_sender if new else limits.per_sender, "for all your events together"),
    )
    for query, limit, scope in scopes:
        already, oldest = db.session.execute(query).one()
        if already + count > limit:
            retry_after = max(60, math.ceil(((oldest + WINDOW) - now).total_seconds())) if oldest else 60
            raise _refusal(limits, limit, scope, new, already, count, retry_after)


def _refusal(limits: Limits, limit: int, scope: str, new: bool, already: int, count: int, retry_after: int):
    hours = math.ceil(retry_after / 3600)
    why = " while your account is less than a day old" if new else ""
    asked = f"; this would send {count} more" if count > 1 else ""
    return DomainError(
        "too_many_emails",
        f"You can send {limit} {limits.what} a day {scope}{why}, and you have sent {already}{asked}. "
        f"Nothing was sent; try again in {hours} hour{'s' if hours != 1 else ''}.",
        status=429,
        headers={"Retry-After": str(retry_after)},
    )


#: Registration emails one address is sent in a day because someone, not signed in, registered it; past that the
#: registration is still made (the person sees it once signed in), without an email.
ANONYMOUS_REGISTRATION_EMAILS_PER_ADDRESS = 5
#: "Event cancelled" emails one address is sent in a day; past that the person sees it on My events.
EVENT_CANCELLED_EMAILS_PER_ADDRESS = 10


@dataclass(frozen=True)
class PerAddress:
    """How many emails of these allowances one address may be sent within a window."""

    counts: tuple[Allowance, ...]
    limit: int
    window: timedelta = WINDOW


#: Each per-address allowance. Registration emails someone signed in sends to another address count on their own
#: allowance and on the address's too.
_PER_ADDRESS = {
    Allowance.anonymous_registration: PerAddress(
        (Allowance.anonymous_registration, Allowance.registration), ANONYMOUS_REGISTRATION_EMAILS_PER_ADDRESS
    ),
    Allowance.event_cancelled: PerAddress((Allowance.event_cancelled,), EVENT_CANCELLED_EMAILS_PER_ADDRESS),
    Allowance.sign_in: PerAddress((Allowance.sign_in,), SIGN_IN_EMAILS_PER_ADDRESS, SIGN_IN_WINDOW),
}


def address_takes(allowance: Allowance, address: str) -> bool:
    """Whether `address` may be sent one more email of `allowance` now (one of the per-address allowances)."""
    rule = _PER_ADDRESS[allowance]
    sent = db.session.scalar(
        select(func.count())
        .select_from(OutgoingEmail)
        .where(
            OutgoingEmail.to_address == address,
            OutgoingEmail.allowance.in_([counted.value for counted in rule.counts]),
            OutgoingEmail.created_at > utcnow() - rule.window,
        )
    )
    return sent < rule.limit
