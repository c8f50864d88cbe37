"""One attendee's summary of an event: everyone they met there (from both directions, each as they share it now,
with my tags and notes), their bingo result, and three people they did not meet but should.

The follow-up email sends it. It reads a fixed number of queries whoever asks and however many people they met:
the connections and their people (netevents/people), the card (netevents/bingo), the suggestions.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select

from netevents.accounts.models import User
from netevents.bingo.answers import CardView
from netevents.bingo.models import BingoRound
from netevents.bingo.results import card
from netevents.errors import Forbidden
from netevents.events.models import Event
from netevents.events.services import get_visible_event
from netevents.extensions import db
from netevents.people.answers import ConnectionView
from netevents.people.chunks import connections_at_event_for_each
from netevents.people.connections import my_connections
from netevents.people.suggestions import Suggestion, suggestions_for_attendee
from netevents.registrations.models import Registration, RegistrationStatus

#: How many people the summary suggests.
SUGGESTED = 3
NOT_REGISTERED = "The summary is for the people registered for this event; register to meet people there."


@dataclass(frozen=True, slots=True)
class EventSummary:
    event_id: int
    event_title: str
    #: Checked in at the door (or by the webinar join link).
    attended: bool
    #: Everyone I met there, most recently met first.
    met: tuple[ConnectionView, ...]
    #: My card in the event's last bingo round; None when no round was played.
    bingo: CardView | None
    #: People there I did not meet but should, each with the reason (from the directory's suggestions).
    suggested: tuple[Suggestion, ...]


def event_summary(event_id: int, user: User, *, suggested: Sequence[Suggestion] | None = None) -> EventSummary:
    """`suggested`: their suggestions when already found (`suggestions_for_each`, for a whole event's emails)."""
    event = get_visible_event(event_id, user)
    attended = _registration_of(event, user)
    return EventSummary(
        event_id=event.id,
        event_title=event.title,
        attended=attended,
        met=tuple(my_connections(user, event_id=event.id)),
        bingo=_bingo(event, user),
        # Confirmed for the event (`_registration_of` refused anyone else): the directory's viewer, as suggestions need.
        suggested=tuple(suggestions_for_attendee(user, event.id, limit=SUGGESTED) if suggested is None else suggested),
    )


def summaries_for_each(
    event: Event, users: Sequence[User], suggested: Mapping[int, Sequence[Suggestion]]
) -> dict[int, EventSummary]:
    """`event_summary` of each of `users` (all confirmed for the published `event`), by user id, in a fixed number
    of queries for them all (and one bingo card each when a round was played): the follow-up emails of an event,
    a chunk of people at a time. `suggested`: each one's suggestions (`suggestions_for_each`)."""
    ids = [user.id for user in users]
    checked_in = dict(
        db.session.execute(
            select(Registration.user_id, Registration.checked_in_at).where(
                Registration.event_id == event.id,
                Registration.user_id.in_(ids),
                Registration.status == RegistrationStatus.confirmed,
            )
        ).all()
    )
    met = connections_at_event_for_each(users, event.id)
    played = db.session.scalar(select(BingoRound.id).where(BingoRound.event_id == event.id).limit(1)) is not None
    summaries = {}
    for user in users:
        if user.id not in checked_in:
            raise Forbidden(NOT_REGISTERED)
        summaries[user.id] = EventSummary(
            event_id=event.id,
            event_title=event.title,
            attended=checked_in[user.id] is not None,
            met=tuple(met[user.id]),
            bingo=card(event.id, user) if played else None,
            suggested=tuple(suggested[user.id]),
        )
    return summaries


def _registration_of(event: Event, user: User) -> bool:
    """Whether they attended; refused (403) if they are not confirmed for the event."""
    checked_in_at = db.session.execute(
        select(Registration.checked_in_at).where(
            Registration.event_id == event.id,
            Registration.user_id == user.id,
            Registration.status == RegistrationStatus.confirmed,
        )
    ).first()
    if checked_in_at is None:
        raise Forbidden(NOT_REGISTERED)
    return checked_in_at[0] is not None


def _bingo(event: Event, user: User) -> CardView | None:
    played = db.session.scalar(select(BingoRound.id).where(BingoRound.event_id == event.id).limit(1))
    return card(event.id, user) if played is not None else None
