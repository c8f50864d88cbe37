"""People to meet at an event: listed in its directory, not met yet, ranked by what you have in common.

The ranking is the database's (shared topics count once, a mentoring fit, one offering what the other seeks,
twice), over the people the directory lists to you, read from the topics' index (`user_topic`) rather than from
each person's lists; the reasons are worded from their cards as you see them
(people/visibility.py), so a reason never tells you something they do not show you.
"""

import heapq
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import Integer, Select, and_, bindparam, case, func, literal, or_, select

from netevents.accounts.models import User
from netevents.extensions import db
from netevents.people import relations
from netevents.people.directory import directory_viewer, entries, entries_for_each, listed, people
from netevents.people.models import Block, ConnectionSide, UserTopic
from netevents.people.search import MENTORS_IN, SEEKS_MENTOR_IN, TOPICS
from netevents.people.visibility import PersonCard
from netevents.registrations.models import Registration, RegistrationStatus

DEFAULT_LIMIT = 10
MENTORING_WEIGHT = 2


@dataclass(frozen=True, slots=True)
class Suggestion:
    person: PersonCard
    #: Your topics that they care about too, as you wrote them.
    shared_topics: tuple[str, ...]
    #: What you look for a mentor in and they mentor in.
    can_mentor_you_in: tuple[str, ...]
    #: What you mentor in and they look for a mentor in.
    looking_for_your_mentoring_in: tuple[str, ...]
    #: All of it in words.
    reason: str


def suggestions(user: User, event_id: int, *, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """Up to `limit` people at the event whom `user` has not met, most in common first."""
    directory_viewer(event_id, user)
    return suggestions_for_attendee(user, event_id, limit=limit)


def suggestions_for_attendee(user: User, event_id: int, *, limit: int = DEFAULT_LIMIT) -> list[Suggestion]:
    """`suggestions` of someone already known to be confirmed for the event (the summary checked it)."""
    # Their list of this kind has one of these topics of mine: theirs that I care about, that they mentor in and I
    # look for, that they look for and I mentor in.
    wanted = {TOPICS: user.topics, MENTORS_IN: user.mentoring_sought, SEEKS_MENTOR_IN: user.mentoring_offered}
    if not any(wanted.values()):
        return []
    shape = tuple(len(topics or ()) for topics in wanted.values())
    values = {
        "viewer": user.id,
        "event": event_id,
        **{f"{kind}_{number}": topic for kind, topics in wanted.items() for number, topic in enumerate(topics or ())},
    }
    ranked = list(db.session.scalars(_ranking(shape, limit), values))
    found = []
    for entry in entries(user.id, people(ranked), event_id):
        suggestion = _suggestion(user, entry.person)
        if suggestion is not None:
            found.append(suggestion)
    return found


@lru_cache(maxsize=256)
def _ranking(shape: tuple[int, int, int], limit: int) -> Select[tuple[int]]:
    """The ids of the `limit` people to suggest, for a viewer with so many topics of each kind (`shape`: topics,
    mentoring sought, mentoring offered), bound by name ("viewer", "event", "topic_0", ...). Built once for each
    shape: building it took 2 ms of a summary's CPU, more than running it."""
    viewer, event = bindparam("viewer"), bindparam("event")
    score = func.sum(case((UserTopic.kind == TOPICS, 1), else_=MENTORING_WEIGHT)).label("score")
    in_common = (
        select(UserTopic.user_id, score)
        .where(
            or_(
                *(
                    and_(
                        UserTopic.kind == kind,
                        UserTopic.topic.in_([func.lower(bindparam(f"{kind}_{number}")) for number in range(count)]),
                    )
                    for kind, count in zip((TOPICS, MENTORS_IN, SEEKS_MENTOR_IN), shape, strict=True)
                    if count
                )
            )
        )
        .group_by(UserTopic.user_id)
        # Most in common first already here: PostgreSQL then looks people up in that order and stops once no one
        # left could rank among the first (an incremental sort), instead of looking up everyone who shares a
        # topic (3,600 people for two popular ones at 10,000: 10 to 14 ms, most of a summary's database time).
        .order_by(score.desc())
        .subquery()
    )
    return (
        listed(event, viewer, in_name_order=True)
        .join(in_common, in_common.c.user_id == User.id)
        .where(User.id != viewer, User.id.not_in(relations.met(viewer)))
        .order_by(in_common.c.score.desc(), func.lower(User.name), User.id)
        # Written into the statement, not bound: PostgreSQL plans a statement run often once for any values
        # (psycopg prepares it after five runs), and a plan that does not know how few are asked for reads
        # everyone sharing a topic again (12 ms instead of 3).
        .limit(literal(limit, Integer, literal_execute=True))
    )


Postings = dict[str, list[tuple[int, int]]]


@dataclass(frozen=True, slots=True)
class ListedInterests:
    """The names and interests of the people an event's directory lists, each list indexed by its lower-cased words
    (word -> (person, how often it is in their list)): what ranking suggestions for many viewers reads.

    A follow-up run reads it once and ranks every chunk of the event's people with it (read again for each chunk,
    it cost the same as the rest of the chunk at 5,000 people). Only the ranking uses it: who is shown, and the
    reasons, come from the people as they are when each chunk is written (`entries_for_each`, `_suggestion`)."""

    names: dict[int, str]
    topics: Postings
    offered: Postings
    sought: Postings

    @classmethod
    def of_event(cls, event_id: int) -> "ListedInterests":
        listed_people = db.session.execute(
            select(User.id, User.name, User.topics, User.mentoring_offered, User.mentoring_sought)
            .join(Registration, Registration.user_id == User.id)
            .where(
                Registration.event_id == event_id,
                Registration.status == RegistrationStatus.confirmed,
                User.directory_opt_in.is_(True),
            )
        ).all()
        topics: Postings = defaultdict(list)
        offered: Postings = defaultdict(list)
        sought: Postings = defaultdict(list)
        for person_id, _name, *lists in listed_people:
            for words, postings in zip(lists, (topics, offered, sought), strict=True):
                for word, count in Counter(word.lower() for word in words or ()).items():
                    postings[word].append((person_id, count))
        names = {person_id: name.lower() for person_id, name, *_ in listed_people}
        return cls(names=names, topics=dict(topics), offered=dict(offered), sought=dict(sought))


def suggestions_for_each(
    users: Sequence[User], event_id: int, *, limit: int = DEFAULT_LIMIT, listed: ListedInterests | None = None
) -> dict[int, list[Suggestion]]:
    """`suggestions` of several people confirmed for one event, by user id (the follow-up emails of a whole event).

    `suggestions` ranks in the database, reading every listed person's lists for each viewer; for thousands of
    viewers the event's listed people are read once (`listed`, or here) and ranked for each viewer in Python, by the
    same rule (score, then the name without case, then id; tests/people/test_suggestions.py compares the two;
    SQLite's lower() folds ASCII letters only, so two names differing in another letter's case may tie-break
    otherwise). Who is suggested and the reasons then go through the same policy as `suggestions`: `entries` and
    `_suggestion`.
    """
    interests = listed or ListedInterests.of_event(event_id)
    names, topics, offered, sought = interests.names, interests.topics, interests.offered, interests.sought
    viewer_ids = [user.id for user in users]
    hidden = _blocked_or_met(viewer_ids)
    ranked_for: dict[int, list[int]] = {}
    for user in users:
        score: Counter[int] = Counter()
        for mine, theirs, weight in (
            (user.topics, topics, 1),
            (user.mentoring_sought, offered, MENTORING_WEIGHT),
            (user.mentoring_offered, sought, MENTORING_WEIGHT),
        ):
            for word in {word.lower() for word in mine or ()}:
                for person_id, count in theirs.get(word, ()):
                    score[person_id] += weight * count
        excluded = hidden[user.id] | {user.id}
        ranked = heapq.nsmallest(
            limit,
            (
                (-points, names[person_id], person_id)
                for person_id, points in score.items()
                if person_id not in excluded
            ),
        )
        ranked_for[user.id] = [person_id for *_, person_id in ranked]
    # Everyone ranked is read at once, and seen by each viewer through the same policy as `entries`.
    ranked_people = {person.id: person for person in people(list({i for ids in ranked_for.values() for i in ids}))}
    cards = entries_for_each(
        {viewer_id: [ranked_people[i] for i in ids if i in ranked_people] for viewer_id, ids in ranked_for.items()},
        event_id,
    )
    return {
        user.id: [s for entry in cards[user.id] if (s := _suggestion(user, entry.person)) is not None] for user in users
    }


def _blocked_or_met(viewer_ids: list[int]) -> dict[int, set[int]]:
    """For each viewer, everyone blocked either way or met (a connection, removed or not)."""
    hidden: dict[int, set[int]] = {viewer_id: set() for viewer_id in viewer_ids}
    blocks = select(Block.blocker_id, Block.blocked_id).where(
        or_(Block.blocker_id.in_(viewer_ids), Block.blocked_id.in_(viewer_ids))
    )
    for blocker, blocked in db.session.execute(blocks):
        for viewer, other in ((blocker, blocked), (blocked, blocker)):
            if viewer in hidden:
                hidden[viewer].add(other)
    met = select(ConnectionSide.user_id, ConnectionSide.other_id).where(ConnectionSide.user_id.in_(viewer_ids))
    for viewer, other in db.session.execute(met):
        hidden[viewer].add(other)
    return hidden


def _suggestion(user: User, card: PersonCard) -> Suggestion | None:
    """Why `user` should meet the person of `card`, from what the card shows; None if it shows nothing in common."""
    shared = _common(user.topics, card.topics)
    mentors_you = _common(user.mentoring_sought, card.mentoring_offered)
    mentored_by_you = _common(user.mentoring_offered, card.mentoring_sought)
    if not (shared or mentors_you or mentored_by_you):
        return None
    name = card.name.split()[0] if card.name.split() else card.name
    parts = []
    if shared:
        parts.append(f"You both care about {_words(shared)}")
    if mentors_you:
        parts.append(f"{name} mentors in {_words(mentors_you)}, which you are looking for")
    if mentored_by_you:
        parts.append(f"{name} is looking for a mentor in {_words(mentored_by_you)}, which you mentor in")
    return Suggestion(
        person=card,
        shared_topics=shared,
        can_mentor_you_in=mentors_you,
        looking_for_your_mentoring_in=mentored_by_you,
        reason="; ".join(parts),
    )


def _common(mine: list[str], theirs: tuple[str, ...] | None) -> tuple[str, ...]:
    """My topics that are among theirs, whatever the case, as I wrote them."""
    their_keys = {topic.casefold() for topic in theirs or ()}
    return tuple(dict.fromkeys(topic for topic in mine if topic.casefold() in their_keys))


def _words(topics: tuple[str, ...]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return topics[0] if len(topics) == 1 else f"{', '.join(topics[:-1])} and {topics[-1]}"
