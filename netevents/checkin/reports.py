"""What the door and the organizers read: attendance figures, the scan log, the offline badge list."""

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select

from netevents.checkin.models import Scan, Station
from netevents.checkin.stations import attach_scan_counts
from netevents.csvout import csv_response
from netevents.db import utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.registrations.attended import came
from netevents.registrations.models import Registration, RegistrationSource, RegistrationStatus

ARRIVAL_BUCKET = timedelta(minutes=5)


def attendance(event: Event) -> dict:
    """Counts that never double count: they are read from each registration's own state."""
    per_status = dict(
        db.session.execute(
            select(Registration.status, func.count())
            .where(Registration.event_id == event.id)
            .group_by(Registration.status)
        ).all()
    )
    confirmed = Registration.status == RegistrationStatus.confirmed
    checked_in, came_count, inside, walk_ins = db.session.execute(
        select(
            func.count(Registration.checked_in_at),
            func.count().filter(came(event.id)),
            func.count().filter(Registration.inside.is_(True)),
            func.count().filter(Registration.source == RegistrationSource.walk_in),
        ).where(Registration.event_id == event.id, confirmed)
    ).one()
    registered = per_status.get(RegistrationStatus.confirmed, 0)
    stations = list(db.session.scalars(select(Station).where(Station.event_id == event.id).order_by(Station.id)))
    attach_scan_counts(stations)
    arrivals = db.session.scalars(
        select(Registration.checked_in_at).where(
            Registration.event_id == event.id, confirmed, Registration.checked_in_at.is_not(None)
        )
    ).all()
    return {
        "event_id": event.id,
        "registered": registered,
        "waitlisted": per_status.get(RegistrationStatus.waitlisted, 0),
        "cancelled": per_status.get(RegistrationStatus.cancelled, 0),
        "checked_in": checked_in,
        "inside_now": inside,
        "came": came_count,
        "met_without_check_in": came_count - checked_in,
        "no_shows": registered - came_count,
        "walk_ins": walk_ins,
        "stations": stations,
        "arrivals": _buckets(arrivals, event),
        "generated_at": utcnow(),
    }


def _buckets(times: list[datetime], event: Event) -> list[dict]:
    """Arrivals per 5 minutes, with empty buckets filled in so a chart reads right."""
    if not times:
        return []
    size = int(ARRIVAL_BUCKET.total_seconds())
    counts: dict[int, int] = {}
    for moment in times:
        key = int(moment.timestamp()) // size * size
        counts[key] = counts.get(key, 0) + 1
    first, last = min(counts), max(counts)
    return [
        {"at": datetime.fromtimestamp(key, event.zone), "count": counts.get(key, 0)}
        for key in range(first, last + size, size)
    ]


def scan_log_query(event: Event, *, result=None, station_id=None, reason=None):
    query = (
        select(Scan, Station.name, Registration.name, LedgerEntry.actor, LedgerEntry.answer)
        .join(LedgerEntry, Scan.id == LedgerEntry.id)
        .outerjoin(Station, Scan.station_id == Station.id)
        .outerjoin(Registration, Scan.registration_id == Registration.id)
        .where(Scan.event_id == event.id)
    )
    if result:
        query = query.where(Scan.result == result)
    if station_id:
        query = query.where(Scan.station_id == station_id)
    if reason:
        query = query.where(Scan.reason == reason)
    return query.order_by(Scan.scanned_at.desc(), Scan.id.desc())


def scan_log_rows(query) -> list[dict]:
    return [
        {**_scan_fields(scan, actor, answer), "station_name": station_name, "attendee_name": attendee_name}
        for scan, station_name, attendee_name, actor, answer in db.session.execute(query)
    ]


def _scan_fields(scan: Scan, actor: str, answer: dict) -> dict:
    return {
        "id": scan.id,
        "station_id": scan.station_id,
        "registration_id": scan.registration_id,
        "direction": scan.direction,
        "result": scan.result,
        "reason": scan.reason,
        "message": answer.get("message"),
        "scanned_at": scan.scanned_at,
        "received_at": scan.received_at,
        "undone_at": scan.undone_at,
        "clock_skew": bool(answer.get("clock_skew")),
        "by": actor.split(":")[0],
    }


SCAN_LOG_COLUMNS = (
    "id",
    "scanned_at",
    "received_at",
    "station",
    "by",
    "attendee",
    "registration_id",
    "direction",
    "result",
    "reason",
    "message",
    "undone_at",
)


def scan_log_csv(event: Event, query):
    return csv_response(f"event-{event.id}-scans.csv", SCAN_LOG_COLUMNS, query, _scan_log_cells)


def _scan_log_cells(scan: Scan, station_name: str | None, attendee_name: str | None, actor: str, answer: dict) -> tuple:
    row = {**_scan_fields(scan, actor, answer), "station_name": station_name, "attendee_name": attendee_name}
    return (
        row["id"],
        row["scanned_at"].isoformat(),
        row["received_at"].isoformat(),
        row["station_name"],
        row["by"],
        row["attendee_name"],
        row["registration_id"],
        row["direction"].value,
        row["result"].value,
        row["reason"],
        row["message"],
        row["undone_at"].isoformat() if row["undone_at"] else "",
    )


def scan_log_page(event: Event, page: int, per_page: int, **filters) -> dict:
    query = scan_log_query(event, **filters)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    items = scan_log_rows(query.limit(per_page).offset((page - 1) * per_page))
    return {"items": items, "page": page, "per_page": per_page, "total": total, "pages": -(-total // per_page)}


def badge_list(event_id: int, since: datetime | None) -> dict:
    """The event's badges for offline checking: secrets only as SHA-256, never in clear."""
    query = select(Registration).where(Registration.event_id == event_id)
    if since is not None:
        # >= and not >: a change in the same microsecond as the cursor is sent again, never lost.
        query = query.where(Registration.updated_at >= since)
    registrations = db.session.scalars(query.order_by(Registration.updated_at, Registration.id)).all()
    cursor = max((r.updated_at for r in registrations), default=since)
    return {
        "event_id": event_id,
        "items": [badge_entry(r) for r in registrations],
        "cursor": cursor,
        "complete": since is None,
    }


def badge_entry(registration: Registration) -> dict:
    return {
        "registration_id": registration.id,
        "secret_hash": hashlib.sha256(registration.badge_secret.encode()).hexdigest(),
        "name": registration.name,
        "headline": registration.headline,
        "company": registration.company,
        "status": registration.status,
        "checked_in_at": registration.checked_in_at,
        "checked_in_station": registration.checked_in_station,
        "inside": registration.inside,
    }


def badge_list_version(event_id: int) -> str:
    """Changes whenever any badge of the event changes: the list's ETag."""
    count, last = db.session.execute(
        select(func.count(), func.max(Registration.updated_at)).where(Registration.event_id == event_id)
    ).one()
    return f"{count}-{last.timestamp() if last else 0}"


def find_attendees(event_id: int, q: str, limit: int = 20) -> list[dict]:
    """Lost badge: find someone by name, email or company."""
    pattern = f"%{q.lower()}%"
    found = db.session.scalars(
        select(Registration)
        .where(
            Registration.event_id == event_id,
            or_(
                func.lower(Registration.name).like(pattern),
                Registration.email.like(pattern),
                func.lower(Registration.company).like(pattern),
            ),
        )
        .order_by(Registration.name)
        .limit(limit)
    ).all()
    return [badge_entry(registration) for registration in found]
