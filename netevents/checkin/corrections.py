"""What the door does besides scanning: undo a mistaken scan, register someone standing at the door."""

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import lazyload

from netevents.checkin.actors import ScanActor
from netevents.checkin.answers import REFUSALS, ScanAnswer
from netevents.checkin.models import Direction, Scan, ScanReason, ScanResult
from netevents.checkin.services import SCAN_ANSWERS, perform_checkin
from netevents.db import new_secret, utcnow
from netevents.errors import DomainError, NotFound
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.ledger.services import correct_answer
from netevents.registrations.models import Registration, RegistrationSource
from netevents.registrations.services import register


def undo_scan(scan_id: int, may_undo: Callable[[Scan], bool]) -> ScanAnswer:
    """Reverse an accepted scan: the latest accepted one of its badge, by its station or an organizer."""
    scan = db.session.get(Scan, scan_id)
    if scan is None or not may_undo(scan):
        raise NotFound("scan")
    if scan.result != ScanResult.accepted or scan.undone_at is not None or scan.registration_id is None:
        raise DomainError("not_undoable", "Only an accepted scan that was not undone yet can be undone.")
    registration = db.session.scalars(
        select(Registration)
        .where(Registration.id == scan.registration_id)
        .options(lazyload(Registration.event))
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if _later_accepted_scans(scan):
        raise DomainError("not_undoable", "A later scan of this badge exists; undo that one first.")
    if scan.direction == Direction.exit:
        registration.inside = True
    else:
        registration.inside = False
        if not _earlier_entries(scan):
            registration.checked_in_at = None
            registration.checked_in_station = None
    scan.undone_at = registration.updated_at = utcnow()
    # A door that sends the scan again from now on hears that it was undone.
    entry = db.session.get_one(LedgerEntry, scan.id)
    answer: ScanAnswer = replace(SCAN_ANSWERS.load(entry.answer or {}), undone=True)
    correct_answer(entry.id, answer, SCAN_ANSWERS)
    db.session.flush()
    return answer


def _later_accepted_scans(scan: Scan) -> int:
    return db.session.scalars(
        select(func.count())
        .select_from(Scan)
        .where(
            Scan.registration_id == scan.registration_id,
            Scan.result == ScanResult.accepted,
            Scan.undone_at.is_(None),
            Scan.id > scan.id,
        )
    ).one()


def _earlier_entries(scan: Scan) -> bool:
    return (
        db.session.scalar(
            select(Scan.id)
            .where(
                Scan.registration_id == scan.registration_id,
                Scan.result == ScanResult.accepted,
                Scan.direction == Direction.entry,
                Scan.undone_at.is_(None),
                Scan.id < scan.id,
            )
            .limit(1)
        )
        is not None
    )


def register_walk_in(actor: ScanActor, data: dict[str, Any]) -> tuple[Registration, ScanAnswer]:
    """Register someone standing at the door and check them in at once; their badge works right away."""
    if actor.revoked:
        raise DomainError("station_revoked", REFUSALS[ScanReason.station_revoked], status=403)
    registration = register(
        actor.event.id, data, signed_in=actor.user, source=RegistrationSource.walk_in, at_the_door=True
    )
    answer = perform_checkin(actor, {"registration_id": registration.id, "nonce": f"walk-in:{new_secret(12)}"})
    return registration, answer
