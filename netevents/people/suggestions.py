"""People to meet at an event: listed in its directory, not met yet, ranked by what you have in common.

The ranking is the database's (shared topics count once, a mentoring fit, one offering what the other seeks,
twice), over the people the directory lists to you, read from the topics' index (`user_topic`) rather than from
each person's lists; the reasons are worded from their cards as you see them
(people/visibility.py), so a reason never tells you something they do not show you.
"""

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select

from netevents.accounts.models import User
from netevents.extensions import db
from netevents.people import relations
from netevents.people.directory import directory_viewer, entries, listed, people
from netevents.people.models import UserTopic
from netevents.people.search import MENTORS_IN, SEEKS_MENTOR_IN, TOPICS
from netevents.people.visibility import PersonCard

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
    if not (user.topics or user.mentoring_sought or user.mentoring_offered):
        return []
    # Their list of this kind has one of these topics of mine: theirs that I care about, that they mentor in and I
    # look for, that they look for and I mentor in.
    wanted = {TOPICS: user.topics, MENTORS_IN: user.mentoring_sought, SEEKS_MENTOR_IN: user.mentoring_offered}
    in_common = (
        select(
            UserTopic.user_id,
            func.sum(case((UserTopic.kind == TOPICS, 1), else_=MENTORING_WEIGHT)).label("score"),
        )
        .where(
            or_(
                *(
                    and_(UserTopic.kind == kind, UserTopic.topic.in_([func.lower(topic) for topic in topics]))
                    for kind, topics in wanted.items()
                    if topics
                )
            )
        )
        .group_by(UserTopic.user_id)
        .subquery()
    )
    ranked = list(
        db.session.scalars(
            listed(event_id, user.id)
            .join(in_common, in_common.c.user_id == User.id)
            .where(User.id != user.id, User.id.not_in(relations.met(user.id)))
            .order_by(in_common.c.score.desc(), func.lower(User.name), User.id)
            .limit(limit)
        )
    )
    found = []
    for entry in entries(user.id, people(ranked), event_id):
        suggestion = _suggestion(user, entry.person)
        if suggestion is not None:
            found.append(suggestion)
    return found


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
