"""Blocks: one action hides two people from each other everywhere and stops them connecting, both ways."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select

from netevents.accounts.models import User
from netevents.db import execute_in_dialect, insert_unless_present, table_of, utcnow
from netevents.errors import DomainError, NotFound
from netevents.events.models import EventOrganizer
from netevents.extensions import db
from netevents.pagination import page_of_list
from netevents.people.connections import remove_side
from netevents.people.models import Block, ConnectionSide
from netevents.people.relations import relations_to
from netevents.people.visibility import Relation, name_despite_block
from netevents.registrations.models import Registration

_NEW_BLOCK = insert_unless_present(table_of(Block), "blocker_id", "blocked_id")


@dataclass(frozen=True, slots=True)
class BlockView:
    user_id: int
    #: The name I know them by (None: I never met them, nor saw them in a directory or organizing one of my events).
    name: str | None
    blocked_at: datetime


def block(user: User, person_id: int) -> BlockView:
    """Block a person (again: nothing changes). Our connection ends for both of us, each side removed as if each
    had removed it: unblocking later leaves us as two people who met once, alike on both sides, who connect again
    by both scanning (not one of us still listing the other, with notes, while the other lists nobody)."""
    if person_id == user.id:
        raise DomainError("cannot_block_yourself", "You cannot block yourself.", status=422, field="user_id")
    if db.session.get(User, person_id) is None:
        raise NotFound("person")
    execute_in_dialect(_NEW_BLOCK, {"blocker_id": user.id, "blocked_id": person_id, "created_at": utcnow()})
    sides = db.session.scalars(
        select(ConnectionSide)
        .where(
            or_(
                (ConnectionSide.user_id == user.id) & (ConnectionSide.other_id == person_id),
                (ConnectionSide.user_id == person_id) & (ConnectionSide.other_id == user.id),
            ),
            ConnectionSide.removed_at.is_(None),
        )
        .order_by(ConnectionSide.user_id)  # locked in one order, whoever blocks: two blocks at once do not deadlock
        .with_for_update()
    ).all()
    for side in sides:
        remove_side(side)
    return _views(
        user,
        [db.session.scalars(select(Block).where(Block.blocker_id == user.id, Block.blocked_id == person_id)).one()],
    )[0]


def block_asked(user: User, person_id: int) -> BlockView:
    """A block asked for by number (`POST /me/blocks`): of someone the person has to do with. Anyone else answers
    the same 404 as a number nobody has, so that blocking cannot be used to learn which numbers are people."""
    if person_id != user.id and not _may_block(user, person_id):
        raise NotFound("person")
    return block(user, person_id)


def _may_block(user: User, person_id: int) -> bool:
    """Whether the person is someone this user has to do with (met, at an event with them, at one of their events or
    organizing one of theirs), or blocked already: anyone else cannot reach them."""
    if blocked(user.id, person_id) or _organizers_of_my_events(user, [person_id]):
        return True
    return relations_to(user.id, [person_id])[person_id] & ~Relation.blocked != Relation.stranger


def _organizers_of_my_events(user: User, person_ids: Collection[int]) -> set[int]:
    """Which of these people organize an event this user registered for (an event's page names its organizers)."""
    return set(
        db.session.scalars(
            select(EventOrganizer.user_id)
            .join(Registration, Registration.event_id == EventOrganizer.event_id)
            .where(Registration.user_id == user.id, EventOrganizer.user_id.in_(person_ids))
        )
    )


def unblock(user: User, person_id: int) -> None:
    """Lift my block. The connection the block ended stays ended, for both alike; a block they made of me stays."""
    lifted = db.session.execute(
        delete(Block)
        .where(Block.blocker_id == user.id, Block.blocked_id == person_id)
        .returning(Block.id)
        .execution_options(synchronize_session=False)
    ).first()
    if lifted is None:
        raise NotFound("block")


def blocked(user_id: int, person_id: int) -> bool:
    """Whether `user_id` blocked `person_id`."""
    query = select(Block.id).where(Block.blocker_id == user_id, Block.blocked_id == person_id)
    return db.session.scalar(query) is not None


def my_blocks(user: User, page: int, per_page: int) -> dict:
    """A page of the people I blocked (see `blocks_of`)."""
    return page_of_list(blocks_of(user), page, per_page)


def blocks_of(user: User) -> list[BlockView]:
    """The people I blocked, most recent first (not who blocked me: that is never shown)."""
    blocks = list(
        db.session.scalars(
            select(Block).where(Block.blocker_id == user.id).order_by(Block.created_at.desc(), Block.id.desc())
        )
    )
    return _views(user, blocks)


def _views(user: User, blocks: list[Block]) -> list[BlockView]:
    people = {
        person.id: person
        for person in db.session.scalars(select(User).where(User.id.in_({b.blocked_id for b in blocks})))
    }
    relations = relations_to(user.id, people.keys())
    organizers = _organizers_of_my_events(user, people.keys())

    def name(person: User) -> str | None:
        return person.name if person.id in organizers else name_despite_block(person, relations[person.id])

    return [BlockView(b.blocked_id, name(people[b.blocked_id]), b.created_at) for b in blocks]
