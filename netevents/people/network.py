"""An event's network, for its organizers: who met whom there, as a graph anonymised to what people share, and
the headline numbers (PRODUCT.md, "After").

The graph is what an organizer may show on a projector or in a report, so it carries no contact detail at all:
a dot is a person with the company they share with everyone at the event, and their name and topics only if
they opted into the event's directory (they chose to be findable there); otherwise "Attendee". Dots are
numbered for this answer only. Lines are the pairs who met at this event (an exchange there, either way).
A dot "attended" as registrations/attended.py says (checked in, or met someone there), like every count of who came.

Whether a pair is cross-company is said only when both of them show their company to the organizer (shared with
everyone, as on their dots): otherwise it is unknown (None), so a line never hints at a company someone hides
("same company as Ada"). The cross-company share counts only those pairs.

A fixed number of queries however big the event: registrations, the pairs who met, the first meeting of each
of those pairs, the people.
"""

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.events.models import Event
from netevents.extensions import db
from netevents.people.models import Connection, Exchange
from netevents.people.visibility import Relation, card_for
from netevents.registrations.attended import came
from netevents.registrations.models import Registration, RegistrationStatus

#: For the API description of the network.
DESCRIPTION = (
    "**Anonymised to what each person shares.** A dot's name and topics show only if they are in the event's "
    "directory, its company only if they share it with everyone at the event. A line's `cross_company` is known "
    "only when both people share their company so: otherwise it is null (unknown), never a hint at a hidden "
    "company. The headline `cross_company_share` is computed the same way, over the pairs whose `cross_company` "
    "is known."
)
#: How many topics the numbers name.
TOP_TOPICS = 5
ANONYMOUS = "Attendee"


@dataclass(frozen=True, slots=True)
class Dot:
    key: int
    name: str
    company: str | None
    topics: tuple[str, ...] | None
    attended: bool
    #: How many people they met at this event.
    degree: int


@dataclass(frozen=True, slots=True)
class Line:
    source: int
    target: int
    #: Exchanges of the pair at this event (either of them scanning).
    meetings: int
    #: They met for the first time at this event.
    new: bool
    #: Met someone from another company; None unless both show their company to the organizer.
    cross_company: bool | None


@dataclass(frozen=True, slots=True)
class TopicCount:
    topic: str
    connections: int


@dataclass(frozen=True, slots=True)
class NetworkNumbers:
    registered: int
    attended: int
    #: Pairs who met at this event, and of those, pairs who had never met before.
    pairs_met: int
    connections_made: int
    #: Of the people who attended, the share with at least one new connection (None: nobody attended).
    share_with_new_connection: float | None
    #: Of the pairs who met whose two companies both show (see `Line.cross_company`), the share from different
    #: companies; None when there is no such pair.
    cross_company_share: float | None
    top_topics: tuple[TopicCount, ...]


@dataclass(frozen=True, slots=True)
class Network:
    event_id: int
    numbers: NetworkNumbers
    dots: tuple[Dot, ...]
    lines: tuple[Line, ...]


def event_network(event: Event) -> Network:
    registrations = db.session.execute(
        select(Registration.user_id, came(event.id)).where(
            Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed
        )
    ).all()
    registered = {user_id for user_id, _came in registrations}
    attended = {user_id for user_id, was_there in registrations if was_there}

    pairs = db.session.execute(
        select(Connection.id, Connection.low_id, Connection.high_id, func.count(Exchange.id))
        .join(Exchange, Exchange.connection_id == Connection.id)
        .where(Exchange.event_id == event.id)
        .group_by(Connection.id, Connection.low_id, Connection.high_id)
        .order_by(Connection.id)
    ).all()
    new_here = _first_met_here(event.id, [connection_id for connection_id, *_rest in pairs])

    # Everyone registered is a dot (isolated ones too: the picture shows who met nobody); people who met here
    # after cancelling their registration are dots as well.
    everyone = sorted(registered | {person for _id, low, high, _n in pairs for person in (low, high)})
    people = {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(everyone)))}
    company = {user_id: shown_company(person) for user_id, person in people.items()}
    degree: Counter[int] = Counter()
    topics: Counter[str] = Counter()
    lines_by_pair = []
    for connection_id, low, high, meetings in pairs:
        degree.update((low, high))
        cross = None
        if company.get(low) and company.get(high):  # both shown: otherwise unknown, never a hint
            cross = company_key(company[low]) != company_key(company[high])
        for topic in _shared_topics(people.get(low), people.get(high)):
            topics[topic] += 1
        lines_by_pair.append((low, high, meetings, connection_id in new_here, cross))

    key = {user_id: index for index, user_id in enumerate(everyone, start=1)}
    dots = tuple(
        _dot(key[user_id], people[user_id], company[user_id], user_id in attended, degree[user_id])
        for user_id in everyone
    )
    lines = tuple(Line(key[low], key[high], meetings, new, cross) for low, high, meetings, new, cross in lines_by_pair)

    with_new = {person for line in lines_by_pair if line[3] for person in line[:2]} & attended
    known_companies = [line[4] for line in lines_by_pair if line[4] is not None]
    numbers = NetworkNumbers(
        registered=len(registrations),
        attended=len(attended),
        pairs_met=len(lines),
        connections_made=sum(1 for line in lines if line.new),
        share_with_new_connection=len(with_new) / len(attended) if attended else None,
        cross_company_share=sum(known_companies) / len(known_companies) if known_companies else None,
        top_topics=tuple(TopicCount(topic, count) for topic, count in _top(topics)),
    )
    return Network(event.id, numbers, dots, lines)


def _first_met_here(event_id: int, connection_ids: list[int]) -> set[int]:
    """Of these connections, those whose first meeting anywhere was at this event."""
    if not connection_ids:
        return set()
    first = (
        select(Exchange.connection_id, Exchange.event_id)
        .where(Exchange.connection_id.in_(connection_ids))
        .order_by(Exchange.connection_id, Exchange.scanned_at, Exchange.id)
    )
    seen: dict[int, int | None] = {}
    for connection_id, met_at_event in db.session.execute(first):
        seen.setdefault(connection_id, met_at_event)
    return {connection_id for connection_id, met_at_event in seen.items() if met_at_event == event_id}


def shown_company(person: User) -> str | None:
    """The company the person shows the event's organizers (shared with everyone); None if hidden or empty."""
    card = card_for(person, Relation.organizer)
    return (card.company or None) if card else None


def _dot(key: int, person: User, company: str | None, attended: bool, degree: int) -> Dot:
    listed = person.directory_opt_in
    return Dot(
        key=key,
        name=person.name if listed else ANONYMOUS,
        company=company,
        topics=tuple(person.topics) if listed else None,
        attended=attended,
        degree=degree,
    )


def _shared_topics(one: User | None, other: User | None) -> set[str]:
    """Topics both people care about, counted only for people who show their topics (directory opt-in)."""
    if one is None or other is None or not (one.directory_opt_in and other.directory_opt_in):
        return set()
    return {topic.casefold() for topic in one.topics} & {topic.casefold() for topic in other.topics}


def company_key(company: str) -> str:
    """ "Analytical  Engines" and "analytical engines" are one company."""
    return " ".join(company.split()).casefold()


def _top(counts: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_TOPICS]
