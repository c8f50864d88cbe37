"""The door's rules for one scan (PRODUCT.md, "Check-in, precisely"): let the person in or out, or say why not.

Race-free by construction: an entry changes the registration only by a conditional UPDATE
(`... WHERE inside = false`), so of several stations scanning one badge at once exactly one changes the
row; the others find out who won and when. Every scan, accepted or not, is written to the scan log.
"""

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Row, String, Update, bindparam, case, func, insert, select, update

from netevents.checkin.actors import ScanActor
from netevents.checkin.answers import REFUSALS, AttendeeCard, FirstCheckin, ScanAnswer
from netevents.checkin.models import Direction, Scan, ScanReason, ScanResult
from netevents.db import UTCDateTime, table_of, utcnow
from netevents.events.models import EventStatus
from netevents.extensions import db
from netevents.registrations.models import Registration, RegistrationStatus

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


def _admission(key: Any) -> Update:
    """Let the badge whose `key` is :badge in, if it is a confirmed badge of this event and not inside: a
    conditional UPDATE, so of several concurrent entries exactly one changes the row."""
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
            checked_in_at=func.coalesce(_registration.checked_in_at, bindparam("scanned_at", type_=UTCDateTime())),
            checked_in_station=case(
                (_registration.checked_in_at.is_(None), bindparam("station", type_=String())),
                else_=_registration.checked_in_station,
            ),
            updated_at=bindparam("now", type_=UTCDateTime()),
        )
        .returning(*_BADGE)
    )


_ADMIT_BY_ID, _ADMIT_BY_SECRET = _admission(_registration.id), _admission(_registration.badge_secret)
_LET_OUT = (
    update(table_of(Registration))
    .where(_registration.id == bindparam("badge"), _registration.inside.is_(True))
    .values(inside=False, updated_at=bindparam("now", type_=UTCDateTime()))
    .returning(_registration.id)
)
_BADGE_BY_ID = select(*_BADGE).where(_registration.id == bindparam("badge"))
_BADGE_BY_SECRET = select(*_BADGE).where(_registration.badge_secret == bindparam("badge"))
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


def apply_scan(actor: ScanActor, scan: BadgeScan, ledger_entry_id: int) -> ScanAnswer:
    """Apply one scan to its badge and say what happened; the scan's id is its ledger entry's."""
    _badge, answer = _admit_at_once(actor, scan) or _decide(actor, scan)
    return replace(answer, id=ledger_entry_id)


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
    if actor.revoked or actor.event.status == EventStatus.cancelled or scan.direction != Direction.entry:
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


def _decide(actor: ScanActor, scan: BadgeScan) -> tuple[Badge | None, ScanAnswer]:
    """Every rule in turn; the badge is returned only when it belongs to this event."""
    if actor.revoked:
        return None, _refused(scan, ScanReason.station_revoked)
    badge = _find_badge(scan)
    if badge is None:
        return None, _refused(scan, ScanReason.unknown_badge)
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
            f"Check-in opens at {_local_time(actor, opens)}."
            if scan.scanned_at < opens
            else f"Check-in closed at {_local_time(actor, closes)}."
        )
        return badge, _refused(scan, ScanReason.outside_window, badge, when)
    if scan.direction == Direction.exit:
        return badge, _let_out(scan, badge)
    return badge, _let_in(actor, scan, badge)


def _let_in(actor: ScanActor, scan: BadgeScan, badge: Badge) -> ScanAnswer:
    admitted = _admit(actor, scan, _ADMIT_BY_ID, badge.id)
    if admitted:
        return _welcome(scan, admitted)
    # Someone else let them in (or an organizer cancelled them a moment ago): read who won, and when.
    checked_in_at, station_name = db.session.connection().execute(_FIRST_CHECKIN, {"badge": badge.id}).one()
    if checked_in_at is None:
        return _refused(scan, ScanReason.registration_cancelled, badge)
    return _refused(
        scan,
        ScanReason.already_checked_in,
        badge,
        f"{badge.name} is already checked in: {_local_time(actor, checked_in_at)} at {station_name}.",
        first_checkin=FirstCheckin(checked_in_at.astimezone(actor.event.zone), station_name),
    )


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


def _in_window(actor: ScanActor, scan: BadgeScan) -> bool:
    opens, closes = actor.event.checkin_window
    return opens <= scan.scanned_at <= closes


def _local_time(actor: ScanActor, moment: datetime) -> str:
    local = moment.astimezone(actor.event.zone)
    today = utcnow().astimezone(actor.event.zone).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d %b %H:%M")


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
