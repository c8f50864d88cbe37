"""What co-organizers are told, and how events are dated in emails. Every message goes through mail.send_email."""

from netevents.accounts.models import User
from netevents.accounts.services import create_magic_link
from netevents.events.models import Event
from netevents.mail.allowance import Allowance
from netevents.mail.compose import on_behalf_of, render_email
from netevents.mail.services import send_email


def starts_text(event: Event) -> str:
    """When the event starts, on its own clock: "Thursday 03 December 2026, 19:00 (Europe/Berlin)"."""
    return event.starts_at.astimezone(event.zone).strftime(f"%A %d %B %Y, %H:%M ({event.timezone})")


def send_co_organizer_added(event: Event, co_organizer: User, added_by: User, link_id: int) -> None:
    subject = f"You now co-organize {event.title}"
    text, html = render_email(
        "co_organizer_added",
        subject=subject,
        why=f"{added_by.name} added this address as a co-organizer of {event.title}.",
        name=co_organizer.name,
        added_by=added_by.name,
        event_title=event.title,
        when=starts_text(event),
        owner=event.owner.name,
        sign_in_url=create_magic_link(co_organizer, next_path=f"/organize/events/{event.id}"),
    )
    send_email(
        co_organizer.email,
        subject,
        text,
        html=html,
        to_name=co_organizer.name,
        from_name=on_behalf_of(event.title),
        dedupe_key=f"co_organizer_added:{link_id}",  # added again after a removal: told again
        sender_id=added_by.id,
        event_id=event.id,
        allowance=Allowance.invitation,
    )
