"""`record_once`: do something at most once per (actor, nonce), and give every repeat the first answer.

Scanners send the same action again and again: a door resends a scan it got no answer for, an offline
queue uploads its scans twice, two copies of one request race each other. Each action is recorded in the
ledger under its actor and the nonce the device chose:

1. claim the nonce: `INSERT ... ON CONFLICT DO NOTHING`. A nonce used before claims nothing; on PostgreSQL
   a copy that another transaction is recording waits for that transaction, then claims nothing either;
2. apply the actions whose nonces were claimed, in the order given, and store their answers;
3. answer the others from the ledger: the first answer, as stored (and as later corrected, e.g. by an undo).

It runs in the caller's session and transaction (on its connection: the ledger's statements are plain SQL
on one table, with no ORM object to keep in step); the caller commits once. If the caller's transaction
rolls back, its claims go with it and a later copy is applied afresh.
"""

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, select, update

from netevents.db import execute_in_dialect, insert_unless_present, table_of, utcnow
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry

Answer = TypeVar("Answer")

#: An action to record: it gets the id of its ledger entry and returns the answer to give.
Apply = Callable[[int], Answer]

#: A device clock this far ahead of ours is wrong (see `device_time`).
MAX_CLOCK_SKEW = timedelta(minutes=10)

_ledger = table_of(LedgerEntry)
#: Claiming nonces, per dialect: a nonce in the ledger already inserts nothing and returns nothing.
_CLAIM = {
    name: insert.returning(_ledger.c.nonce, _ledger.c.id)
    for name, insert in insert_unless_present(_ledger, "actor", "nonce").items()
}
_STORED_ANSWERS = select(_ledger.c.nonce, _ledger.c.answer).where(
    _ledger.c.actor == bindparam("actor"), _ledger.c.nonce.in_(bindparam("nonces", expanding=True))
)
_STORE_ANSWER = (
    update(_ledger)
    .where(_ledger.c.id == bindparam("entry_id"))
    .values(answer=bindparam("stored", type_=_ledger.c.answer.type))
)


class AnswerCodec(Protocol[Answer]):
    """How answers are stored in the ledger and read back (a marshmallow schema is one)."""

    def dump(self, answer: Answer) -> dict[str, Any]: ...

    def load(self, data: dict[str, Any]) -> Answer: ...


def device_time(sent: datetime | None, received_at: datetime) -> datetime:
    """When a device says it acted (an offline queue keeps its times); a clock too far ahead of ours is wrong,
    and its actions are taken as received now."""
    if sent is None or sent > received_at + MAX_CLOCK_SKEW:
        return received_at
    return sent


def record_once(actor: str, nonce: str, apply: Apply[Answer], codec: AnswerCodec[Answer]) -> Answer:
    """Apply `apply` unless `actor` sent `nonce` before; either way, the answer for that nonce."""
    [answer] = record_each(actor, [(nonce, apply)], codec)
    return answer


def record_each(actor: str, actions: Sequence[tuple[str, Apply[Answer]]], codec: AnswerCodec[Answer]) -> list[Answer]:
    """`record_once` for several actions, applied in the order given; one answer per action, in that order.

    A nonce that appears twice in `actions` is applied once, and both get its answer.
    """
    nonces = sorted({nonce for nonce, _apply in actions})  # claimed in one order: racing copies never deadlock
    claimed = _claim(actor, nonces)
    answers = _stored_answers(actor, [nonce for nonce in nonces if nonce not in claimed], codec)
    stored = []
    for nonce, apply in actions:
        if nonce not in answers:
            answers[nonce] = apply(claimed[nonce])
            stored.append({"entry_id": claimed[nonce], "stored": codec.dump(answers[nonce])})
    if stored:
        db.session.connection().execute(_STORE_ANSWER, stored)
    return [answers[nonce] for nonce, _apply in actions]


def correct_answer(entry_id: int, answer: Answer, codec: AnswerCodec[Answer]) -> None:
    """Replace the stored answer of an entry (an undone scan answers as undone from then on)."""
    db.session.connection().execute(_STORE_ANSWER, {"entry_id": entry_id, "stored": codec.dump(answer)})


def _claim(actor: str, nonces: list[str]) -> dict[str, int]:
    """Write an entry for each nonce new to the ledger; their ids, by nonce."""
    if not nonces:
        return {}
    now = utcnow()
    rows = [{"actor": actor, "nonce": nonce, "recorded_at": now} for nonce in nonces]
    claimed = execute_in_dialect(_CLAIM, rows[0] if len(rows) == 1 else rows)
    return {nonce: entry_id for nonce, entry_id in claimed}


def _stored_answers(actor: str, nonces: list[str], codec: AnswerCodec[Answer]) -> dict[str, Answer]:
    if not nonces:
        return {}
    rows = db.session.connection().execute(_STORED_ANSWERS, {"actor": actor, "nonces": nonces})
    return {nonce: codec.load(answer) for nonce, answer in rows}
