"""`record_once`: do something at most once per (actor, nonce), and give every repeat the first answer.

Scanners send the same action again and again: a door resends a scan it got no answer for, an offline
queue uploads its scans twice, two copies of one request race each other. Each action is recorded in the
ledger under its actor and the nonce the device chose:

1. claim the nonce: `INSERT ... ON CONFLICT DO NOTHING`. A nonce used before claims nothing; on PostgreSQL
   a copy that another transaction is recording waits for that transaction, then claims nothing either;
2. apply the actions whose nonces were claimed, in the order given, and store their answers;
3. answer the others from the ledger: the first answer, as stored (and as later corrected, e.g. by an undo).

A nonce names one request, not a slot to reuse: an action may carry a fingerprint of what it asks for (a
hash of the badge and the direction of a scan, say), kept with its entry. A nonce sent again with another
fingerprint is another request under a used nonce: it is not answered with somebody else's answer but
refused (`NonceReused`, a 409), or answered as the caller says (`reused`, for one scan among a batch).

It runs in the caller's session and transaction (on its connection: the ledger's statements are plain SQL
on one table, with no ORM object to keep in step); the caller commits once. If the caller's transaction
rolls back, its claims go with it and a later copy is applied afresh.
"""

import hashlib
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, select, update

from netevents.db import execute_in_dialect, insert_unless_present, table_of, utcnow
from netevents.errors import DomainError
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
_STORED_ANSWERS = select(_ledger.c.nonce, _ledger.c.answer, _ledger.c.fingerprint).where(
    _ledger.c.actor == bindparam("actor"), _ledger.c.nonce.in_(bindparam("nonces", expanding=True))
)
_STORE_ANSWER = (
    update(_ledger)
    .where(_ledger.c.id == bindparam("entry_id"))
    .values(answer=bindparam("stored", type_=_ledger.c.answer.type))
)


class NonceReused(DomainError):
    """A nonce sent again for another request than the one it was first used for."""

    def __init__(self, nonce: str):
        super().__init__(
            "nonce_reused",
            f"The nonce {nonce!r} was already used for another request; send each new request with a new nonce.",
            status=409,
            field="nonce",
        )
        self.nonce = nonce


def fingerprint(*parts: object) -> str:
    """What a request asks for, as a hash to keep with its entry (no secret it names is stored in clear)."""
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


class AnswerCodec(Protocol[Answer]):
    """How answers are stored in the ledger and read back (a marshmallow schema is one)."""

    def dump(self, answer: Answer) -> dict[str, Any]: ...

    def load(self, data: dict[str, Any]) -> Answer: ...


def device_time(sent: datetime | None, received_at: datetime) -> datetime:
    """When a device says it acted (an offline queue keeps its times); a clock too far ahead of ours is wrong,
    and its actions are taken as received now (`clock_ahead` says so, for the answer to flag it)."""
    if sent is None or clock_ahead(sent, received_at):
        return received_at
    return sent


def clock_ahead(sent: datetime | None, received_at: datetime) -> bool:
    """The device's time is further ahead of ours than any honest clock is: `device_time` did not take it."""
    return sent is not None and sent > received_at + MAX_CLOCK_SKEW


def record_once(
    actor: str,
    nonce: str,
    apply: Apply[Answer],
    codec: AnswerCodec[Answer],
    *,
    fingerprint: str | None = None,
    claimed: Callable[[int], None] | None = None,
) -> Answer:
    """Apply `apply` unless `actor` sent `nonce` before; either way, the answer for that nonce.

    Raises `NonceReused` if `nonce` was first sent with another `fingerprint`."""
    [answer] = record_each(actor, [(nonce, apply)], codec, fingerprints=[fingerprint], claimed=claimed)
    return answer


def record_each(
    actor: str,
    actions: Sequence[tuple[str, Apply[Answer]]],
    codec: AnswerCodec[Answer],
    *,
    fingerprints: Sequence[str | None] | None = None,
    reused: Callable[[int], Answer] | None = None,
    claimed: Callable[[int], None] | None = None,
) -> list[Answer]:
    """`record_once` for several actions, applied in the order given; one answer per action, in that order.

    A nonce that appears twice in `actions` is applied once, and both get its answer. `fingerprints` (one per
    action, None for none) say what each action asks for: an action whose nonce was first used with another
    fingerprint gets `reused(i)` (i: its position in `actions`), or, without `reused`, the whole call raises `NonceReused` (before anything
    is applied, unless the nonce is repeated within `actions` itself). `claimed`, if given, is told how many
    nonces were new to the ledger before any action is applied: a budget of new actions, which may refuse them
    all by raising (the caller's transaction, claims included, then rolls back).
    """
    prints = list(fingerprints) if fingerprints is not None else [None] * len(actions)
    if len(prints) != len(actions):
        raise ValueError("one fingerprint per action")
    first_print: dict[str, str | None] = {}
    for (nonce, _apply), print_ in zip(actions, prints, strict=True):
        first_print.setdefault(nonce, print_)
    nonces = sorted(first_print)  # claimed in one order: racing copies never deadlock
    new = _claim(actor, nonces, first_print)
    if claimed is not None:
        claimed(len(new))
    answers, stored_prints = _stored_answers(actor, [nonce for nonce in nonces if nonce not in new], codec)
    stored_prints.update({nonce: first_print[nonce] for nonce in new})
    if reused is None:
        for (nonce, _apply), print_ in zip(actions, prints, strict=True):
            if _differ(stored_prints.get(nonce), print_):
                raise NonceReused(nonce)
    stored = []
    results = []
    for position, ((nonce, apply), print_) in enumerate(zip(actions, prints, strict=True)):
        if _differ(stored_prints.get(nonce), print_):
            assert reused is not None  # checked above
            results.append(reused(position))
            continue
        if nonce not in answers:
            answers[nonce] = apply(new[nonce])
            stored.append({"entry_id": new[nonce], "stored": codec.dump(answers[nonce])})
        results.append(answers[nonce])
    if stored:
        db.session.connection().execute(_STORE_ANSWER, stored)
    return results


def _differ(stored: str | None, sent: str | None) -> bool:
    """Entries and actions without a fingerprint (older entries, callers that keep none) match anything."""
    return stored is not None and sent is not None and stored != sent


def correct_answer(entry_id: int, answer: Answer, codec: AnswerCodec[Answer]) -> None:
    """Replace the stored answer of an entry (an undone scan answers as undone from then on)."""
    db.session.connection().execute(_STORE_ANSWER, {"entry_id": entry_id, "stored": codec.dump(answer)})


def _claim(actor: str, nonces: list[str], fingerprints: dict[str, str | None]) -> dict[str, int]:
    """Write an entry for each nonce new to the ledger; their ids, by nonce."""
    if not nonces:
        return {}
    now = utcnow()
    rows = [
        {"actor": actor, "nonce": nonce, "fingerprint": fingerprints[nonce], "recorded_at": now} for nonce in nonces
    ]
    claimed = execute_in_dialect(_CLAIM, rows[0] if len(rows) == 1 else rows)
    return {nonce: entry_id for nonce, entry_id in claimed}


def _stored_answers(
    actor: str, nonces: list[str], codec: AnswerCodec[Answer]
) -> tuple[dict[str, Answer], dict[str, str | None]]:
    """The stored answers of these nonces, and the fingerprints they were first sent with."""
    if not nonces:
        return {}, {}
    rows = db.session.connection().execute(_STORED_ANSWERS, {"actor": actor, "nonces": nonces}).all()
    return {nonce: codec.load(answer) for nonce, answer, _print in rows}, {nonce: print_ for nonce, _a, print_ in rows}
