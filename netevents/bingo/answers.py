"""What the bingo API answers: plain values built by the services, dumped by netevents/bingo/schemas.py."""

from dataclasses import dataclass
from datetime import datetime

from netevents.bingo.cards import LineKind


@dataclass(frozen=True, slots=True)
class RoundView:
    id: int
    event_id: int
    size: int
    actions: tuple[str, ...]
    started_at: datetime
    ends_at: datetime
    ended_early: bool
    running: bool


@dataclass(frozen=True, slots=True)
class BingoView:
    """An event's bingo: the setup of its next round, the round running now, and every round so far."""

    event_id: int
    actions: tuple[str, ...]
    size: int
    round_minutes: int
    #: False: nobody configured it yet, these are the defaults.
    configured: bool
    #: How many more actions the setup needs before a round can start (0: ready).
    actions_missing: int
    current_round: RoundView | None
    rounds: tuple[RoundView, ...]
    #: The server's clock when it answered: phones count a round down against it, not against their own clock.
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signed a square, as the viewer may see them; no user_id for someone who deleted their account since."""

    user_id: int | None
    name: str


@dataclass(frozen=True, slots=True)
class SquareView:
    position: int
    row: int
    column: int
    action: str
    signed: bool
    #: None when unsigned, or signed by someone hidden from the viewer (a block).
    signed_by: Signer | None
    signed_at: datetime | None


@dataclass(frozen=True, slots=True)
class LineView:
    kind: LineKind
    index: int
    completed_at: datetime


@dataclass(frozen=True, slots=True)
class CardView:
    round: RoundView
    user_id: int
    size: int
    squares: tuple[SquareView, ...]
    squares_signed: int
    #: The completed rows, columns and diagonals, in the order they were completed.
    lines: tuple[LineView, ...]
    bingo: bool
    bingo_at: datetime | None
    #: The server's clock when it answered (see BingoView.generated_at).
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class LeaderboardEntry:
    rank: int
    #: None for a player shown as "Attendee" to someone who is not an organizer, or hidden from them by a block.
    user_id: int | None
    name: str
    you: bool
    squares_signed: int
    lines: int
    bingo_at: datetime | None


@dataclass(frozen=True, slots=True)
class Leaderboard:
    round: RoundView
    #: One page of the people the viewer may see with at least one signed square, best first, ranked among them.
    items: tuple[LeaderboardEntry, ...]
    page: int
    per_page: int
    total: int
    pages: int
    #: The server's clock when it answered (see BingoView.generated_at).
    generated_at: datetime


@dataclass(frozen=True, slots=True)
class RoundSummary:
    """What a round did for the room (PRODUCT.md, "Networking bingo")."""

    round: RoundView
    #: Exchanges at the event scanned during the round.
    exchanges: int
    #: Pairs of people who met for the first time during the round.
    connections_made: int
    #: People confirmed for the event (each had a card).
    attendees: int
    #: Of them, those in at least one connection made in the round.
    attendees_met_someone_new: int
    #: attendees_met_someone_new / attendees; None without attendees.
    met_someone_new_share: float | None
    #: Connections made in the round whose two people both gave a company at registration.
    pairs_with_companies: int
    #: Of those, the pairs from two different companies.
    cross_company_pairs: int
    #: cross_company_pairs / pairs_with_companies; None when no pair has both companies.
    cross_company_share: float | None
    squares_signed: int
    #: Cards with at least one signed square, and with at least one line.
    players: int
    bingos: int
