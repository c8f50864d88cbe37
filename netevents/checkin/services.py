"""Check-in: the scan rules of PRODUCT.md ("Check-in, precisely").

Race-free by construction, on SQLite and PostgreSQL alike:
- an entry is accepted only by a conditional UPDATE (`... WHERE inside = false`), so of several
  concurrent scans of one badge exactly one changes the row; the others read who won;
- a (actor, nonce) pair is unique in the scan log, so a repeated scan returns the stored first
  answer; two copies racing each other collide on the constraint and the loser is answered from
  the winner's row (`run_idempotent`).
"""

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import case, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from netevents.checkin.auth import ScanActor
from netevents.checkin.models import Direction, Scan, ScanResult
from netevents.db import utcnow
from netevents.errors import DomainError, NotFound
from netevents.events.models import EventStatus
from netevents.extensions import db
from netevents.registrations.models import Registration, RegistrationStatus

_SECRET = re.compile(r"[A-Za-z0-9_-]{16,64}")
_BADGE_PATH = re.compile(r"/b/([A-Za-z0-9_-]{16,64})/?")
#: A device clock this far ahead of ours is wrong; its scans are taken as received now.
MAX_CLOCK_SKEW = timedelta(minutes=10)

REJECTION_MESSAGES = {
    "unknown_badge": "This QR code is not a badge we know. Ask for their name and look them up.",
    "wrong_event": "This badge is for a different event.",
    "registration_cancelled": "This registration was cancelled.",
    "waitlisted": "{name} is on the waitlist, not confirmed yet.",
    "event_cancelled": "This event was cancelled.",
    "station_revoked": "This station was revoked; ask an organizer for a new pairing code.",
}


def badge_secret_from_qr(text: str) -> str | None:
    """The badge secret in a scanned QR: a badge URL on this site, or a bare secret."""
    text = text.strip()
    if _SECRET.fullmatch(text):
        return text
    try:
        url = urlsplit(text)
    except ValueError:
        return None
    ours = urlsplit(current_app.config["BASE_URL"])
    if url.scheme not in ("http", "https") or url.netloc.lower() != ours.netloc.lower():
        return None
    match = _BADGE_PATH.fullmatch(url.path)
    return match.group(1) if match else None


def _local_time(actor: ScanActor, moment: datetime) -> str:
    local = moment.astimezone(actor.event.zone)
    today = utcnow().astimezone(actor.event.zone).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d %b %H:%M")


def _answer(actor: ScanActor, scan: dict, result: ScanResult, reason: str | None, message: str,
            registration: Registration | None = None, first_checkin: dict | None = None) -> dict:
    show_person = registration is not None and reason != "wrong_event"
    return {
        "id": None,
        "result": result.value,
        "reason": reason,
        "message": message,
        "direction": scan["direction"].value,
        "nonce": scan["nonce"],
        "scanned_at": scan["scanned_at"].isoformat(),
        "registration_id": registration.id if show_person else None,
        "attendee": (
            {"name": registration.name, "headline": registration.headline, "company": registration.company}
            if show_person else None
        ),
        "first_checkin": first_checkin,
        "undone": False,
    }


def _rejected(actor, scan, reason, registration=None, message=None, first_checkin=None) -> dict:
    name = registration.name if registration else ""
    return _answer(actor, scan, ScanResult.rejected, reason,
                   message or REJECTION_MESSAGES[reason].format(name=name), registration, first_checkin)


def _decide(actor: ScanActor, scan: dict, registration: Registration | None) -> dict:
    """Apply one scan to the badge's state and say what happened."""
    event = actor.event
    if actor.revoked:
        return _rejected(actor, scan, "station_revoked")
    if registration is None:
        return _rejected(actor, scan, "unknown_badge")
    if registration.event_id != event.id:
        return _rejected(actor, scan, "wrong_event")
    if event.status == EventStatus.cancelled:
        return _rejected(actor, scan, "event_cancelled", registration)
    if registration.status == RegistrationStatus.cancelled:
        return _rejected(actor, scan, "registration_cancelled", registration)
    if registration.status == RegistrationStatus.waitlisted:
        return _rejected(actor, scan, "waitlisted", registration)
    opens, closes = event.checkin_window
    if not opens <= scan["scanned_at"] <= closes:
        when = (f"Check-in opens at {_local_time(actor, opens)}." if scan["scanned_at"] < opens
                else f"Check-in closed at {_local_time(actor, closes)}.")
        return _rejected(actor, scan, "outside_window", registration, when)
    if scan["direction"] == Direction.exit:
        return _apply_exit(actor, scan, registration)
    return _apply_entry(actor, scan, registration)


def _apply_entry(actor: ScanActor, scan: dict, registration: Registration) -> dict:
    changed = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.inside.is_(False),
               Registration.status == RegistrationStatus.confirmed)
        .values(
            inside=True,
            checked_in_at=func.coalesce(Registration.checked_in_at, scan["scanned_at"]),
            checked_in_station=case((Registration.checked_in_at.is_(None), actor.label),
                                    else_=Registration.checked_in_station),
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(registration)
    if changed:
        return _answer(actor, scan, ScanResult.accepted, None, f"Welcome, {registration.name}!", registration)
    if registration.checked_in_at is None:  # cancelled by an organizer a moment ago
        return _rejected(actor, scan, "registration_cancelled", registration)
    first = {"at": registration.checked_in_at.astimezone(actor.event.zone).isoformat(),
             "station_name": registration.checked_in_station}
    return _rejected(
        actor, scan, "already_checked_in", registration,
        f"{registration.name} is already checked in: {_local_time(actor, registration.checked_in_at)} "
        f"at {registration.checked_in_station}.",
        first_checkin=first,
    )


def _apply_exit(actor: ScanActor, scan: dict, registration: Registration) -> dict:
    changed = db.session.execute(
        update(Registration)
        .where(Registration.id == registration.id, Registration.inside.is_(True))
        .values(inside=False, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(registration)
    if changed:
        return _answer(actor, scan, ScanResult.accepted, None, f"Goodbye, {registration.name}. See you soon!",
                       registration)
    return _rejected(actor, scan, "not_checked_in", registration, f"{registration.name} is not checked in.")


def _normalise(scan: dict, received_at: datetime) -> dict:
    scanned_at = scan.get("scanned_at") or received_at
    if scanned_at > received_at + MAX_CLOCK_SKEW:
        scanned_at = received_at
    return {**scan, "scanned_at": scanned_at, "direction": scan.get("direction") or Direction.entry}


def _registrations_for(scans: list[dict]) -> tuple[dict[str, Registration], dict[int, Registration]]:
    secrets = {s["secret"] for s in scans if s.get("secret")}
    ids = {s["registration_id"] for s in scans if s.get("registration_id") is not None}
    by_secret, by_id = {}, {}
    query = select(Registration).options(lazyload(Registration.event))
    if secrets:
        for registration in db.session.scalars(query.where(Registration.badge_secret.in_(secrets))):
            by_secret[registration.badge_secret] = registration
    if ids:
        for registration in db.session.scalars(query.where(Registration.id.in_(ids))):
            by_id[registration.id] = registration
    return by_secret, by_id


def apply_scans(actor: ScanActor, scans: list[dict]) -> list[dict]:
    """Apply scans in scan-time order; one answer per scan, in the order given."""
    received_at = utcnow()
    scans = [_normalise(scan, received_at) for scan in scans]
    for scan in scans:
        qr = scan.get("qr")
        scan["secret"] = badge_secret_from_qr(qr) if qr is not None else None
    known = {
        nonce: {**answer, "id": scan_id}
        for nonce, answer, scan_id in db.session.execute(
            select(Scan.nonce, Scan.answer, Scan.id)
            .where(Scan.actor == actor.key, Scan.nonce.in_({s["nonce"] for s in scans}))
        )
    }
    by_secret, by_id = _registrations_for(scans)
    answers: list[dict | None] = [None] * len(scans)
    for index in sorted(range(len(scans)), key=lambda i: scans[i]["scanned_at"]):
        scan = scans[index]
        if scan["nonce"] in known:
            answers[index] = known[scan["nonce"]]
            continue
        registration = by_id.get(scan["registration_id"]) if scan.get("registration_id") is not None \
            else by_secret.get(scan["secret"])
        answer = _decide(actor, scan, registration)
        row = Scan(
            event_id=actor.event.id, station_id=actor.station.id if actor.station else None,
            user_id=actor.user.id if actor.user else None, actor=actor.key, nonce=scan["nonce"],
            registration_id=registration.id if registration and registration.event_id == actor.event.id else None,
            direction=scan["direction"], result=ScanResult(answer["result"]), reason=answer["reason"],
            scanned_at=scan["scanned_at"], received_at=received_at, answer=answer,
        )
        db.session.add(row)
        db.session.flush()
        answer = {**answer, "id": row.id}  # the stored answer leaves the id out: it is the row's own
        known[scan["nonce"]] = answer
        answers[index] = answer
    db.session.flush()
    return answers


def run_idempotent(operation: Callable[[], list[dict]]) -> list[dict]:
    """Run and commit; if a concurrent copy of the same scans won the nonce race, answer from its rows."""
    try:
        answers = operation()
        db.session.commit()
        return answers
    except IntegrityError:
        db.session.rollback()
    answers = operation()  # the nonces are in the log now: this pass only reads the stored answers
    db.session.commit()
    return answers


def undo_scan(scan_id: int, may_undo: Callable[[Scan], bool]) -> dict:
    """Reverse an accepted scan: the latest accepted one of its badge, by its station or an organizer."""
    scan = db.session.get(Scan, scan_id)
    if scan is None or not may_undo(scan):
        raise NotFound("scan")
    if scan.result != ScanResult.accepted or scan.undone_at is not None or scan.registration_id is None:
        raise DomainError("not_undoable", "Only an accepted scan that was not undone yet can be undone.")
    registration = db.session.scalars(
        select(Registration).where(Registration.id == scan.registration_id)
        .options(lazyload(Registration.event)).with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    later = db.session.scalar(
        select(func.count()).select_from(Scan).where(
            Scan.registration_id == registration.id, Scan.result == ScanResult.accepted,
            Scan.undone_at.is_(None), Scan.id > scan.id,
        )
    )
    if later:
        raise DomainError("not_undoable", "A later scan of this badge exists; undo that one first.")
    if scan.direction == Direction.exit:
        registration.inside = True
    else:
        registration.inside = False
        earlier_entry = db.session.scalar(
            select(Scan.id).where(
                Scan.registration_id == registration.id, Scan.result == ScanResult.accepted,
                Scan.direction == Direction.entry, Scan.undone_at.is_(None), Scan.id < scan.id,
            ).limit(1)
        )
        if earlier_entry is None:
            registration.checked_in_at = None
            registration.checked_in_station = None
    scan.undone_at = utcnow()
    scan.answer = {**scan.answer, "undone": True}
    registration.updated_at = utcnow()
    db.session.flush()
    return {**scan.answer, "id": scan.id}


def register_walk_in(actor: ScanActor, data: dict) -> tuple[Registration, dict]:
    """Register someone standing at the door and check them in at once; their badge works right away."""
    from netevents.registrations.models import RegistrationSource
    from netevents.registrations.services import register

    if actor.revoked:
        raise DomainError("station_revoked", REJECTION_MESSAGES["station_revoked"], status=403)
    registration = register(actor.event.id, data, signed_in=actor.user, source=RegistrationSource.walk_in,
                            at_the_door=True)
    [answer] = apply_scans(actor, [{"registration_id": registration.id, "nonce": f"walk-in:{registration.id}:"
                                    f"{registration.badge_secret[:8]}"}])
    return registration, answer
