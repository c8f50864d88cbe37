"""An event as an iCalendar (RFC 5545) file."""

from datetime import UTC

from icalendar import Calendar, vText
from icalendar import Event as CalendarEvent

from netevents.db import utcnow
from netevents.events.models import Event, EventKind, EventStatus


def calendar_uid(event: Event) -> str:
    """The event's UID for calendar apps (RFC 5545 3.8.4.7): the same in every copy of its file, and never another
    event's: its id and the moment it was created (the same id names other events in other databases)."""
    return f"event-{event.id}-{event.created_at.astimezone(UTC):%Y%m%dT%H%M%S%fZ}@netevents"


def event_calendar(event: Event, base_url: str, join_url: str | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//netevents//netevents//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    entry = CalendarEvent()
    entry.add("uid", calendar_uid(event))
    entry.add("dtstamp", utcnow())
    entry.add("dtstart", event.starts_at.astimezone(event.zone))
    entry.add("dtend", event.ends_at.astimezone(event.zone))
    entry.add("summary", event.title)
    page = f"{base_url}/e/{event.id}"
    description = event.description or ""
    if event.kind == EventKind.webinar:
        location = join_url or page
        description += f"\n\nJoin online: {location}"
    else:
        location = event.venue
    entry.add("description", f"{description}\n\n{page}".strip())
    entry["location"] = vText(location)
    entry.add("url", page)
    entry.add("status", "CANCELLED" if event.status == EventStatus.cancelled else "CONFIRMED")
    entry.add("sequence", int(event.updated_at.timestamp()) if event.updated_at else 0)
    calendar.add_component(entry)
    # RFC 5545 3.2.19: each TZID needs its VTIMEZONE, or calendar apps guess (Outlook shows UTC).
    calendar.add_missing_timezones()
    return calendar.to_ical()
