"""The door's rules for one scan (PRODUCT.md, "Check-in, precisely"): let the person in or out, or say why not.

Race-free by construction: an entry changes the registration only by a conditional UPDATE
(`... WHERE inside = false`), so of several stations scanning one badge at once exactly one changes the
row; the others find out who won and when. Every scan, accepted or not, is written to the scan log.

The earliest arrival wins: a person's `checked_in_at` is the earliest entry scan of theirs, however late it
arrives (an offline queue uploads hours later). An entry of someone already inside that was scanned before their
recorded arrival is still a repeat (`already_checked_in`: of racing scans exactly one is accepted, whatever
their clocks say, so one badge never lets two people in), but its time and station become their arrival, by a
conditional UPDATE too (`... WHERE checked_in_at > :scanned_at`, so of racing earlier scans the earliest stays).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Row, String, Update, bindparam, case, insert, or_, select, update

from netevents.checkin.actors import ScanActor
from netevents.checkin.answers import REFUSALS, AttendeeCard, FirstCheckin, ScanAnswer
from netevents.checkin.models import Direction, Scan, ScanReason, ScanResult
from netevents.db import UTCDateTime, table_of, utcnow
from netevents.events.models import EventStatus
from netevents.extensions import db
from netevents.registrations.models import Registration, RegistrationStatus, ReplacedBadge
from netevents.tokens import hash_token

# A scan's statements are built once (SQLAlchemy compiles each once per database) and run on the connection of
# the request's session, in its transaction: they are plain SQL on tables, with no ORM object to keep in step.
_registration, _scan = table_of(Registration).c, table_of(Scan)

#: A badge's row, as the scan reads it: (id, event_id, status, name, headline, company).
Badge = Row[*tuple[Any, ...]]

#: What a scan needs to know about a badge.
_BADGE = (
    _registration.id,
    _registration.event_id,
    _registration.status,
    _registration.name,
    _registration.headline,
    _registration.company,
)


_SCANNED_AT = bindparam("scanned_at", type_=UTCDateTime())
#: This entry is the person's first, or earlier than the arrival recorded so far.
_ARRIVES_EARLIER = or_(_registration.checked_in_at.is_(None), _registration.checked_in_at > _SCANNED_AT)


def _admission(key: Any) -> Update:
    """Let the badge whose `key` is :badge in, if it is a confirmed badge of this event and not inside: a
    conditional UPDATE, so of several concurrent entries exactly one changes the row. Its arrival time becomes
    this scan's if that is earlier (SET reads the row as it was before the UPDATE, on SQLite and PostgreSQL)."""
    return (
        update(table_of(Registration))
        .where(
            key == bindparam("badge"),
            _registration.event_id == bindparam("event"),
            _registration.inside.is_(False),
            _registration.status == RegistrationStatus.confirmed,
        )
        .values(
            inside=True,
            checked_in_at=case((_ARRIVES_EARLIER, _SCANNED_AT), else_=_registration.checked_in_at),
            checked_in_station=case(
                (_ARRIVES_EARLIER, bindparam("station", type_=String())), else_=_registration.checked_in_station
            ),
            updated_at=bindparam("now", type_=UTCDateTime()),
        )
        .returning(*_BADGE)
    )


_ADMIT_BY_ID, _ADMIT_BY_SECRET = _admission(_registration.id), _admission(_registration.badge_secret)
#: Someone inside whose entry scanned now happened before the arrival recorded so far (an offline scan older
#: than an online one): this scan's time and station become their arrival; nothing else changes.
_EARLIER_ARRIVAL = (
    update(table_of(Registration))
    .where(
        _registration.id == bindparam("badge"),
        _registration.event_id == bindparam("event"),
        _registration.inside.is_(True),
        _registration.status == RegistrationStatus.confirmed,
        _registration.checked_in_at > _SCANNED_AT,
    )
    .values(
        checked_in_at=_SCANNED_AT,
        checked_in_station=bindparam("station", type_=String()),
        updated_at=bindparam("now", type_=UTCDateTime()),
    )
    .returning(*_BADGE)
)
_LET_OUT = (
    update(table_of(Registration))
    .where(_registration.id == bindparam("badge"), _registration.inside.is_(True))
    .values(inside=False, updated_at=bindparam("now", type_=UTCDateTime()))
    .returning(_registration.id)
)
_BADGE_BY_ID = select(*_BADGE).where(_registration.id == bindparam("badge"))
_BADGE_BY_SECRET = select(*_BADGE).where(_registration.badge_secret == bindparam("badge"))
_replaced = table_of(ReplacedBadge).c
_REPLACED_BADGE = (
    select(*_BADGE)
    .join_from(table_of(ReplacedBadge), table_of(Registration), _registration.id == _replaced.registration_id)
    .where(_replaced.secret_hash == bindparam("secret_hash"))
)
_FIRST_CHECKIN = select(_registration.checked_in_at, _registration.checked_in_station).where(
    _registration.id == bindparam("badge")
)
_LOG_SCAN = insert(_scan)


@dataclass(frozen=True, slots=True)
class BadgeScan:
    """One scan as the rules see it: which badge (by QR secret, or a person found by name), when, which way."""

    nonce: str
    scanned_at: datetime
    received_at: datetime
    direction: Direction = Direction.entry
    secret: str | None = None
    registration_id: int | None = None
    #: The time the device sent when its clock was too far ahead to be taken (`scanned_at` is `received_at`).
    device_scanned_at: datetime | None = None


#: Asked once per scan whose QR names no badge: may this device have one more? (checkin/budget.py)
UnknownBadgeAllowance = Callable[[], bool]


def apply_scan(
    actor: ScanActor, scan: BadgeScan, ledger_entry_id: int, unknown_badge_allowed: UnknownBadgeAllowance
) -> ScanAnswer:
    """Apply one scan to its badge and say what happened; the scan's id is its ledger entry's."""
    _badge, answer = _admit_at_once(actor, scan) or _decide(actor, scan, unknown_badge_allowed)
    if scan.device_scanned_at is not None:
        answer = replace(answer, clock_skew=True, message=f"{answer.message} {_clock_note(scan)}")
    return replace(answer, id=ledger_entry_id)


def _clock_note(scan: BadgeScan) -> str:
    assert scan.device_scanned_at is not None
    ahead = scan.device_scanned_at - scan.received_at
    hours = round(ahead / timedelta(hours=1))
    amount = (
        f"{round(ahead / timedelta(days=1))} days"
        if hours >= 48
        else f"{hours} h"
        if hours >= 2
        else f"{round(ahead / timedelta(minutes=1))} min"
    )
    return (
        f"(This phone's clock is {amount} ahead, so the scan counts as made when it arrived. Set the phone's "
        "clock right.)"
    )


def log_scans(actor: ScanActor, applied: list[tuple[BadgeScan, ScanAnswer]]) -> None:
    """Write applied scans to the event's scan log, accepted or not (a batch's in one statement)."""
    if not applied:
        return
    rows = [
        {
            "id": answer.id,
            "event_id": actor.event.id,
            "station_id": actor.station_id,
            "user_id": actor.user.id if actor.user else None,
            "registration_id": answer.registration_id,
            "direction": scan.direction,
            "result": answer.result,
            "reason": answer.reason,
            "scanned_at": scan.scanned_at,
            "received_at": scan.received_at,
            "undone_at": None,
        }
        for scan, answer in applied
    ]
    db.session.connection().execute(_LOG_SCAN, rows[0] if len(rows) == 1 else rows)


def _admit_at_once(actor: ScanActor, scan: BadgeScan) -> tuple[Badge, ScanAnswer] | None:
    """The usual scan in one statement: an entry, in the window, of a confirmed badge of this event who is
    not inside. Anything else changes nothing here, and `_decide` finds out what it is."""
    if actor.refusal or actor.event.status == EventStatus.cancelled or scan.direction != Direction.entry:
        return None
    if not _in_window(actor, scan):
        return None
    if scan.registration_id is not None:
        admitted = _admit(actor, scan, _ADMIT_BY_ID, scan.registration_id)
    elif scan.secret is not None:
        admitted = _admit(actor, scan, _ADMIT_BY_SECRET, scan.secret)
    else:
        return None
    return (admitted, _welcome(scan, admitted)) if admitted else None


def _decide(
    actor: ScanActor, scan: BadgeScan, unknown_badge_allowed: UnknownBadgeAllowance
) -> tuple[Badge | None, ScanAnswer]:
    """Every rule in turn; the badge is returned only when it belongs to this event."""
    if actor.refusal:
        return None, _refused(scan, actor.refusal)
    badge = _find_badge(scan)
    if badge is not None and scan.registration_id is not None and badge.event_id != actor.event.id:
        # A number is typed, not scanned: another event's answers as a number nobody has, so nobody probes which
        # numbers are registrations elsewhere. A scanned badge of another event still says so (PRODUCT.md).
        badge = None
    if badge is None:
        replaced = _replaced_badge(scan)
        if replaced is None:
            allowed = unknown_badge_allowed()
            return None, _refused(scan, ScanReason.unknown_badge if allowed else ScanReason.too_many_unknown_badges)
        if replaced.event_id != actor.event.id:
            return None, _refused(scan, ScanReason.wrong_event)
        return replaced, _refused(scan, ScanReason.badge_replaced, replaced)
    if badge.event_id != actor.event.id:
        return None, _refused(scan, ScanReason.wrong_event)  # and nothing about the person
    if actor.event.status == EventStatus.cancelled:
        return badge, _refused(scan, ScanReason.event_cancelled, badge)
    if badge.status == RegistrationStatus.cancelled:
        return badge, _refused(scan, ScanReason.registration_cancelled, badge)
    if badge.status == RegistrationStatus.waitlisted:
        return badge, _refused(scan, ScanReason.waitlisted, badge)
    if not _in_window(actor, scan):
        opens, closes = actor.event.checkin_window
        when = (
            f"Check-in opens at {_local_time(actor, opens, scan)}."
            if scan.scanned_at < opens
            else f"Check-in closed at {_local_time(actor, closes, scan)}."
        )
        return badge, _refused(scan, ScanReason.outside_window, badge, when)
    if scan.direction == Direction.exit:
        return badge, _let_out(scan, badge)
    return badge, _let_in(actor, scan, badge)


def _let_in(actor: ScanActor, scan: BadgeScan, badge: Badge) -> ScanAnswer:
    admitted = _admit(actor, scan, _ADMIT_BY_ID, badge.id)
    if admitted:
        return _welcome(scan, admitted)
    arrived_earlier = _admit(actor, scan, _EARLIER_ARRIVAL, badge.id) is not None
    # Someone else let them in (or an organizer cancelled them a moment ago): read who won, and when.
    checked_in_at, station_name = db.session.connection().execute(_FIRST_CHECKIN, {"badge": badge.id}).one()
    if checked_in_at is None:
        return _refused(scan, ScanReason.registration_cancelled, badge)
    first_checkin = FirstCheckin(checked_in_at.astimezone(actor.event.zone), station_name)
    if arrived_earlier:
        message = (
            f"{badge.name} was already inside; this earlier scan ({_local_time(actor, checked_in_at, scan)}) is "
            "their arrival time now."
        )
    else:
        message = f"{badge.name} is already checked in: {_local_time(actor, checked_in_at, scan)} at {station_name}."
    return _refused(scan, ScanReason.already_checked_in, badge, message, first_checkin=first_checkin)


def _let_out(scan: BadgeScan, badge: Badge) -> ScanAnswer:
    left = db.session.connection().execute(_LET_OUT, {"badge": badge.id, "now": utcnow()}).first()
    if left is None:
        return _refused(scan, ScanReason.not_checked_in, badge)
    return _accepted(scan, badge, f"Goodbye, {badge.name}. See you soon!")


def _admit(actor: ScanActor, scan: BadgeScan, admission: Update, badge: int | str) -> Badge | None:
    """The badge's row if this entry let them in; None if it changed nothing."""
    return (
        db.session.connection()
        .execute(
            admission,
            {
                "badge": badge,
                "event": actor.event.id,
                "scanned_at": scan.scanned_at,
                "station": actor.label,
                "now": utcnow(),
            },
        )
        .first()
    )


def _find_badge(scan: BadgeScan) -> Badge | None:
    if scan.registration_id is not None:
        return db.session.connection().execute(_BADGE_BY_ID, {"badge": scan.registration_id}).first()
    if scan.secret is not None:
        return db.session.connection().execute(_BADGE_BY_SECRET, {"badge": scan.secret}).first()
    return None


def _replaced_badge(scan: BadgeScan) -> Badge | None:
    """The badge whose old secret this scan's is (it was replaced by a new one), if any."""
    if scan.secret is None:
        return None
    return db.session.connection().execute(_REPLACED_BADGE, {"secret_hash": hash_token(scan.secret)}).first()


def _in_window(actor: ScanActor, scan: BadgeScan) -> bool:
    opens, closes = actor.event.checkin_window
    return opens <= scan.scanned_at <= closes


def _local_time(actor: ScanActor, moment: datetime, scan: BadgeScan) -> str:
    """A time in the event's zone, as the door reads it: the time alone only on the day of the scan, when that
    is today too ("18:42"); with its date otherwise ("03 Dec 02:28"): an offline scan is read a day later."""
    zone = actor.event.zone
    local = moment.astimezone(zone)
    same_day = local.date() == scan.scanned_at.astimezone(zone).date() == utcnow().astimezone(zone).date()
    return local.strftime("%H:%M") if same_day else local.strftime("%d %b %H:%M")


def _answer(scan: BadgeScan, result: ScanResult, message: str, badge: Badge | None = None, **fields: Any) -> ScanAnswer:
    return ScanAnswer(
        result=result,
        message=message,
        nonce=scan.nonce,
        direction=scan.direction,
        scanned_at=scan.scanned_at,
        registration_id=badge.id if badge else None,
        attendee=AttendeeCard(badge.name, badge.headline, badge.company) if badge else None,
        **fields,
    )


def _accepted(scan: BadgeScan, badge: Badge, message: str) -> ScanAnswer:
    return _answer(scan, ScanResult.accepted, message, badge)


def _welcome(scan: BadgeScan, badge: Badge) -> ScanAnswer:
    return _accepted(scan, badge, f"Welcome, {badge.name}!")


def _refused(
    scan: BadgeScan,
    reason: ScanReason,
    badge: Badge | None = None,
    message: str | None = None,
    first_checkin: FirstCheckin | None = None,
) -> ScanAnswer:
    message = message or REFUSALS[reason].format(name=badge.name if badge else "")
    return _answer(scan, ScanResult.rejected, message, badge, reason=reason, first_checkin=first_checkin)
