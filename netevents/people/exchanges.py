"""Exchanges: "we met", recorded once per nonce through the ledger (netevents.ledger), in scan-time order.

A person's phone sends an exchange once, twice, or hours later from an offline queue. The ledger gives a
repeated nonce of the same person its first answer and writes nothing; the rules below decide what a new one
does. As at the door, a nonce sent again for another badge is another request under a used nonce: a single
exchange gets 409 `nonce_reused`, one in a batch is answered `nonce_reused` and not applied. The answer's
connection is seen through the visibility policy as it is now, each time: read back, or, for the connection the
exchange has just made, from the other person's row read in the same transaction (`_made_now`).
"""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import Row, and_, bindparam, exists, func, insert, or_, select, update
from sqlalchemy.orm import aliased

from netevents.accounts.models import User
from netevents.checkin.badge_qr import badge_secret_from_qr
from netevents.checkin.budget import UnknownBadgeBudget
from netevents.db import table_of, utcnow
from netevents.errors import NotFound
from netevents.events.models import Event, EventOrganizer, EventStatus, checkin_window
from netevents.extensions import db
from netevents.ledger.services import device_time, fingerprint, record_each, record_once
from netevents.people import exchange_budget
from netevents.people.actions import actions_of, check_actions
from netevents.people.answers import (
    RECORDED_AGAIN,
    RECORDED_NEW,
    RECORDED_RECONNECTED,
    RECORDED_WAITING,
    REFUSALS,
    ConnectionView,
    ExchangeAnswer,
    ExchangeReason,
    ExchangeResult,
    Meeting,
)
from netevents.people.code_budget import code_budget
from netevents.people.connections import MeetingNoted, connect, connection_views, note_meeting
from netevents.people.models import CONNECTION_NOTE_LENGTH, Block, Exchange
from netevents.people.relations import PERSON_SEEN
from netevents.people.schemas import ExchangeAnswerSchema
from netevents.people.visibility import Relation, card_for
from netevents.registrations.badge_codes import normalise_badge_code
from netevents.registrations.models import Registration, RegistrationStatus, ReplacedBadge
from netevents.signals import announce, exchange_recorded
from netevents.tokens import hash_token

#: Exchanges stay open this long after an event ends (people connect on the way home).
AFTER_THE_EVENT = timedelta(days=1)

_mine = aliased(Registration)
#: The scanned badge, its event, and the scanner's own registration for that event, in one row.
_BADGE = (
    select(
        Registration.user_id,
        Registration.status,
        Registration.event_id,
        Event.status.label("event_status"),
        Event.title,
        Event.timezone,
        Event.starts_at,
        Event.ends_at,
        Event.checkin_opens_at,
        Event.checkin_closes_at,
        select(_mine.status)
        .where(_mine.event_id == Registration.event_id, _mine.user_id == bindparam("me"))
        .scalar_subquery()
        .label("my_status"),
        # One of us blocked the other: asked with the badge rather than in a statement of its own.
        exists()
        .where(
            or_(
                and_(Block.blocker_id == bindparam("me"), Block.blocked_id == Registration.user_id),
                and_(Block.blocker_id == Registration.user_id, Block.blocked_id == bindparam("me")),
            )
        )
        .label("blocked"),
        exists()
        .where(EventOrganizer.event_id == Registration.event_id, EventOrganizer.user_id == bindparam("me"))
        .label("i_organize"),
        PERSON_SEEN,
    )
    .join(Event, Event.id == Registration.event_id)
    .join(User, User.id == Registration.user_id)
    .where(Registration.badge_secret == bindparam("secret"))
)

_RECORD_EXCHANGE = insert(table_of(Exchange)).returning(table_of(Exchange).c.id)
_SECRET_OF_CODE = select(Registration.badge_secret).where(Registration.badge_code == bindparam("code"))
_REPLACED = select(ReplacedBadge.secret_hash).where(ReplacedBadge.secret_hash == bindparam("secret_hash"))
#: One person's scans of one badge at one event that each make a meeting; more only add their actions to the last.
MEETINGS_PER_EVENT = 20
_MEETINGS_SO_FAR = select(func.count(Exchange.id), func.max(Exchange.id)).where(
    Exchange.connection_id == bindparam("connection_id"),
    Exchange.event_id == bindparam("event_id"),
    Exchange.scanner_id == bindparam("scanner_id"),
    Exchange.scanned_id == bindparam("scanned_id"),
)
_LAST_MEETING = select(Exchange.actions, Exchange.scanned_at).where(Exchange.id == bindparam("exchange_id"))
_JOIN_MEETING = update(table_of(Exchange)).where(table_of(Exchange).c.id == bindparam("exchange_id"))

#: How answers are kept in the ledger: as sent, without the connection (looked up again for every answer).
STORED_ANSWERS = ExchangeAnswerSchema(exclude=("connection",))

#: The scanner's message when the two had met before.
_MEETING_NOTED = {
    MeetingNoted.added: RECORDED_AGAIN,
    MeetingNoted.reconnected: RECORDED_RECONNECTED,
    MeetingNoted.waiting_for_them: RECORDED_WAITING,
}


@dataclass(frozen=True, slots=True)
class BadgeExchange:
    """One exchange as the rules see it."""

    nonce: str
    scanned_at: datetime
    received_at: datetime
    secret: str | None
    #: Typed instead of scanned: the badge code as sent (`code`: as stored, None if it cannot be a code).
    typed: str | None
    code: str | None
    actions: tuple[str, ...]
    note: str
    #: What it asks, for the ledger: to have met the person of this badge (`_fingerprint`).
    fingerprint: str
    #: Where the client sent it ("" or "exchanges.3."), to name the field of a refused action.
    field_prefix: str = ""


#: Whose exchanges a ledger entry holds: nonces are unique per person.
LEDGER_ACTOR = "person:{user_id}"


def ledger_actor(user: User) -> str:
    return LEDGER_ACTOR.format(user_id=user.id)


def record_exchange(user: User, data: dict) -> ExchangeAnswer:
    """One exchange: the badge of the person I met, scanned from my phone. Its answer comes without the connection:
    `with_connections` adds it, in the same transaction."""
    exchange = _badge_exchange(data, utcnow())
    return record_once(
        ledger_actor(user),
        exchange.nonce,
        partial(_apply, user, exchange, code_budget(user)),
        STORED_ANSWERS,
        fingerprint=exchange.fingerprint,
        claimed=partial(exchange_budget.spend, user),
    )


def record_exchanges(user: User, items: list[dict]) -> list[ExchangeAnswer]:
    """Exchanges from an offline queue, applied in scan-time order, each nonce once; answered in the order sent."""
    received_at = utcnow()
    exchanges = [_badge_exchange(item, received_at, f"exchanges.{index}.") for index, item in enumerate(items)]
    order = sorted(range(len(exchanges)), key=lambda index: exchanges[index].scanned_at)
    budget = code_budget(user)
    answers = record_each(
        ledger_actor(user),
        [(exchanges[index].nonce, partial(_apply, user, exchanges[index], budget)) for index in order],
        STORED_ANSWERS,
        fingerprints=[exchanges[index].fingerprint for index in order],
        reused=lambda position: _refused(exchanges[order[position]], ExchangeReason.nonce_reused),
        claimed=partial(exchange_budget.spend, user),
    )
    in_given_order = dict(zip(order, answers, strict=True))
    return [in_given_order[index] for index in range(len(items))]


def _badge_exchange(data: dict, received_at: datetime, field_prefix: str = "") -> BadgeExchange:
    typed = data.get("badge_code")
    code = normalise_badge_code(typed) if typed is not None else None
    secret = badge_secret_from_qr(data["qr"]) if typed is None else None
    return BadgeExchange(
        nonce=data["nonce"],
        scanned_at=device_time(data.get("scanned_at"), received_at),
        received_at=received_at,
        secret=secret,
        typed=typed,
        code=code,
        actions=tuple(dict.fromkeys(data.get("actions") or ())),
        note=data.get("note") or "",
        fingerprint=_fingerprint(data.get("qr") or "", secret, typed, code),
        field_prefix=field_prefix,
    )


def _fingerprint(qr: str, secret: str | None, typed: str | None, code: str | None) -> str:
    """What an exchange asks: to have met the person of this badge (its secret, its typed code, or the text that
    names none). The same badge resent with its QR as a URL or as the bare secret, or with other tags, is the same
    exchange; so is a code resent with other spacing or case."""
    if typed is not None:
        return fingerprint(f"code:{code}" if code is not None else f"typed:{typed}")
    return fingerprint(f"secret:{secret}" if secret is not None else f"text:{qr.strip()}")


def with_connections(user_id: int, answers: list[ExchangeAnswer]) -> list[ExchangeAnswer]:
    """The answers with their connections as I see them now (a repeat too: they follow the other person's
    current choices), all read in a fixed number of queries. A connection one of them has just made, met once in
    this request, is already in its answer (`_made_now`); one met twice in a batch is read with both meetings."""
    answered = Counter(answer.connection_id for answer in answers if answer.connection_id)
    made_now = {
        answer.connection_id: answer.connection
        for answer in answers
        if answer.connection_id and answer.connection and answered[answer.connection_id] == 1
    }
    views = connection_views(user_id, answered.keys() - made_now.keys()) | made_now
    return [
        replace(answer, connection=views.get(answer.connection_id)) if answer.connection_id else answer
        for answer in answers
    ]


def _apply(user: User, exchange: BadgeExchange, budget: UnknownBadgeBudget, ledger_entry_id: int) -> ExchangeAnswer:
    """Record the meeting, or say why not; the rules in the order a person can act on them."""
    if exchange.typed is not None:
        if not budget.has_room():
            # Spent: every typed code is refused, a real one too, or the answers would tell which guess was right.
            return _refused(exchange, ExchangeReason.too_many_unknown_codes)
        secret = db.session.scalar(_SECRET_OF_CODE, {"code": exchange.code}) if exchange.code else None
        if secret is None:  # what guessing codes looks like: counted (people/code_budget.py)
            reason = ExchangeReason.unknown_code if budget.spend() else ExchangeReason.too_many_unknown_codes
            return _refused(exchange, reason)
        exchange = replace(exchange, secret=secret)
    badge = db.session.execute(_BADGE, {"secret": exchange.secret, "me": user.id}).first() if exchange.secret else None
    if badge is None:
        replaced = exchange.secret and db.session.scalar(_REPLACED, {"secret_hash": hash_token(exchange.secret)})
        return _refused(exchange, ExchangeReason.badge_replaced if replaced else ExchangeReason.unknown_badge)
    event_id = badge.event_id
    if badge.user_id == user.id:
        return _refused(exchange, ExchangeReason.own_badge, event_id)
    if badge.my_status != RegistrationStatus.confirmed:
        return _refused(exchange, ExchangeReason.not_registered, event_id)
    if badge.blocked:
        return _refused(exchange, ExchangeReason.blocked, event_id)
    if badge.i_organize:
        return _refused(exchange, ExchangeReason.organizer_of_event, event_id)
    if badge.status == RegistrationStatus.cancelled:
        return _refused(exchange, ExchangeReason.registration_cancelled, event_id)
    if badge.status == RegistrationStatus.waitlisted:
        return _refused(exchange, ExchangeReason.waitlisted, event_id)
    if badge.event_status == EventStatus.cancelled:
        return _refused(exchange, ExchangeReason.event_cancelled, event_id)
    opens = checkin_window(badge.starts_at, badge.ends_at, badge.checkin_opens_at, badge.checkin_closes_at)[0]
    if not opens <= exchange.scanned_at <= badge.ends_at + AFTER_THE_EVENT:
        return _refused(exchange, ExchangeReason.outside_window, event_id)
    if exchange.actions:
        check_actions(exchange.actions, actions_of([event_id])[event_id].allowed, f"{exchange.field_prefix}actions")

    connection_id, new = connect(user.id, badge.user_id, exchange.actions, exchange.note)
    message = RECORDED_NEW
    if not new:
        message = _MEETING_NOTED[note_meeting(connection_id, user.id, exchange.actions, exchange.note)]
    meeting = {"connection_id": connection_id, "event_id": event_id, "scanner_id": user.id, "scanned_id": badge.user_id}
    exchange_id = None if new else _noted_in_the_last_meeting(meeting, exchange.actions, exchange.scanned_at)
    if exchange_id is None:
        exchange_id = (
            db.session.connection()
            .execute(
                _RECORD_EXCHANGE,
                {
                    **meeting,
                    "ledger_entry_id": ledger_entry_id,
                    "actions": list(exchange.actions),
                    "scanned_at": exchange.scanned_at,
                    "received_at": exchange.received_at,
                },
            )
            .scalar_one()
        )
    # Once committed: bingo, mail and the organizer's network follow meetings through this (netevents/signals.py).
    announce(
        exchange_recorded,
        __name__,
        exchange_id=exchange_id,
        connection_id=connection_id,
        event_id=event_id,
        scanner_id=user.id,
        scanned_id=badge.user_id,
        actions=tuple(exchange.actions),
        scanned_at=exchange.scanned_at,
        new_connection=new,
    )
    return ExchangeAnswer(
        result=ExchangeResult.recorded,
        message=message,
        nonce=exchange.nonce,
        scanned_at=exchange.scanned_at,
        id=exchange_id,
        event_id=event_id,
        connection_id=connection_id,
        new=new,
        connection=_made_now(user.id, badge, exchange, exchange_id, connection_id) if new else None,
    )


def _made_now(
    user_id: int, badge: Row, exchange: BadgeExchange, exchange_id: int, connection_id: int
) -> ConnectionView:
    """The connection this exchange has just made, as the scanner sees it, from what this transaction has read and
    written (reading it back was 3 of an exchange's 10 statements): the other person as they share with a
    connection now (the badge's row, read above), the scanner's side as `connect` wrote it, and this meeting, its
    only one (the other person's first scan of me waits for this transaction to make the connection).

    Their card is the policy's for a connection at this event. relations_to would also find whether I organize an
    event they registered for, which shows nothing a connection does not see; a block between us refused the
    exchange above. tests/people/test_exchanges.py compares this answer with reading the connection back."""
    meeting = Meeting(
        id=exchange_id,
        event_id=badge.event_id,
        event_title=badge.title,
        scanned_at=exchange.scanned_at.astimezone(UTC),  # as stored, whatever offset the phone sent
        by_me=True,
        actions=exchange.actions,
        event_timezone=badge.timezone,
    )
    card = card_for(badge.person, Relation.connection | Relation.co_attendee)
    assert card is not None  # a connection's card is always shown
    return ConnectionView(
        id=connection_id,
        other=card,
        connected=True,
        i_scanned=True,
        scanned_me=False,
        first_met_at=meeting.scanned_at,
        last_met_at=meeting.scanned_at,
        meetings=(meeting,),
        tags=exchange.actions,
        note=exchange.note[:CONNECTION_NOTE_LENGTH],
        followed_up=False,
    )


def add_to_exchange(user: User, exchange_id: int, data: dict) -> int:
    """The tags and note chosen on the phone after a scan, added to the meeting that scan recorded: its actions
    and my side of the connection, as if the scan had carried them (a bingo round reads the meeting again).
    Only the scanner adds to their meeting; actions only ever join, so a square once signed stays signed.
    Answers the meeting's connection."""
    exchange = db.session.scalar(
        select(Exchange).where(Exchange.id == exchange_id, Exchange.scanner_id == user.id).with_for_update()
    )
    if exchange is None:
        raise NotFound("exchange")
    actions = tuple(dict.fromkeys(data.get("actions") or ()))
    check_actions(actions, actions_of([exchange.event_id])[exchange.event_id].allowed, "actions")
    joined = list(dict.fromkeys([*(exchange.actions or []), *actions]))
    if joined != (exchange.actions or []):
        exchange.actions = joined
    note_meeting(exchange.connection_id, user.id, actions, data.get("note") or "")
    announce(
        exchange_recorded,
        __name__,
        exchange_id=exchange.id,
        connection_id=exchange.connection_id,
        event_id=exchange.event_id,
        scanner_id=user.id,
        scanned_id=exchange.scanned_id,
        actions=tuple(joined),
        scanned_at=exchange.scanned_at,
        new_connection=False,
    )
    return exchange.connection_id


def _noted_in_the_last_meeting(meeting: dict, actions: tuple[str, ...], scanned_at: datetime) -> int | None:
    """Past MEETINGS_PER_EVENT scans of one badge by one person at one event, a scan adds no meeting: its actions
    join the last one, which takes its time if it is later (so a bingo round, and its summary, count it where it
    was scanned), and its id is answered. None: record a meeting of its own.

    A phone sending the same badge a thousand times must not make a connection a thousand meetings long."""
    so_far, last_id = db.session.connection().execute(_MEETINGS_SO_FAR, meeting).one()
    if so_far < MEETINGS_PER_EVENT:
        return None
    earlier, earlier_at = db.session.connection().execute(_LAST_MEETING, {"exchange_id": last_id}).one()
    joined = list(dict.fromkeys([*(earlier or []), *actions]))
    if joined != (earlier or []) or scanned_at > earlier_at:
        db.session.connection().execute(
            _JOIN_MEETING, {"exchange_id": last_id, "actions": joined, "scanned_at": max(scanned_at, earlier_at)}
        )
    return last_id


def _refused(exchange: BadgeExchange, reason: ExchangeReason, event_id: int | None = None) -> ExchangeAnswer:
    return ExchangeAnswer(
        result=ExchangeResult.rejected,
        reason=reason,
        message=REFUSALS[reason],
        nonce=exchange.nonce,
        scanned_at=exchange.scanned_at,
        event_id=event_id,
    )
