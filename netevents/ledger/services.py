"""`record_once`: do something at most once per (actor, nonce), and give every repeat the first answer.

Scanners send the same action again and again: a door resends a scan it got no answer for, an offline
queue uploads its scans twice, two copies of one request race each other. Each action is recorded in the
ledger under its actor and the nonce the device chose:

1. claim the nonce: `INSERT ... ON CONFLICT DO NOTHING`. A nonce used before claims nothing; on PostgreSQL
   a copy that another transaction is recording waits for that transaction, then claims nothing either;
2. apply the actions whose nonces were claimed, in the order given, and store their answers;
3. answer the others from the ledger: the first answer, as stored (and as later corrected, e.g. by an undo).

It runs in the caller's session and transaction; the caller commits once. If the caller's transaction
rolls back, its claims go with it and a later copy is applied afresh.
"""

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from netevents.db import utcnow
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry

Answer = TypeVar("Answer")

#: An action to record: it gets the id of its ledger entry and returns the answer to give.
Apply = Callable[[int], Answer]

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class AnswerCodec(Protocol[Answer]):
    """How answers are stored in the ledger and read back (a marshmallow schema is one)."""

    def dump(self, answer: Answer) -> dict[str, Any]: ...

    def load(self, data: dict[str, Any]) -> Answer: ...


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
            stored.append({"id": claimed[nonce], "answer": codec.dump(answers[nonce])})
    if stored:
        db.session.execute(update(LedgerEntry), stored)
    return [answers[nonce] for nonce, _apply in actions]


def correct_answer(entry_id: int, answer: Answer, codec: AnswerCodec[Answer]) -> None:
    """Replace the stored answer of an entry (an undone scan answers as undone from then on)."""
    db.session.execute(update(LedgerEntry), [{"id": entry_id, "answer": codec.dump(answer)}])


def _claim(actor: str, nonces: list[str]) -> dict[str, int]:
    """Write an entry for each nonce new to the ledger; their ids, by nonce."""
    if not nonces:
        return {}
    insert = _INSERT[db.session.get_bind().dialect.name]
    statement = (
        insert(LedgerEntry)
        .on_conflict_do_nothing(index_elements=["actor", "nonce"])
        .returning(LedgerEntry.nonce, LedgerEntry.id)
    )
    now = utcnow()
    rows = [{"actor": actor, "nonce": nonce, "recorded_at": now} for nonce in nonces]
    return {nonce: entry_id for nonce, entry_id in db.session.execute(statement.values(rows))}


def _stored_answers(actor: str, nonces: list[str], codec: AnswerCodec[Answer]) -> dict[str, Answer]:
    if not nonces:
        return {}
    rows = db.session.execute(
        select(LedgerEntry.nonce, LedgerEntry.answer).where(LedgerEntry.actor == actor, LedgerEntry.nonce.in_(nonces))
    )
    return {nonce: codec.load(answer) for nonce, answer in rows}
