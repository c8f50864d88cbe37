"""What events do when another domain changes something (netevents/signals.py)."""

from netevents import signals
from netevents.errors import DomainError
from netevents.events.services import organized_event_count


def refuse_to_orphan_events(_sender, *, user_id: int) -> None:
    """An owner's account stays while they own events: nobody else could delete or hand them over."""
    if organized_event_count(user_id, as_owner=True):
        raise DomainError(
            "owns_events",
            "You own events. Delete them, or add a co-organizer and hand them over, before deleting your account.",
        )


def connect_signals() -> None:
    signals.account_deleting.connect(refuse_to_orphan_events)
