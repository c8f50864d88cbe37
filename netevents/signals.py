"""Domain events: what one domain tells the others, as blinker signals (which Flask ships).

A domain that must react to another one's change subscribes to that domain's signal instead of being
called by it, so imports keep pointing one way (checkin -> registrations -> events -> accounts) and a
new subscriber needs no change in the sender. Receivers are connected explicitly at start-up: each
subscribing domain has a `receivers.py` whose `connect_signals()` `create_app` calls.

The tense of a signal's name says when its receivers run:

- "-ing" (`account_deleting`, `event_changing`, `personal_data_exporting`): DURING the change, in the
  sender's transaction. The sender flushes its change, then calls `signal.send(__name__, **payload)`.
  Receivers run at once on the same session: what they write commits or rolls back with the change (a
  leaving person's seats go to the waitlist in the transaction that deletes them; a cancellation email is
  in the outbox if and only if the cancellation is committed). A receiver refuses the change by raising a
  DomainError, which the caller handles like any other: the request rolls back, receivers' writes with it.
- past tense (`checked_in`, `registration_cancelled`, `account_deleted`, `exchange_recorded`,
  `event_cancelled`): AFTER the commit. The sender calls `announce(signal, __name__, **payload)`; the
  announcement waits in the session's transaction and is sent once the outermost transaction has
  committed and ended, or forgotten if it (or the savepoint it was made in) rolls back. Each receiver then
  runs in a transaction of its own, which is committed when it returns (it flushes like a service, and
  never commits) or rolled back and logged if it raises: the change it follows stands either way. They
  are sent at most once (a crash right after the commit loses them), so whatever must not be lost is done
  during the change instead.

Payloads are plain, immutable values (ids, str enums, aware datetimes, tuples), never ORM objects: once
the transaction has ended its objects are stale, so a receiver loads what it needs. The sender is the sending module's
`__name__`.
"""

import logging
from datetime import date, time, timedelta
from typing import Any, NamedTuple
from uuid import UUID

from blinker import NamedSignal, Namespace
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction

from netevents.extensions import db

log = logging.getLogger(__name__)

_during = Namespace()
_after_commit = Namespace()

# --- during the change, in its transaction: `signal.send(__name__, **payload)` ---------------------------

account_deleting = _during.signal(
    "account-deleting",
    doc="""A person is deleting their account.

Payload: user_id (int). Sent by accounts before the account row is deleted. Receivers: events refuses
while the person owns events (DomainError "owns_events"); registrations cancels their active
registrations, so their seats go to the waitlist; checkin erases the person from the answers stored for
their scans; people erases their exchanges from the ledger; mail erases every email to them or sent by
them. What else is theirs goes with the account row (ON DELETE CASCADE).""",
)

event_changing = _during.signal(
    "event-changing",
    doc="""An organizer changed an event (its details or status).

Payload: event_id (int), previous_status (EventStatus, a str). Sent by events after flushing the change,
with the event row locked. Receivers: registrations emails everyone registered when the event has just
been cancelled, and offers free seats to the waitlist when a published event has room; bingo ends a round
that would outlive the event (made to end earlier, or cancelled).""",
)

personal_data_exporting = _during.signal(
    "personal-data-exporting",
    doc="""A person downloads their data.

Payload: user_id (int). Each receiver returns a (key, value) pair: one section of the export, which
accounts' ExportSchema serialises. Receivers: registrations ("registrations"), people ("connections",
"blocks"), bingo ("bingo").""",
)

# --- after the commit: `announce(signal, __name__, **payload)` ----------------------------------------

checked_in = _after_commit.signal(
    "checked-in",
    doc="""An entry was accepted: someone came in.

Payload: event_id (int), registration_id (int), scan_id (int), station_id (int | None: None for an
organizer's scan, a walk-in or a webinar join link), scanned_at (aware datetime: the device's time of the
scan). Sent by checkin for each accepted entry, a return after an exit too; a scan sent again (same
nonce) is not announced again.""",
)

registration_cancelled = _after_commit.signal(
    "registration-cancelled",
    doc="""A registration was cancelled.

Payload: registration_id (int), event_id (int), user_id (int), freed_seat (bool: it was confirmed, so its
seat went to the waitlist). Sent by registrations, for cancellations by the person or an organizer and for
the registrations of a person who deleted their account (whose rows are gone after the commit).""",
)

account_deleted = _after_commit.signal(
    "account-deleted",
    doc="""A person's account and data were deleted.

Payload: user_id (int), no longer in the database. Sent by accounts.""",
)

exchange_recorded = _after_commit.signal(
    "exchange-recorded",
    doc="""Two people met: a badge scan in the room.

Payload: exchange_id (int), connection_id (int), event_id (int), scanner_id and scanned_id (user ids),
actions (tuple of str: the scanner's tags), scanned_at (aware datetime: the scanner's phone's time of the scan, kept
by an offline queue), new_connection (bool: their first meeting). Sent by people for each recorded exchange.
Receivers: bingo signs a square of the scanner's card when the scan falls in a round.""",
)

event_cancelled = _after_commit.signal(
    "event-cancelled",
    doc="""An organizer cancelled an event.

Payload: event_id (int). Sent by events; everyone registered was emailed in the same transaction.""",
)


class _Announcement(NamedTuple):
    signal: NamedSignal
    sender: str
    payload: dict[str, Any]


#: What a payload may carry (str enums are str; datetimes are dates): immutable values every receiver can share.
_PLAIN = (int, float, str, bytes, date, time, timedelta, UUID, tuple, frozenset, type(None))


# session.info keys: [(the transaction it waits for, announcement)], and "the transaction ending now committed".
_WAITING = "netevents_announcements"
_COMMITTED = "netevents_announcements_commit"


def announce(signal: NamedSignal, sender: str, **payload: Any) -> None:
    """Send `signal` once the session's outermost transaction commits; never if this change rolls back."""
    if _after_commit.get(signal.name) is not signal:
        raise ValueError(
            f"'{signal.name}' is sent during the change, with .send(); announce() is for the past-tense signals"
        )
    others = [name for name, value in payload.items() if not isinstance(value, _PLAIN)]
    if others:
        raise TypeError(f"Announce plain values (ids, not ORM objects; tuples, not lists): {', '.join(others)}")
    session = db.session()
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None:
        raise RuntimeError("announce() follows a change: flush it first, so there is a transaction to wait for")
    session.info.setdefault(_WAITING, []).append((transaction, _Announcement(signal, sender, payload)))


def _send(session: Session, announcements: list[_Announcement]) -> None:
    for announcement in announcements:
        for receiver in announcement.signal.receivers_for(announcement.sender):
            try:
                receiver(announcement.sender, **announcement.payload)
                if session.in_transaction():
                    session.commit()
            except Exception:  # one receiver's failure must not undo another's work, nor fail a committed request
                session.rollback()
                log.exception(
                    "A receiver of %s failed after the commit: %s",
                    announcement.signal.name,
                    getattr(receiver, "__qualname__", receiver),
                )


def _boundary(transaction: SessionTransaction | None) -> SessionTransaction | None:
    """The savepoint or outermost transaction that `transaction` commits or rolls back with."""
    while transaction is not None and not transaction.nested and transaction.parent is not None:
        transaction = transaction.parent
    return transaction


def _note_commit(session: Session) -> None:
    # after_commit comes for the outermost transaction and for each savepoint released, just before
    # after_transaction_end for the same transaction, which is told which one ended but not how.
    session.info[_COMMITTED] = True


def _settle(session: Session, transaction: SessionTransaction) -> None:
    if not transaction.nested and transaction.parent is not None:
        return  # a flush's inner transaction: savepoints and the outermost transaction decide
    committed = session.info.pop(_COMMITTED, False)
    waiting = session.info.get(_WAITING)
    if transaction.nested:
        if waiting:
            # Released, what it announced now waits for the transaction around it; rolled back, it is forgotten.
            parent = _boundary(transaction.parent)
            waiting[:] = [
                (parent, announcement) if owner is transaction else (owner, announcement)
                for owner, announcement in waiting
                if committed or owner is not transaction
            ]
        return
    session.info.pop(_WAITING, None)
    if committed and waiting:
        # Sent after the transaction has ended and given its connection back, as mail is delivered.
        _send(session, [announcement for owner, announcement in waiting if owner is transaction])


def init_signals() -> None:
    """Send announcements once their transaction has committed and ended; forget them if it rolls back."""
    if not event.contains(Session, "after_commit", _note_commit):
        event.listen(Session, "after_commit", _note_commit)
        event.listen(Session, "after_transaction_end", _settle)
