"""What registrations do when another domain changes something (netevents/signals.py)."""

from netevents import signals
from netevents.events.models import Event, EventStatus
from netevents.extensions import db
from netevents.registrations.cancelling import notify_event_cancelled, release_registrations_of
from netevents.registrations.lookup import registrations_of
from netevents.registrations.waitlist import fill_free_spots


def release_seats_of_leaving_person(_sender, *, user_id: int) -> None:
    release_registrations_of(user_id)


def follow_event_change(_sender, *, event_id: int, previous_status: EventStatus) -> None:
    """Tell everyone registered that the event is off, or give seats the change freed to the waitlist."""
    event = db.session.get(Event, event_id)  # the one update_event locked and changed, from the session
    if event.status == EventStatus.cancelled and previous_status != EventStatus.cancelled:
        notify_event_cancelled(event)
    else:
        fill_free_spots(event)  # only a published event with room promotes anyone


def export_registrations(_sender, *, user_id: int) -> tuple[str, list]:
    return "registrations", registrations_of(user_id)


def connect_signals() -> None:
    signals.account_deleting.connect(release_seats_of_leaving_person)
    signals.event_changing.connect(follow_event_change)
    signals.personal_data_exporting.connect(export_registrations)
