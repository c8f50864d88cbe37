"""Who came to an event: the one definition every count and email of "came" uses (PRODUCT.md, "After").

A confirmed person came when they were checked in (at the door, by themselves, by an organizer, or through the
webinar's join link) or when they met someone there (an exchange at the event, whoever scanned): a badge scanned
in the room is as sure a sign as one scanned at the door, and a meetup without a door station has only those.
The attendance figures, the organizer's Results and no-show list, the network, and the follow-ups (people-you-met
to those who came, "sorry we missed you" to the others) all read it from here.
"""

from sqlalchemy import ColumnElement, select, union

from netevents.people.models import Exchange
from netevents.registrations.models import Registration


def came(event_id: int) -> ColumnElement[bool]:
    """A condition on `Registration` rows of the event: this person came."""
    met_someone = union(
        select(Exchange.scanner_id).where(Exchange.event_id == event_id),
        select(Exchange.scanned_id).where(Exchange.event_id == event_id),
    )
    return Registration.checked_in_at.is_not(None) | Registration.user_id.in_(met_someone)


#: For the API description of every operation that counts who came.
DESCRIPTION = (
    "**Who came.** A confirmed person came when they were checked in (at the door, by themselves, by an organizer, "
    "or through the webinar's join link) or met someone at the event (an exchange there, whoever scanned). The "
    "attendance figures (`came`, `no_shows`), the network (`attended`), the no-show list (`came=false`) and the "
    'follow-ups (people-you-met to those who came, "sorry we missed you" to the others) all count it this way.'
)
