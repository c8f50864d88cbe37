"""The organizer's attendee list (search, filters, CSV) and the CSV import."""

from sqlalchemy import Select, func, or_, select

from netevents.accounts.models import User
from netevents.errors import DomainError
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.mail.allowance import Allowance, check_allowance
from netevents.pagination import paginate
from netevents.registrations.attended import came as came_to
from netevents.registrations.csvio import CsvImportError, parse_attendee_csv
from netevents.registrations.models import Registration, RegistrationSource, RegistrationStatus
from netevents.registrations.services import check_open_for_registration, out_of_reach, register
from netevents.registrations.waitlist import status_with_spots


def attendee_query(
    event_id: int,
    user: User,
    *,
    q: str | None = None,
    status: RegistrationStatus | None = None,
    checked_in: bool | None = None,
    came: bool | None = None,
) -> Select:
    event = get_organized_event(event_id, user)
    query = select(Registration).where(Registration.event_id == event.id)
    if status:
        query = query.where(Registration.status == status)
    if checked_in is not None:
        checked = Registration.checked_in_at.is_not(None)
        query = query.where(checked if checked_in else ~checked)
    if came is not None:
        there = came_to(event.id)
        query = query.where(there if came else ~there)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(
                func.lower(Registration.name).like(pattern),
                Registration.email.like(pattern),
                func.lower(Registration.company).like(pattern),
            )
        )
    return query.order_by(Registration.name, Registration.id)


def list_attendees(event_id: int, user: User, *, page: int, per_page: int, **filters) -> dict:
    return paginate(attendee_query(event_id, user, **filters), page, per_page)


def import_attendees(event_id: int, user: User, data: bytes, *, dry_run: bool, notify: bool) -> dict:
    """Register everyone in a CSV, or nobody: any bad row rejects the whole file with a report."""
    event = get_organized_event(event_id, user)
    check_open_for_registration(event)
    try:
        rows = parse_attendee_csv(data)
    except CsvImportError as error:
        raise DomainError("invalid_csv", error.message, status=422, rows=error.errors) from None
    emails_in_file = [row["email"] for row in rows]
    already = set(
        db.session.scalars(
            select(Registration.email).where(
                Registration.event_id == event.id,
                Registration.status != RegistrationStatus.cancelled,
                Registration.email.in_(emails_in_file),
            )
        )
    )
    # Across a block (either way) with the importer or another organizer, nobody registers a person; the row says
    # so, not why.
    unreachable = set(
        db.session.scalars(
            select(User.email).where(User.email.in_(emails_in_file), User.id.in_(out_of_reach(event, user)))
        )
    )
    problems = [
        {"line": row["line"], "field": "email", "message": f"{row['email']} is already registered."}
        if row["email"] in already
        else {
            "line": row["line"],
            "field": "email",
            "message": f"{row['email']} cannot be registered by you; they can register themselves on the event's page.",
        }
        for row in rows
        if row["email"] in already or row["email"] in unreachable
    ]
    if problems:
        raise DomainError(
            "invalid_csv", f"{len(problems)} problem(s) in the file; nothing was imported.", status=422, rows=problems
        )
    if notify:  # all or nothing here too: refused before anyone is registered or mailed
        check_allowance(Allowance.registration, user, event.id, count=len(rows))
    summary = {"rows": len(rows), "confirmed": 0, "waitlisted": 0, "dry_run": dry_run}
    if dry_run:  # what the import below would do, row by row, without doing it
        spots_left = event.spots_left
        for _ in rows:
            status = status_with_spots(event, spots_left)
            if status == RegistrationStatus.confirmed and spots_left is not None:
                spots_left -= 1
            summary[status.value] += 1
        return summary
    for row in rows:
        fields = {key: row[key] for key in ("email", "name", "headline", "company") if row.get(key)}
        registration = register(event.id, fields, signed_in=user, source=RegistrationSource.imported, notify=notify)
        summary[registration.status.value] += 1
    return summary
