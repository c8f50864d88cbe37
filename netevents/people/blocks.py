"""Blocks: one action hides two people from each other everywhere and stops them connecting, both ways."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, or_, select

from netevents.accounts.models import User
from netevents.db import execute_in_dialect, insert_unless_present, table_of, utcnow
from netevents.errors import DomainError, NotFound
from netevents.extensions import db
from netevents.pagination import page_of_list
from netevents.people.connections import remove_side
from netevents.people.models import Block, ConnectionSide
from netevents.people.relations import relations_to
from netevents.people.visibility import name_despite_block

_NEW_BLOCK = insert_unless_present(table_of(Block), "blocker_id", "blocked_id")


@dataclass(frozen=True, slots=True)
class BlockView:
    user_id: int
    #: The name I knew them by (None if we had nothing to do with each other).
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
    return [
        BlockView(b.blocked_id, name_despite_block(people[b.blocked_id], relations[b.blocked_id]), b.created_at)
        for b in blocks
    ]
