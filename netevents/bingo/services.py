"""Bingo's rules: who may play, the organizers' setup, timed rounds, and signing squares after exchanges.

Squares are signed by `sign_square`, which netevents/bingo/receivers.py calls for each `exchange_recorded`
(sent after the exchange's commit, netevents/signals.py): the exchange code never calls bingo, and bingo's
write is a transaction of its own, so nothing bingo does can fail or undo an exchange.

Which round an exchange counts for is decided by its `scanned_at`, the phone's clock at the scan, not by when
the server got it: an exchange made during a round and synced from an offline queue after the round ended
still signs a square (as the door keeps the time of the scan). A round must exist when the exchange arrives,
so an exchange sent before a round started never counts for it. The first exchange recorded takes a square:
one made earlier but synced later finds it signed and takes another matching square, if any is free.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from netevents.accounts.models import User
from netevents.bingo.answers import BingoView, RoundView
from netevents.bingo.cards import deal, squares_needed
from netevents.bingo.models import DEFAULT_ROUND_MINUTES, DEFAULT_SIZE, BingoRound, BingoSetup, BingoSquare
from netevents.db import execute_in_dialect, insert_unless_present, new_secret, table_of, utcnow
from netevents.errors import DomainError, Forbidden, NotFound
from netevents.events.models import Event, EventStatus, local_time
from netevents.events.services import get_organized_event, get_visible_event, is_organizer
from netevents.extensions import db
from netevents.people.actions import MAX_CUSTOM_ACTIONS, actions_of, set_custom_actions
from netevents.registrations.models import Registration, RegistrationStatus

#: Sign a square unless it, the person met or the exchange is on the card already (any unique constraint).
_SIGN_SQUARE = {
    name: insert.returning(table_of(BingoSquare).c.position)
    for name, insert in insert_unless_present(table_of(BingoSquare)).items()
}


@dataclass(frozen=True, slots=True)
class Setup:
    actions: tuple[str, ...]
    size: int
    round_minutes: int
    configured: bool

    @property
    def actions_missing(self) -> int:
        return max(squares_needed(self.size) - len(self.actions), 0)


def bingo_event(event_id: int, user: User) -> tuple[Event, bool]:
    """The event, if `user` organizes it or is confirmed for it; and whether they organize it."""
    event = get_visible_event(event_id, user)
    if is_organizer(event, user):
        return event, True
    if not is_confirmed(event.id, user.id):
        raise Forbidden("Bingo is for the people registered for this event and its organizers.")
    return event, False


def is_confirmed(event_id: int, user_id: int) -> bool:
    status = db.session.scalar(
        select(Registration.status).where(Registration.event_id == event_id, Registration.user_id == user_id)
    )
    return status == RegistrationStatus.confirmed


def setup_of(event_id: int) -> Setup:
    """The event's setup, or the defaults: every exchange action of the event, a 3x3 card, 10-minute rounds."""
    stored = db.session.get(BingoSetup, event_id)
    if stored is not None:
        return Setup(tuple(stored.actions), stored.size, stored.round_minutes, configured=True)
    offered = actions_of([event_id])[event_id]
    return Setup(offered.standard + offered.custom, DEFAULT_SIZE, DEFAULT_ROUND_MINUTES, configured=False)


def bingo_overview(event_id: int, user: User) -> BingoView:
    event, _organizer = bingo_event(event_id, user)
    return _overview(event.id)


def configure(event_id: int, organizer: User, data: dict[str, Any]) -> BingoView:
    """Set how the event's next rounds are played (a running round keeps its card).

    Actions the event does not offer yet become its own exchange actions, so that exchanges can carry them;
    `labels` keeps the organizer's words for its own actions.
    """
    event = get_organized_event(event_id, organizer, lock=True)  # two organizers' changes one after the other
    round_minutes = data.get("round_minutes", DEFAULT_ROUND_MINUTES)
    _check_within_event(event, max(utcnow(), event.starts_at), round_minutes, "round_minutes")
    offered = actions_of([event.id])[event.id]
    size = data.get("size", DEFAULT_SIZE)
    actions = list(data.get("actions") or offered.standard + offered.custom)
    if len(set(actions)) != len(actions):
        raise DomainError("duplicate_action", "Each action once, please.", status=422, field="actions")
    missing = squares_needed(size) - len(actions)
    if missing > 0:
        raise DomainError(
            "not_enough_actions",
            f"A {size}x{size} card needs {squares_needed(size)} different actions; add {missing} more "
            f"(you have {len(actions)}), or choose a smaller card.",
            status=422,
            field="actions",
            missing=missing,
        )
    own = [action for action in actions if action not in offered.allowed]
    labels = data.get("labels")
    if own or labels:
        if len(offered.custom) + len(own) > MAX_CUSTOM_ACTIONS:
            raise DomainError(
                "too_many_actions",
                f"An event has at most {MAX_CUSTOM_ACTIONS} actions of its own besides the standard ones; it has "
                f"{len(offered.custom)}, and the card adds {len(own)}.",
                status=422,
                field="actions",
            )
        set_custom_actions(event.id, organizer, [*offered.custom, *own], labels, custom_field="actions")
    setup = db.session.get(BingoSetup, event.id)
    if setup is None:
        setup = BingoSetup(event_id=event.id)
        db.session.add(setup)
    setup.actions = actions
    setup.size = size
    setup.round_minutes = round_minutes
    db.session.flush()
    return _overview(event.id)


def start_round(event_id: int, organizer: User, data: dict[str, Any]) -> RoundView:
    """Start a timed round with the event's setup: one at a time per event."""
    event = get_organized_event(event_id, organizer, lock=True)  # two starts one after the other
    if event.status == EventStatus.cancelled:
        raise DomainError("event_cancelled", "This event is cancelled: no bingo.")
    now = utcnow()
    _check_exchanges_open(event, now)
    running = round_at(event.id, now)
    if running is not None:
        raise DomainError(
            "round_running",
            f"A round is running until {running.ends_at.astimezone(event.zone):%H:%M}; end it before starting another.",
            round_id=running.id,
        )
    setup = setup_of(event.id)
    minutes = data.get("minutes", setup.round_minutes)
    _check_within_event(event, now, minutes, "minutes")
    if setup.actions_missing:
        raise DomainError(
            "not_enough_actions",
            f"A {setup.size}x{setup.size} card needs {squares_needed(setup.size)} different actions; add "
            f"{setup.actions_missing} more to the bingo setup, or choose a smaller card.",
            missing=setup.actions_missing,
        )
    gone = sorted(set(setup.actions) - actions_of([event.id])[event.id].allowed)
    if gone:
        raise DomainError(
            "actions_removed",
            f"No longer actions of this event: {', '.join(gone)}. Set up the card again.",
        )
    bingo_round = BingoRound(
        event_id=event.id,
        actions=list(setup.actions),
        size=setup.size,
        seed=new_secret(16),
        started_at=now,
        ends_at=now + timedelta(minutes=minutes),
        ended_early=False,
        started_by_id=organizer.id,
    )
    db.session.add(bingo_round)
    db.session.flush()
    return round_view(bingo_round, now)


def _check_exchanges_open(event: Event, now: datetime) -> None:
    """Squares are signed by exchanges, which the event takes from the opening of its check-in on
    (netevents/people/exchanges.py): a round started before then would run out with every scan refused."""
    opens = event.checkin_window[0]
    if now < opens:
        raise DomainError(
            "outside_window",
            f"Bingo rounds can start once check-in opens, at {local_time(opens, event.zone)}: the scans that sign "
            "the squares count from then.",
            checkin_opens_at=opens.isoformat(),
        )


def _check_within_event(event: Event, start: datetime, minutes: int, field: str) -> None:
    """Refuse a round of `minutes` from `start` that would run past the event's end: 422 naming `field` (the body's
    field that makes it shorter), or 409 once the event is over (no value of any field would do)."""
    if event.ends_at <= start:
        raise DomainError(
            "event_over",
            f"The event ended at {local_time(event.ends_at, event.zone)}: no more bingo rounds.",
            event_ends_at=event.ends_at.isoformat(),
        )
    end = event.ends_at.astimezone(event.zone)
    left = int((event.ends_at - start).total_seconds() // 60)
    if minutes > left:
        raise DomainError(
            "round_past_event_end",
            f"The event ends at {end:%H:%M}: a {minutes}-minute round would run past it; send {field} of at most "
            f"{left} minutes."
            if left >= 1
            else f"The event ends at {end:%H:%M}, in under a minute: no more bingo rounds.",
            status=422,
            field=field,
            event_ends_at=event.ends_at.isoformat(),
        )


def end_rounds_with_event(event_id: int) -> None:
    """A round still running past its event's end (the event was made to end earlier, or cancelled) ends then."""
    event = db.session.get(Event, event_id)
    if event is None:
        return
    end = min(event.ends_at, utcnow()) if event.status == EventStatus.cancelled else event.ends_at
    for bingo_round in db.session.scalars(
        select(BingoRound).where(BingoRound.event_id == event_id, BingoRound.ends_at > end)
    ):
        bingo_round.ends_at = max(end, bingo_round.started_at)
    db.session.flush()


def end_round(event_id: int, round_id: int, organizer: User) -> RoundView:
    """End a running round now; exchanges scanned from now on do not count for it."""
    event = get_organized_event(event_id, organizer, lock=True)  # the same lock as a start: one decision at a time
    bingo_round = round_of(event.id, round_id)
    now = utcnow()
    if bingo_round.ends_at <= now:
        raise DomainError("round_over", "This round is over already.")
    bingo_round.ends_at = now
    bingo_round.ended_early = True
    db.session.flush()
    return round_view(bingo_round, now)


def round_of(event_id: int, round_id: int) -> BingoRound:
    bingo_round = db.session.get(BingoRound, round_id)
    if bingo_round is None or bingo_round.event_id != event_id:
        raise NotFound("bingo round")
    return bingo_round


def round_at(event_id: int, moment: datetime) -> BingoRound | None:
    """The event's round running at `moment` (rounds never overlap: one runs at a time)."""
    return db.session.scalar(
        select(BingoRound)
        .where(BingoRound.event_id == event_id, BingoRound.started_at <= moment, BingoRound.ends_at > moment)
        .order_by(BingoRound.started_at.desc())
        .limit(1)
    )


def round_to_show(event_id: int, round_id: int | None) -> BingoRound:
    """The round asked for, or else the one running now, or else the last one."""
    if round_id is not None:
        return round_of(event_id, round_id)
    latest = db.session.scalar(
        select(BingoRound).where(BingoRound.event_id == event_id).order_by(BingoRound.started_at.desc()).limit(1)
    )
    if latest is None:
        raise DomainError("no_round", "No bingo round has started at this event yet.", status=404)
    return latest


def round_view(bingo_round: BingoRound, now: datetime) -> RoundView:
    return RoundView(
        id=bingo_round.id,
        event_id=bingo_round.event_id,
        size=bingo_round.size,
        actions=tuple(bingo_round.actions),
        started_at=bingo_round.started_at,
        ends_at=bingo_round.ends_at,
        ended_early=bingo_round.ended_early,
        running=bingo_round.started_at <= now < bingo_round.ends_at,
    )


def _overview(event_id: int) -> BingoView:
    now = utcnow()
    setup = setup_of(event_id)
    rounds = [
        round_view(bingo_round, now)
        for bingo_round in db.session.scalars(
            select(BingoRound).where(BingoRound.event_id == event_id).order_by(BingoRound.started_at, BingoRound.id)
        )
    ]
    return BingoView(
        event_id=event_id,
        actions=setup.actions,
        size=setup.size,
        round_minutes=setup.round_minutes,
        configured=setup.configured,
        actions_missing=setup.actions_missing,
        current_round=next((view for view in rounds if view.running), None),
        rounds=tuple(rounds),
        generated_at=now,
    )


def sign_square(
    *,
    exchange_id: int,
    event_id: int,
    scanner_id: int,
    scanned_id: int,
    actions: tuple[str, ...],
    scanned_at: datetime,
) -> int | None:
    """Sign a square of the scanner's card with the person scanned, if the exchange was scanned during a round,
    carries a free square's action, and that person has not signed the card yet. The position signed, or None.

    Safe to repeat and to race: each attempt is an INSERT ... ON CONFLICT DO NOTHING under the square's unique
    constraints (one signature per square, one square per person met, one square per exchange). An exchange
    delivered twice signs nothing the second time; two exchanges racing for one square sign it once, and the
    loser tries the next free square its actions match.
    """
    if not actions:
        return None  # nothing to sign: not even a query
    bingo_round = round_at(event_id, scanned_at)
    if bingo_round is None:
        return None
    card = deal(bingo_round.actions, bingo_round.size, bingo_round.seed, scanner_id)
    wanted = set(actions)
    candidates = [position for position, action in enumerate(card) if action in wanted]
    if not candidates:
        return None
    signed = _card_signatures(bingo_round.id, scanner_id)
    if _already_counted(signed, scanned_id, exchange_id):
        return None
    now = utcnow()
    for position in candidates:
        if position in signed:
            continue
        inserted: int | None = execute_in_dialect(
            _SIGN_SQUARE,
            {
                "round_id": bingo_round.id,
                "owner_id": scanner_id,
                "position": position,
                "action": card[position],
                "signer_id": scanned_id,
                "exchange_id": exchange_id,
                "signed_at": scanned_at,
                "recorded_at": now,
            },
        ).scalar()
        if inserted is not None:
            return inserted
        # Another exchange got there first: this square, or this person (or this exchange) on this card.
        signed = _card_signatures(bingo_round.id, scanner_id)
        if _already_counted(signed, scanned_id, exchange_id):
            return None
    return None


def _card_signatures(round_id: int, owner_id: int) -> dict[int, tuple[int | None, int | None]]:
    """The signed squares of a card: position -> (signer, exchange)."""
    rows = db.session.execute(
        select(BingoSquare.position, BingoSquare.signer_id, BingoSquare.exchange_id).where(
            BingoSquare.round_id == round_id, BingoSquare.owner_id == owner_id
        )
    )
    return {position: (signer_id, exchange_id) for position, signer_id, exchange_id in rows}


def _already_counted(signed: dict[int, tuple[int | None, int | None]], signer_id: int, exchange_id: int) -> bool:
    return any(signer == signer_id or exchange == exchange_id for signer, exchange in signed.values())
