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
from functools import lru_cache
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import String, Update, bindparam, case, func, insert, select, update
from sqlalchemy.engine import Connection, Row
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from netevents.checkin.auth import ScanActor
from netevents.checkin.models import Direction, Scan, ScanResult
from netevents.checkin.statements import DoorStatement, DoorTransaction
from netevents.db import UTCDateTime, utcnow
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


# The door's hot path runs these prebuilt Core statements on the session's connection: no ORM objects,
# no per-scan statement building (SQLAlchemy compiles each once), one round trip per step.
_registration = Registration.__table__
_scan = Scan.__table__


def _lookup(columns: tuple, key, *where) -> tuple:
    """`key = :value` for one value (a single scan), `key IN (:values)` for a batch: a pair of statements."""
    query = select(*columns).where(*where)
    return query.where(key == bindparam("value")), query.where(key.in_(bindparam("values", expanding=True)))


def _fetch(connection: Connection, lookup: tuple, values: set, **params):
    one, many = lookup
    if len(values) == 1:
        return connection.execute(one, {"value": next(iter(values)), **params})
    return connection.execute(many, {"values": list(values), **params})


#: What a scan needs to know about a badge.
_BADGE_COLUMNS = (_registration.c.id, _registration.c.event_id, _registration.c.status, _registration.c.name,
                  _registration.c.headline, _registration.c.company, _registration.c.badge_secret)
_BADGES_BY_SECRET = _lookup(_BADGE_COLUMNS, _registration.c.badge_secret)
_BADGES_BY_ID = _lookup(_BADGE_COLUMNS, _registration.c.id)
_KNOWN_NONCES = _lookup((_scan.c.nonce, _scan.c.answer, _scan.c.id), _scan.c.nonce,
                        _scan.c.actor == bindparam("actor"))


def _entry(key) -> Update:
    """An entry changes the row only if the person is not inside: of concurrent scans exactly one wins."""
    return (
        update(_registration)
        .where(key == bindparam("b_key"), _registration.c.event_id == bindparam("b_event_id"),
               _registration.c.inside.is_(False), _registration.c.status == RegistrationStatus.confirmed)
        .values(
            inside=True,
            checked_in_at=func.coalesce(_registration.c.checked_in_at, bindparam("b_scanned_at", type_=UTCDateTime())),
            checked_in_station=case((_registration.c.checked_in_at.is_(None), bindparam("b_station", type_=String())),
                                    else_=_registration.c.checked_in_station),
            updated_at=bindparam("b_now", type_=UTCDateTime()),
        )
        .returning(*_BADGE_COLUMNS)
    )


_ENTER_BY_ID = DoorStatement(_entry(_registration.c.id))
_ENTER_BY_SECRET = DoorStatement(_entry(_registration.c.badge_secret))
_EXIT = (
    update(_registration)
    .where(_registration.c.id == bindparam("b_id"), _registration.c.inside.is_(True))
    .values(inside=False, updated_at=bindparam("b_now", type_=UTCDateTime()))
    .returning(_registration.c.id)
)
_FIRST_CHECKIN = select(_registration.c.checked_in_at, _registration.c.checked_in_station).where(
    _registration.c.id == bindparam("b_id")
)
_SCAN_COLUMNS = ("event_id", "station_id", "user_id", "actor", "nonce", "registration_id", "direction", "result",
                 "reason", "scanned_at", "received_at", "undone_at", "answer")
#: A single scan's row; if its nonce is in the log already (a door sending a scan again), nothing is written and
#: nothing returned: no constraint error, so PostgreSQL's log is not filled with one per retry.
_RECORD_SCAN = {
    name: DoorStatement(
        dialect_insert(_scan).on_conflict_do_nothing(index_elements=["actor", "nonce"]).returning(_scan.c.id),
        _SCAN_COLUMNS,
    )
    for name, dialect_insert in (("sqlite", sqlite.insert), ("postgresql", postgresql.insert))
}
#: A batch's scan rows in one statement, ids in the order given (undo compares ids).
_RECORD_SCANS = insert(_scan).returning(_scan.c.id, sort_by_parameter_order=True)


class NonceUsed(DomainError):
    """A scan's nonce is in the log already: what this pass did must be undone, the stored answer given
    (`run_idempotent` does both). Should it ever escape, the door is told to send the scan again."""

    def __init__(self):
        super().__init__("conflict", "This scan arrived twice at the same moment; send it again.", status=409)


@lru_cache(maxsize=8)
def _host_of(base_url: str) -> str:
    return urlsplit(base_url).netloc.lower()


def badge_secret_from_qr(text: str) -> str | None:
    """The badge secret in a scanned QR: a badge URL on this site, or a bare secret."""
    text = text.strip()
    if _SECRET.fullmatch(text):
        return text
    try:
        url = urlsplit(text)
    except ValueError:
        return None
    if url.scheme not in ("http", "https") or url.netloc.lower() != _host_of(current_app.config["BASE_URL"]):
        return None
    match = _BADGE_PATH.fullmatch(url.path)
    return match.group(1) if match else None


def _local_time(actor: ScanActor, moment: datetime) -> str:
    local = moment.astimezone(actor.event.zone)
    today = utcnow().astimezone(actor.event.zone).date()
    return local.strftime("%H:%M") if local.date() == today else local.strftime("%d %b %H:%M")


def _answer(actor: ScanActor, scan: dict, result: ScanResult, reason: str | None, message: str,
            registration: Row | None = None, first_checkin: dict | None = None) -> dict:
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


def _decide(connection: Connection, actor: ScanActor, scan: dict, registration: Row | None) -> dict:
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
        return _apply_exit(connection, actor, scan, registration)
    return _apply_entry(connection, actor, scan, registration)


def _enter(connection: Connection, actor: ScanActor, scan: dict, statement: DoorStatement, key) -> Row | None:
    """The badge's registration if this entry let them in; None if it changed nothing."""
    return statement.first(connection, {
        "b_key": key, "b_event_id": actor.event.id, "b_scanned_at": scan["scanned_at"], "b_station": actor.label,
        "b_now": utcnow(),
    })


def _welcome(actor: ScanActor, scan: dict, registration: Row) -> dict:
    return _answer(actor, scan, ScanResult.accepted, None, f"Welcome, {registration.name}!", registration)


def _enter_at_once(connection: Connection, actor: ScanActor, scan: dict) -> tuple[Row, dict] | None:
    """The usual scan in one statement: an entry, in the window, of a confirmed badge of this event who is not
    inside. Anything else (no row changed) goes through `_decide`, which finds out what it is."""
    if actor.revoked or actor.event.status == EventStatus.cancelled or scan["direction"] != Direction.entry:
        return None
    opens, closes = actor.event.checkin_window
    if not opens <= scan["scanned_at"] <= closes:
        return None
    if scan.get("registration_id") is not None:
        registration = _enter(connection, actor, scan, _ENTER_BY_ID, scan["registration_id"])
    elif scan["secret"]:
        registration = _enter(connection, actor, scan, _ENTER_BY_SECRET, scan["secret"])
    else:
        return None
    return (registration, _welcome(actor, scan, registration)) if registration else None


def _apply_entry(connection: Connection, actor: ScanActor, scan: dict, registration: Row) -> dict:
    if _enter(connection, actor, scan, _ENTER_BY_ID, registration.id):
        return _welcome(actor, scan, registration)
    # Someone else let them in (or an organizer cancelled them a moment ago): read who won, and when.
    checked_in_at, station_name = connection.execute(_FIRST_CHECKIN, {"b_id": registration.id}).one()
    if checked_in_at is None:
        return _rejected(actor, scan, "registration_cancelled", registration)
    first = {"at": checked_in_at.astimezone(actor.event.zone).isoformat(), "station_name": station_name}
    return _rejected(
        actor, scan, "already_checked_in", registration,
        f"{registration.name} is already checked in: {_local_time(actor, checked_in_at)} at {station_name}.",
        first_checkin=first,
    )


def _apply_exit(connection: Connection, actor: ScanActor, scan: dict, registration: Row) -> dict:
    changed = connection.execute(_EXIT, {"b_id": registration.id, "b_now": utcnow()}).first()
    if changed:
        return _answer(actor, scan, ScanResult.accepted, None, f"Goodbye, {registration.name}. See you soon!",
                       registration)
    return _rejected(actor, scan, "not_checked_in", registration, f"{registration.name} is not checked in.")


def _normalise(scan: dict, received_at: datetime) -> dict:
    scanned_at = scan.get("scanned_at") or received_at
    if scanned_at > received_at + MAX_CLOCK_SKEW:
        scanned_at = received_at
    return {**scan, "scanned_at": scanned_at, "direction": scan.get("direction") or Direction.entry}


def _registrations_for(connection: Connection, scans: list[dict]) -> tuple[dict[str, Row], dict[int, Row]]:
    """The scanned badges, each read once, whatever the size of the batch."""
    secrets = {s["secret"] for s in scans if s.get("secret")}
    ids = {s["registration_id"] for s in scans if s.get("registration_id") is not None}
    by_secret = {row.badge_secret: row for row in _fetch(connection, _BADGES_BY_SECRET, secrets)} if secrets else {}
    by_id = {row.id: row for row in _fetch(connection, _BADGES_BY_ID, ids)} if ids else {}
    return by_secret, by_id


def apply_scans(transaction: DoorTransaction, actor: ScanActor, scans: list[dict], *,
                optimistic: bool = False) -> list[dict]:
    """Apply scans in scan-time order, in `transaction`; one answer per scan, in the order given.

    `optimistic` skips looking the nonces up first (one query less for the usual single scan): a nonce
    sent before then fails on the scan log's unique constraint, and `run_idempotent` rolls everything
    back and asks again, this time looking it up. Not for batches, which are often sent again whole.
    """
    received_at = utcnow()
    scans = [_normalise(scan, received_at) for scan in scans]
    for scan in scans:
        qr = scan.get("qr")
        scan["secret"] = badge_secret_from_qr(qr) if qr is not None else None
    connection = transaction.connection()  # on SQLite, from here on other workers' writes wait
    known = {} if optimistic else {
        nonce: {**answer, "id": scan_id}
        for nonce, answer, scan_id in _fetch(connection, _KNOWN_NONCES, {s["nonce"] for s in scans}, actor=actor.key)
    }
    by_secret = by_id = None  # read only if a scan is not the usual case
    answers: list[dict | None] = [None] * len(scans)
    rows: list[dict] = []  # the scan log rows to write, in scan-time order
    answered_by: dict[str, list[int]] = {}  # nonce -> the indexes its row answers (a batch may repeat one)
    station_id = actor.station.id if actor.station else None
    user_id = actor.user.id if actor.user else None
    for index in sorted(range(len(scans)), key=lambda i: scans[i]["scanned_at"]):
        scan = scans[index]
        nonce = scan["nonce"]
        if nonce in known:
            answers[index] = known[nonce]
            continue
        if nonce in answered_by:
            answered_by[nonce].append(index)
            continue
        registration, answer = _enter_at_once(connection, actor, scan) or (None, None)
        if answer is None:
            if by_secret is None:
                by_secret, by_id = _registrations_for(connection, scans)
            registration = by_id.get(scan["registration_id"]) if scan.get("registration_id") is not None \
                else by_secret.get(scan["secret"])
            answer = _decide(connection, actor, scan, registration)
        rows.append({
            "event_id": actor.event.id, "station_id": station_id, "user_id": user_id, "actor": actor.key,
            "nonce": nonce,
            "registration_id": registration.id if registration and registration.event_id == actor.event.id else None,
            "direction": scan["direction"], "result": ScanResult(answer["result"]), "reason": answer["reason"],
            "scanned_at": scan["scanned_at"], "received_at": received_at, "undone_at": None, "answer": answer,
        })
        answered_by[nonce] = [index]
    if rows:
        # One INSERT for the whole batch; a nonce another request just wrote raises IntegrityError here
        # (a single scan's raises NonceUsed).
        if len(rows) == 1:
            recorded = _RECORD_SCAN[connection.dialect.name].first(connection, rows[0])
            if recorded is None:
                raise NonceUsed()
            scan_ids = [recorded.id]
        else:
            scan_ids = connection.execute(_RECORD_SCANS, rows).scalars().all()
        for row, scan_id in zip(rows, scan_ids, strict=True):
            answer = {**row["answer"], "id": scan_id}  # the stored answer leaves the id out: it is the row's own
            for index in answered_by[row["nonce"]]:
                answers[index] = answer
    return answers


def run_idempotent(transaction: DoorTransaction, actor: ScanActor, scans: list[dict], *,
                   optimistic: bool = False) -> list[dict]:
    """`apply_scans` and commit; if the nonces were used before (or a concurrent copy of the same scans won
    the race), roll back and answer from the stored rows. `optimistic` applies to the first try only."""
    try:
        answers = apply_scans(transaction, actor, scans, optimistic=optimistic)
        transaction.commit()
        return answers
    except (IntegrityError, NonceUsed):
        transaction.rollback()
    answers = apply_scans(transaction, actor, scans)  # the nonces are in the log now: this pass only reads them
    transaction.commit()
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
    db.session.flush()  # the new registration, visible to the scan's statements on the session's connection
    [answer] = apply_scans(DoorTransaction(own_connection=False), actor, [{
        "registration_id": registration.id, "nonce": f"walk-in:{registration.id}:{registration.badge_secret[:8]}"}])
    return registration, answer
