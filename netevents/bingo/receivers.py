"""What bingo does when another domain changes something (netevents/signals.py)."""

from datetime import datetime
from typing import Any

from netevents import signals
from netevents.bingo.answers import CardView
from netevents.bingo.results import cards_played
from netevents.bingo.services import end_rounds_with_event, sign_square


def sign_bingo_square(
    _sender: str,
    *,
    exchange_id: int,
    event_id: int,
    scanner_id: int,
    scanned_id: int,
    actions: tuple[str, ...],
    scanned_at: datetime,
    **_rest: Any,
) -> None:
    """An exchange during a round signs a square of the scanner's card (after the exchange's commit, in a
    transaction of its own: if this fails, it is logged and the exchange stands)."""
    sign_square(
        exchange_id=exchange_id,
        event_id=event_id,
        scanner_id=scanner_id,
        scanned_id=scanned_id,
        actions=actions,
        scanned_at=scanned_at,
    )


def end_rounds_past_the_event(_sender: str, *, event_id: int, **_rest: Any) -> None:
    """An event made to end earlier (or cancelled) ends its rounds then, in the change's transaction."""
    end_rounds_with_event(event_id)


def export_bingo_cards(_sender: str, *, user_id: int) -> tuple[str, list[CardView]]:
    """My bingo cards: each round in which someone signed a square of mine, with its lines and bingo."""
    return "bingo", cards_played(user_id)


def connect_signals() -> None:
    signals.exchange_recorded.connect(sign_bingo_square)
    signals.personal_data_exporting.connect(export_bingo_cards)
    signals.event_changing.connect(end_rounds_past_the_event)
