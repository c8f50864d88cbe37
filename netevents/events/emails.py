"""What co-organizers are told, and how events are dated in emails. Every message goes through mail.send_email."""

from netevents.accounts.models import User
from netevents.accounts.services import create_magic_link
from netevents.events.models import Event
from netevents.mail.allowance import Allowance
from netevents.mail.services import send_email


def starts_text(event: Event) -> str:
    """When the event starts, on its own clock: "Thursday 03 December 2026, 19:00 (Europe/Berlin)"."""
    return event.starts_at.astimezone(event.zone).strftime(f"%A %d %B %Y, %H:%M ({event.timezone})")


def send_co_organizer_added(event: Event, co_organizer: User, added_by: User, link_id: int) -> None:
    sign_in = create_magic_link(co_organizer, next_path=f"/organize/events/{event.id}")
    send_email(
        co_organizer.email,
        f"You now co-organize {event.title}",
        f"Hello {co_organizer.name},\n\n{added_by.name} added you as a co-organizer of {event.title} "
        f"({starts_text(event)}).\n\nYou can edit and publish the event, see and check in its attendees, and set up "
        f"its door stations. Only its owner, {event.owner.name}, can cancel or delete it and add or remove organizers. "
        f"Open it here (this sign-in link works once): {sign_in}\n\n"
        f"Later, sign in on the organizer page with this email address; we send you a fresh link each time.\n",
        dedupe_key=f"co_organizer_added:{link_id}",  # added again after a removal: told again
        sender_id=added_by.id,
        event_id=event.id,
        allowance=Allowance.invitation,
    )
