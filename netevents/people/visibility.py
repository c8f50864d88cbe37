"""What viewer X sees of person Y: the one policy every people surface goes through (PRODUCT.md, "Consent first").

Pure: it reads Y's choices as they are now (the `User` row, loaded by the caller) and the relation between
X and Y (netevents/people/relations.py computes it from the database), and returns Y's card as X may see it.
Connections, vCards, CSV, the exchange answer, the badge card, the directory (its search too) and suggestions use
it; the "people you met" summary and emails, and the organizer's network must too.

- Y sees everything of themselves.
- A block, either way, hides Y entirely (no card at all).
- Y's name is shown to anyone related to Y (it is on their badge); to a stranger, nothing.
- A detail Y shares with `everyone` is shown to people at an event with Y: co-attendees, connections and the
  organizers of Y's events.
- Whoever holds Y's badge (its public card, behind the QR code) may be anyone, not only someone at the event: they
  see what is printed on it, Y's name and the headline and company Y shares with `everyone` (a badge is worn in
  front of everyone), and nothing else.
- A detail Y shares with `connections` is shown to connections only: people Y met, neither of whom has
  removed the connection.
- `nobody`: Y only.
- Organizers see on people surfaces what anyone at the event sees. What registration collected to run the event
  (the name, email, headline and company typed into the registration) they see in their attendee list, from the
  registration itself, never from Y's profile as it is now. Private notes are never part of a card: only their
  author ever sees them.
- Topics and mentoring are shown to connections, and to people at an event with Y if Y opted into the
  directory.
- An event's directory lists Y to the people confirmed for it and to its organizers, only if Y opted in.
"""

import enum
from dataclasses import dataclass
from functools import cache
from typing import Protocol

from netevents.accounts.models import Visibility


class Relation(enum.Flag):
    """How the viewer is related to the person; several may hold at once (a connection and a co-attendee)."""

    stranger = 0
    self = enum.auto()
    #: They met (a connection exists) and neither removed it.
    connection = enum.auto()
    #: A connection exists, removed by one of them: a past meeting, no longer a connection.
    met = enum.auto()
    #: Both confirmed for one event.
    co_attendee = enum.auto()
    #: The viewer organizes an event the person registered for.
    organizer = enum.auto()
    #: The viewer holds the person's badge (the public card behind its QR code): anyone, at the event or not.
    badge = enum.auto()
    #: One of them blocked the other.
    blocked = enum.auto()


#: Who counts as "at the same event" for what is shared with everyone.
AT_AN_EVENT = Relation.connection | Relation.co_attendee | Relation.organizer
#: Anyone who may know the person's name.
KNOWS_OF = AT_AN_EVENT | Relation.met | Relation.badge
#: The details printed on a badge (beside the name), when shared with everyone: its holder reads them too.
PRINTED_ON_BADGE = frozenset({"headline", "company"})


class Person(Protocol):
    """What the policy reads of a person (a `User` is one)."""

    id: int
    name: str
    email: str
    phone: str
    headline: str
    company: str
    links: list[dict]
    topics: list[str]
    mentoring_offered: list[str]
    mentoring_sought: list[str]
    directory_opt_in: bool
    email_visibility: Visibility
    phone_visibility: Visibility
    links_visibility: Visibility
    company_visibility: Visibility
    headline_visibility: Visibility


@dataclass(frozen=True, slots=True)
class PersonCard:
    """A person as one viewer may see them; None means "not shared with you" (an empty string is shared, empty)."""

    user_id: int
    name: str
    headline: str | None = None
    company: str | None = None
    email: str | None = None
    phone: str | None = None
    links: tuple[dict, ...] | None = None
    topics: tuple[str, ...] | None = None
    mentoring_offered: tuple[str, ...] | None = None
    mentoring_sought: tuple[str, ...] | None = None


def may_see(visibility: Visibility, relation: Relation) -> bool:
    """Whether a detail shared with `visibility` is shown to a viewer so related."""
    if Relation.self in relation:
        return True
    if Relation.blocked in relation:
        return False
    if visibility == Visibility.everyone:
        return bool(relation & AT_AN_EVENT)
    if visibility == Visibility.connections:
        return Relation.connection in relation
    return False


def shows(detail: str, visibility: Visibility, relation: Relation) -> bool:
    """Whether a contact detail shared with `visibility` is on the card a viewer so related sees (the directory's
    search matches only the details it shows)."""
    if may_see(visibility, relation):
        return True
    return (
        Relation.badge in relation
        and Relation.blocked not in relation
        and detail in PRINTED_ON_BADGE
        and visibility == Visibility.everyone
    )


def shows_interests(directory_opt_in: bool, relation: Relation) -> bool:
    """Whether topics and mentoring (offered, sought) are on the card a viewer so related sees."""
    if Relation.self in relation:
        return True
    if Relation.blocked in relation:
        return False
    return Relation.connection in relation or (directory_opt_in and bool(relation & AT_AN_EVENT))


def card_for(person: Person, relation: Relation) -> PersonCard | None:
    """`person` as a viewer so related sees them, or None when they may not see them at all."""
    seen = _seen_by(relation)
    if seen is None:
        return None
    interests = seen.interests or (seen.interests_if_listed and person.directory_opt_in)
    return PersonCard(
        user_id=person.id,
        name=person.name,
        headline=person.headline if person.headline_visibility in seen.headline else None,
        company=person.company if person.company_visibility in seen.company else None,
        email=person.email if person.email_visibility in seen.email else None,
        phone=person.phone if person.phone_visibility in seen.phone else None,
        links=tuple(person.links) if person.links_visibility in seen.links else None,
        topics=tuple(person.topics) if interests else None,
        mentoring_offered=tuple(person.mentoring_offered) if interests else None,
        mentoring_sought=tuple(person.mentoring_sought) if interests else None,
    )


@dataclass(frozen=True, slots=True)
class _Seen:
    """What a viewer so related sees of anyone: for each detail, the sharing choices under which it is shown; and
    whether topics and mentoring are, always or when the person opted into the directory."""

    headline: frozenset[Visibility]
    company: frozenset[Visibility]
    email: frozenset[Visibility]
    phone: frozenset[Visibility]
    links: frozenset[Visibility]
    interests: bool
    interests_if_listed: bool


@cache
def _seen_by(relation: Relation) -> _Seen | None:
    """The policy above for one relation, worked out once: a list of connections asks for hundreds of cards, and
    each flag test on a `Relation` is a Python call. None: no card at all."""
    if Relation.self not in relation and (Relation.blocked in relation or not relation & KNOWS_OF):
        return None

    def choices(detail: str) -> frozenset[Visibility]:
        return frozenset(visibility for visibility in Visibility if shows(detail, visibility, relation))

    return _Seen(
        headline=choices("headline"),
        company=choices("company"),
        email=choices("email"),
        phone=choices("phone"),
        links=choices("links"),
        interests=shows_interests(False, relation),
        interests_if_listed=shows_interests(True, relation),
    )


def name_despite_block(person: Person, relation: Relation) -> str | None:
    """The name a blocker knows a person by, for their own list of blocks: someone they met, someone at an event they
    organize, or someone an event's directory lists to them (the web app offers a block on a connection and in the
    directory). Otherwise None, even for someone at an event with them: a block asked for by number must not tell
    the name of a person who keeps out of the directory (the leaderboard and the network call them "Attendee")."""
    relation &= ~Relation.blocked
    if relation & (Relation.self | Relation.connection | Relation.met | Relation.organizer):
        return person.name
    return person.name if listed_in_directory(person, relation) else None


def listed_in_directory(person: Person, relation: Relation) -> bool:
    """Whether an event's directory lists the person to this viewer (opt-in, never across a block): to the people
    confirmed for the event and to its organizers (with `relations_to(..., event_id=...)` of that event)."""
    if Relation.blocked in relation:
        return False
    return Relation.self in relation or (
        person.directory_opt_in and bool(relation & (Relation.co_attendee | Relation.organizer))
    )
