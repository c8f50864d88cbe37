"""What the door does besides scanning: undo a mistaken scan, register someone standing at the door."""

from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, func, select, tuple_
from sqlalchemy.orm import lazyload

from netevents.accounts.models import User
from netevents.accounts.services import normalise_email
from netevents.checkin.actors import ScanActor
from netevents.checkin.answers import REFUSALS, ScanAnswer
from netevents.checkin.models import Direction, Scan, ScanReason, ScanResult, Station
from netevents.checkin.services import SCAN_ANSWERS, perform_checkin
from netevents.db import new_secret, utcnow
from netevents.errors import DomainError, NotFound
from netevents.events.models import Event, local_time
from netevents.events.services import is_organizer
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.ledger.services import correct_answer, fingerprint, record_once
from netevents.registrations.models import Registration, RegistrationSource, RegistrationStatus
from netevents.registrations.services import register

# --- undo -------------------------------------------------------------------------------------------------


def undo_scan(scan_id: int, *, station: Station | None = None, user: User | None = None) -> ScanAnswer:
    """Reverse an accepted scan: the latest accepted one of its badge, by its station or an organizer."""
    scan = db.session.get(Scan, scan_id)
    if scan is None:
        raise NotFound("scan")
    _check_may_undo(scan, station, user)
    if scan.result != ScanResult.accepted or scan.undone_at is not None or scan.registration_id is None:
        raise DomainError("not_undoable", "Only an accepted scan that was not undone yet can be undone.")
    registration = db.session.scalars(
        select(Registration)
        .where(Registration.id == scan.registration_id)
        .options(lazyload(Registration.event))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if _accepted_scans(scan, _applied_after(scan)):
        raise DomainError("not_undoable", "A later scan of this badge exists; undo that one first.")
    if scan.direction == Direction.exit:
        registration.inside = True
    else:
        registration.inside = False
        if not _accepted_scans(scan, ~_applied_after(scan), Scan.id != scan.id, Scan.direction == Direction.entry):
            registration.checked_in_at = None
            registration.checked_in_station = None
    scan.undone_at = registration.updated_at = utcnow()
    # A door that sends the scan again from now on hears that it was undone.
    entry = db.session.get_one(LedgerEntry, scan.id)
    answer: ScanAnswer = replace(SCAN_ANSWERS.load(entry.answer or {}), undone=True)
    correct_answer(entry.id, answer, SCAN_ANSWERS)
    db.session.flush()
    return answer


def _check_may_undo(scan: Scan, station: Station | None, user: User | None) -> None:
    """The station that made the scan, or an organizer of its event. Another station of the same event is told
    why not (403); anyone else learns nothing of the scan (404)."""
    if station is not None:
        if scan.event_id != station.event_id:
            raise NotFound("scan")
        if scan.station_id != station.id:
            raise DomainError(
                "undo_not_allowed",
                f"Only the station that made a scan, or an organizer, can undo it; this scan was made "
                f"{_made_by(scan)}.",
                status=403,
            )
        return
    event = db.session.get(Event, scan.event_id)
    if event is None or not is_organizer(event, user):
        raise NotFound("scan")


def _made_by(scan: Scan) -> str:
    if scan.station_id is not None:
        return f"at {db.session.get_one(Station, scan.station_id).name}"
    return "by an organizer" if scan.user_id is not None else "by a join link"


def _applied_after(scan: Scan) -> ColumnElement[bool]:
    """Scans applied after this one: in a later request, or later in its batch (applied in scan-time order;
    ids follow the batch's nonces, not that order)."""
    return tuple_(Scan.received_at, Scan.scanned_at, Scan.id) > tuple_(scan.received_at, scan.scanned_at, scan.id)


def _accepted_scans(scan: Scan, *conditions: ColumnElement[bool]) -> int:
    """How many accepted, not undone scans of this scan's badge meet `conditions`."""
    return db.session.scalars(
        select(func.count())
        .select_from(Scan)
        .where(
            Scan.registration_id == scan.registration_id,
            Scan.result == ScanResult.accepted,
            Scan.undone_at.is_(None),
            *conditions,
        )
    ).one()


# --- walk-ins ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WalkIn:
    """A walk-in registered and checked in: the answer to the door."""

    registration: Registration
    checkin: ScanAnswer


@dataclass(frozen=True, slots=True)
class _WalkInRecord:
    """What the ledger keeps of a walk-in: ids only (the person's data stays in their registration, where
    erasing an account finds it)."""

    registration_id: int
    checkin_id: int


class _WalkInRecords:
    def dump(self, record: _WalkInRecord) -> dict[str, Any]:
        return {"registration_id": record.registration_id, "checkin_id": record.checkin_id}

    def load(self, data: dict[str, Any]) -> _WalkInRecord:
        return _WalkInRecord(data["registration_id"], data["checkin_id"])


def register_walk_in(actor: ScanActor, data: dict[str, Any]) -> WalkIn:
    """Register someone standing at the door and check them in at once; their badge works right away.

    With the client's `nonce`, a walk-in sent again (no answer came back) is answered as the first time and
    registers nobody twice; the same nonce for another email is refused (409 nonce_reused). Walk-ins are kept
    apart from scans in the ledger (actor "<device>:walk-in"), so their nonces never meet a scan's."""
    if actor.revoked:
        raise DomainError("station_revoked", REFUSALS[ScanReason.station_revoked], status=403)
    data = dict(data)
    nonce = data.pop("nonce", None) or new_secret(12)
    record = record_once(
        f"{actor.key}:walk-in",
        nonce,
        partial(_register_walk_in, actor, data),
        _WalkInRecords(),
        fingerprint=fingerprint("walk-in", normalise_email(data["email"])),
    )
    registration = db.session.get(Registration, record.registration_id)
    checkin = db.session.get(LedgerEntry, record.checkin_id)
    if registration is None or checkin is None:  # erased since (the person deleted their account)
        raise NotFound("registration")
    return WalkIn(registration, SCAN_ANSWERS.load(checkin.answer or {}))


def _register_walk_in(actor: ScanActor, data: dict[str, Any], _ledger_entry_id: int) -> _WalkInRecord:
    _check_walk_ins_open(actor)
    try:
        registration = register(
            actor.event.id, data, signed_in=actor.user, source=RegistrationSource.walk_in, at_the_door=True
        )
    except DomainError as refusal:
        if refusal.code != "already_registered":
            raise
        raise _already_registered(actor, data["email"]) or refusal from None
    # Random: nothing of the badge secret (or of anything else) is in a nonce.
    answer = perform_checkin(actor, {"registration_id": registration.id, "nonce": f"walk-in:{new_secret(12)}"})
    assert answer.id is not None
    return _WalkInRecord(registration.id, answer.id)


def _check_walk_ins_open(actor: ScanActor) -> None:
    """Walk-ins are registered while the door lets people in (the event's check-in window), as the person stands
    there: not a day before, when registering someone else is the event page's way, with its consent rules."""
    opens, closes = actor.event.checkin_window
    now = utcnow()
    if opens <= now <= closes:
        return
    raise DomainError(
        "outside_window",
        f"Walk-ins open with check-in, at {local_time(opens, actor.event.zone)}."
        if now < opens
        else f"Check-in closed at {local_time(closes, actor.event.zone)}; walk-ins are closed too.",
        status=409,
    )


def _already_registered(actor: ScanActor, email: str) -> DomainError | None:
    """Someone registered already: the door gets their registration id, to check them in instead."""
    address = normalise_email(email)
    registration_id = db.session.scalar(
        select(Registration.id).where(
            Registration.event_id == actor.event.id,
            Registration.email == address,
            Registration.status != RegistrationStatus.cancelled,
        )
    )
    if registration_id is None:
        return None
    # Not under which name: typing addresses at a door must not tell whose they are.
    return DomainError(
        "already_registered",
        f"{address} is already registered for this event: ask for their name and check them in by it instead.",
        field="email",
        registration_id=registration_id,
    )
