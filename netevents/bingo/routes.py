from netevents.accounts.auth import require_user
from netevents.bingo import results, services
from netevents.bingo.schemas import (
    BingoSchema,
    BingoSetupInputSchema,
    CardArgsSchema,
    CardSchema,
    LeaderboardArgsSchema,
    LeaderboardSchema,
    RoundInputSchema,
    RoundSchema,
    RoundSummarySchema,
)
from netevents.extensions import db
from netevents.openapi import Blueprint, Token, access, problems

blp = Blueprint(
    "bingo",
    __name__,
    url_prefix="/api/v1/events/<int:event_id>/bingo",
    description="Networking bingo: a card of exchange actions, timed rounds, a live leaderboard",
)


@blp.route("", methods=["GET"])
@access(Token.attendee)
@problems(403)
@blp.response(200, BingoSchema)
def get_bingo(event_id):
    """The event's bingo: the card's setup, the round running now and every round (organizers and attendees)"""
    return services.bingo_overview(event_id, require_user())


@blp.route("", methods=["PUT"])
@access(Token.organizer)
@blp.arguments(BingoSetupInputSchema)
@blp.response(200, BingoSchema)
def configure_bingo(data, event_id):
    """Set up the card for the next rounds: its actions, its size (3 to 5) and how long a round runs (organizers)"""
    bingo = services.configure(event_id, require_user(), data)
    db.session.commit()
    return bingo


@blp.route("/rounds", methods=["POST"])
@access(Token.organizer)
@blp.doc(
    description="From the opening of the event's check-in, when exchanges (which sign the squares) start to count: "
    "before then 409 outside_window, saying when check-in opens."
)
@blp.arguments(RoundInputSchema, required=False)
@blp.response(201, RoundSchema)
def start_bingo_round(data, event_id):
    """Start a timed round: everyone registered gets their own card (organizers; one round at a time)"""
    bingo_round = services.start_round(event_id, require_user(), data or {})
    db.session.commit()
    return bingo_round


@blp.route("/rounds/<int:round_id>/end", methods=["POST"])
@access(Token.organizer)
@blp.response(200, RoundSchema)
def end_bingo_round(event_id, round_id):
    """End a running round now (organizers)"""
    bingo_round = services.end_round(event_id, round_id, require_user())
    db.session.commit()
    return bingo_round


@blp.route("/card", methods=["GET"])
@access(Token.attendee)
@problems(403)
@blp.arguments(CardArgsSchema, location="query")
@blp.response(200, CardSchema)
def bingo_card(args, event_id):
    """Your card in the round running now (or the last one): squares, who signed them, lines and bingo"""
    return results.card(event_id, require_user(), **args)


@blp.route("/leaderboard", methods=["GET"])
@access(Token.attendee)
@problems(403)
@blp.arguments(LeaderboardArgsSchema, location="query")
@blp.response(200, LeaderboardSchema)
def bingo_leaderboard(args, event_id):
    """The round's live leaderboard, a page at a time: lines, squares and the first bingo of everyone you may see"""
    return results.leaderboard(event_id, require_user(), **args)


@blp.route("/rounds/<int:round_id>/summary", methods=["GET"])
@access(Token.attendee)
@problems(403)
@blp.response(200, RoundSummarySchema)
def bingo_round_summary(event_id, round_id):
    """What the round did: connections made, who met someone new, cross-company pairs (organizers; attendees once over)"""
    return results.summary(event_id, round_id, require_user())
