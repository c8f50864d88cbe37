"""What a round shows: a person's card, the live leaderboard, and the round's summary for its organizers.

Names go through the people visibility policy (netevents/people/relations.py, `cards_for`), as on every
people surface: the viewer sees a person's name as that person shares it with them, and nobody hidden from
them by a block.
"""

from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.bingo.answers import CardView, Leaderboard, LeaderboardEntry, LineView, RoundSummary, Signer, SquareView
from netevents.bingo.cards import Score, deal, score
from netevents.bingo.models import BingoRound, BingoSquare
from netevents.bingo.services import bingo_event, is_confirmed, round_of, round_to_show, round_view
from netevents.db import utcnow
from netevents.errors import DomainError, Forbidden
from netevents.extensions import db
from netevents.pagination import page_of_list
from netevents.people.models import Connection, Exchange
from netevents.people.network import ANONYMOUS, company_key, shown_company
from netevents.people.relations import cards_for, in_a_block
from netevents.registrations.models import Registration, RegistrationStatus

#: Who signed a square, once they deleted their account: the square stays the card owner's, nothing of theirs is
#: left but this.
FORMER_ATTENDEE = Signer(None, "A former attendee")


def card(event_id: int, viewer: User, *, round_id: int | None = None, user_id: int | None = None) -> CardView:
    """A person's card in a round (the one running, or else the last): one's own, or anyone's for organizers."""
    event, organizer = bingo_event(event_id, viewer)
    owner_id = user_id if user_id is not None else viewer.id
    if owner_id != viewer.id and not organizer:
        raise Forbidden("You can see your own bingo card only.")
    bingo_round = round_to_show(event.id, round_id)
    # A block hides two people from each other everywhere: an organizer in one opens that card no more than a
    # leaderboard names its player, and hears what they hear of someone not registered.
    if not is_confirmed(event.id, owner_id) or (owner_id != viewer.id and in_a_block(viewer.id, owner_id)):
        raise DomainError(
            "no_card",
            "This person is not registered for this event, so they have no card."
            if owner_id != viewer.id
            else "You are not registered for this event, so you have no card"
            + (" (organizers: add user_id to see an attendee's card)." if organizer else "."),
            status=404,
        )
    return _card_view(bingo_round, owner_id, viewer.id)


def cards_played(user_id: int) -> list[CardView]:
    """Every card of this person with a signed square, in the order the rounds were played, as they see it: the
    bingo part of what is stored about them (their data export)."""
    rounds = db.session.scalars(
        select(BingoRound)
        .where(BingoRound.id.in_(select(BingoSquare.round_id).where(BingoSquare.owner_id == user_id)))
        .order_by(BingoRound.started_at, BingoRound.id)
    )
    return [_card_view(bingo_round, user_id, user_id) for bingo_round in rounds]


def _card_view(bingo_round: BingoRound, owner_id: int, viewer_id: int) -> CardView:
    """A card of a round: dealt from the round's seed, its signed squares, lines and bingo; signers as the viewer
    sees them."""
    dealt = deal(bingo_round.actions, bingo_round.size, bingo_round.seed, owner_id)
    squares = {
        square.position: square
        for square in db.session.scalars(
            select(BingoSquare).where(BingoSquare.round_id == bingo_round.id, BingoSquare.owner_id == owner_id)
        )
    }
    signer_ids = {square.signer_id for square in squares.values() if square.signer_id is not None}
    signers = list(db.session.scalars(select(User).where(User.id.in_(signer_ids))))
    visible = cards_for(viewer_id, signers, event_id=bingo_round.event_id)
    result = score(bingo_round.size, {position: square.signed_at for position, square in squares.items()})
    size = bingo_round.size
    now = utcnow()

    def square_view(position: int, action: str) -> SquareView:
        square = squares.get(position)
        person = visible.get(square.signer_id) if square and square.signer_id is not None else None
        signed_by = Signer(person.user_id, person.name) if person else None
        if square is not None and square.signer_id is None:
            signed_by = FORMER_ATTENDEE
        return SquareView(
            position=position,
            row=position // size,
            column=position % size,
            action=action,
            signed=square is not None,
            signed_by=signed_by,
            signed_at=square.signed_at if square else None,
        )

    return CardView(
        round=round_view(bingo_round, now),
        user_id=owner_id,
        size=size,
        squares=tuple(square_view(position, action) for position, action in enumerate(dealt)),
        squares_signed=result.squares,
        lines=tuple(
            LineView(done.line.kind, done.line.index, done.completed_at)
            for done in sorted(result.lines, key=lambda done: done.completed_at)
        ),
        bingo=result.bingo_at is not None,
        bingo_at=result.bingo_at,
        generated_at=now,
    )


def leaderboard(event_id: int, viewer: User, *, page: int, per_page: int, round_id: int | None = None) -> Leaderboard:
    """The players with a signed square, best first: most lines, then most squares, then the earlier bingo, then
    whoever reached their score first.

    An attendee's leaderboard ranks the people they may see among themselves: someone hidden from them by a block
    leaves no gap that would give them away. The organizers' is the room's (the projector shows it), so it ranks
    every player; one in a block with the organizer plays on as "Attendee", with no number to find them by."""
    event, organizer = bingo_event(event_id, viewer)
    bingo_round = round_to_show(event.id, round_id)
    scores = _scores(bingo_round)
    players = list(db.session.scalars(select(User).where(User.id.in_(scores))))
    players_by_id = {person.id: person for person in players}
    visible = {
        user_id for user_id, person in cards_for(viewer.id, players, event_id=event.id).items() if person is not None
    }
    never = datetime.max.replace(tzinfo=bingo_round.started_at.tzinfo)
    ranked = sorted(
        ((owner_id, result) for owner_id, result in scores.items() if organizer or owner_id in visible),
        key=lambda item: (
            -len(item[1].lines),
            -item[1].squares,
            item[1].bingo_at or never,
            item[1].last_signed_at or never,
            item[0],
        ),
    )
    entries = []
    for rank, (owner_id, result) in enumerate(ranked, start=1):
        named = _named(players_by_id[owner_id], viewer, seen=owner_id in visible)
        entries.append(
            LeaderboardEntry(
                rank=rank,
                # A number goes with a name, or to an organizer, who can open any attendee's card by it: an
                # "Attendee" row does not carry one that a search or a block could put a name to.
                user_id=owner_id if named or (organizer and owner_id in visible) else None,
                name=players_by_id[owner_id].name if named else ANONYMOUS,
                you=owner_id == viewer.id,
                squares_signed=result.squares,
                lines=len(result.lines),
                bingo_at=result.bingo_at,
            )
        )
    shown = page_of_list(entries, page, per_page)
    now = utcnow()
    return Leaderboard(
        round=round_view(bingo_round, now), **{**shown, "items": tuple(shown["items"])}, generated_at=now
    )


def _named(player: User, viewer: User, *, seen: bool) -> bool:
    """Whether the leaderboard names a player: the viewer themselves, or someone listed in the event's directory and
    not hidden from the viewer by a block (`seen`). Anyone else is "Attendee", as on the organizer's network: the
    leaderboard is on a projector, in front of everyone in the room."""
    return player.id == viewer.id or (seen and player.directory_opt_in)


def summary(event_id: int, round_id: int, viewer: User) -> RoundSummary:
    """What the round did for the room: new connections, who met someone new, how many pairs crossed companies.

    Organizers see it at any time (the projector shows it live); the people confirmed for the event once the round
    is over, as its ending. It counts people and pairs, never names anyone.

    A connection is made in the round when its first meeting ever (by scan time) is an exchange at this event
    during the round. Attendees are the people confirmed for the event; companies are those they show everyone at
    the event (people/network.py's `shown_company`: a pair counts only when both show one, compared without case or
    extra spaces), so the share never hints at a company someone hides.
    """
    event, organizer = bingo_event(event_id, viewer)
    bingo_round = round_of(event.id, round_id)
    now = utcnow()
    if not organizer and bingo_round.ends_at > now:
        raise DomainError(
            "round_not_over",
            f"The round's numbers come when it ends, at {bingo_round.ends_at.astimezone(event.zone):%H:%M}.",
            status=403,
            ends_at=bingo_round.ends_at.isoformat(),
        )
    during = (
        Exchange.event_id == event.id,
        Exchange.scanned_at >= bingo_round.started_at,
        Exchange.scanned_at < bingo_round.ends_at,
    )
    exchanges = db.session.scalar(select(func.count()).select_from(Exchange).where(*during)) or 0
    met_in_round = select(Exchange.connection_id).where(*during).distinct().scalar_subquery()
    first_met = (
        select(Exchange.connection_id, func.min(Exchange.scanned_at).label("first_at"))
        .where(Exchange.connection_id.in_(met_in_round))
        .group_by(Exchange.connection_id)
        .subquery()
    )
    pairs = db.session.execute(
        select(Connection.low_id, Connection.high_id)
        .join(first_met, first_met.c.connection_id == Connection.id)
        .where(first_met.c.first_at >= bingo_round.started_at)
    ).all()
    attendees = db.session.scalars(
        select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(Registration.event_id == event.id, Registration.status == RegistrationStatus.confirmed)
    ).all()
    # The company each shows the event (as on the network's dots): a hidden one is no company here, never a hint.
    companies = {person.id: company_key(shown) for person in attendees if (shown := shown_company(person))}
    met_someone = {person for pair in pairs for person in pair} & {person.id for person in attendees}
    known = [(companies[low], companies[high]) for low, high in pairs if low in companies and high in companies]
    cross = sum(1 for one, other in known if one != other)
    scores = _scores(bingo_round)
    return RoundSummary(
        round=round_view(bingo_round, now),
        exchanges=exchanges,
        connections_made=len(pairs),
        attendees=len(attendees),
        attendees_met_someone_new=len(met_someone),
        met_someone_new_share=_share(len(met_someone), len(attendees)),
        pairs_with_companies=len(known),
        cross_company_pairs=cross,
        cross_company_share=_share(cross, len(known)),
        squares_signed=sum(result.squares for result in scores.values()),
        players=len(scores),
        bingos=sum(1 for result in scores.values() if result.bingo_at is not None),
    )


def _scores(bingo_round: BingoRound) -> dict[int, Score]:
    """Each card with a signed square in the round, scored, by its owner."""
    signed: dict[int, dict[int, datetime]] = defaultdict(dict)
    for owner_id, position, signed_at in db.session.execute(
        select(BingoSquare.owner_id, BingoSquare.position, BingoSquare.signed_at).where(
            BingoSquare.round_id == bingo_round.id
        )
    ):
        signed[owner_id][position] = signed_at
    return {owner_id: score(bingo_round.size, squares) for owner_id, squares in signed.items()}


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
