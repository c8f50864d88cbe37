import marshmallow as ma
from marshmallow import validate

from netevents.bingo.cards import LineKind
from netevents.bingo.models import (
    DEFAULT_ROUND_MINUTES,
    DEFAULT_SIZE,
    MAX_ACTIONS,
    MAX_ROUND_MINUTES,
    MAX_SIZE,
    MIN_SIZE,
)
from netevents.people.actions import CUSTOM_ACTION_PATTERN
from netevents.people.schemas import ActionLabels
from netevents.schemas import (
    AwareDateTime,
    Boolean,
    Id,
    Integer,
    PageArgsSchema,
    PageMetaSchema,
    StrictSchema,
    TrimmedString,
)

_MINUTES_ERROR = f"A round lasts 1 to {MAX_ROUND_MINUTES} minutes."


class BingoSetupInputSchema(StrictSchema):
    actions = ma.fields.List(
        TrimmedString(
            trim=False,
            validate=validate.Regexp(
                CUSTOM_ACTION_PATTERN, error="Use an action's name, like introduced, or a-z, 0-9 and _ for your own."
            ),
        ),
        validate=validate.Length(
            min=1, max=MAX_ACTIONS, error=f"Give 1 to {MAX_ACTIONS} actions, at least one per square."
        ),
        metadata={
            "description": "What the squares ask for: the event's exchange actions, or your own (they become the "
            "event's own exchange actions). At least size x size; with more, each card draws its own. "
            "Defaults to every action of the event."
        },
    )
    labels = ActionLabels(
        metadata={
            "description": "Your own actions in your words, by slug, as the squares and tags show them "
            '({"swap_cards": "Swap business cards"}): for those `actions` adds, or the event\'s own already. '
            "Actions left out keep the words they had."
        }
    )
    size = Integer(
        MIN_SIZE,
        MAX_SIZE,
        load_default=DEFAULT_SIZE,
        error=f"A card is {MIN_SIZE}x{MIN_SIZE} to {MAX_SIZE}x{MAX_SIZE}.",
        metadata={"description": f"Squares per row and column, {MIN_SIZE} to {MAX_SIZE}"},
    )
    round_minutes = Integer(
        1,
        MAX_ROUND_MINUTES,
        load_default=DEFAULT_ROUND_MINUTES,
        error=_MINUTES_ERROR,
        metadata={"description": "How long a round runs"},
    )


class RoundInputSchema(StrictSchema):
    minutes = Integer(
        1,
        MAX_ROUND_MINUTES,
        error=_MINUTES_ERROR,
        metadata={
            "description": "How long this round runs; defaults to the setup's round_minutes. A round that would run "
            "past the event's end is refused (422 `round_past_event_end`, naming `minutes`; 409 `event_over` once the "
            "event has ended)"
        },
    )


class RoundSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    event_id = ma.fields.Integer(required=True)
    size = ma.fields.Integer(required=True)
    actions = ma.fields.List(
        ma.fields.String(), required=True, metadata={"description": "The pool cards are drawn from"}
    )
    started_at = AwareDateTime(required=True)
    ends_at = AwareDateTime(required=True, metadata={"description": "When it ends, or ended"})
    ended_early = Boolean(required=True, metadata={"description": "An organizer ended it before its time"})
    running = Boolean(required=True)


class BingoSchema(ma.Schema):
    """An event's bingo: the setup of its next round, the round running now, and every round so far."""

    event_id = ma.fields.Integer(required=True)
    actions = ma.fields.List(ma.fields.String(), required=True)
    size = ma.fields.Integer(required=True)
    round_minutes = ma.fields.Integer(required=True)
    configured = Boolean(required=True, metadata={"description": "false: nobody set it up, the defaults"})
    actions_missing = ma.fields.Integer(
        required=True, metadata={"description": "How many more actions a round needs before it can start (0: ready)"}
    )
    current_round = ma.fields.Nested(RoundSchema, required=True, allow_none=True)
    rounds = ma.fields.List(ma.fields.Nested(RoundSchema), required=True, metadata={"description": "Oldest first"})
    generated_at = AwareDateTime(
        required=True,
        metadata={
            "description": "The server's clock when it answered: count the round down against it, not the device's"
        },
    )


class RoundArgsSchema(StrictSchema):
    round_id = Id(
        query=True,
        metadata={"description": "Which round; defaults to the one running, or else the last one"},
    )


class CardArgsSchema(RoundArgsSchema):
    user_id = Id(
        query=True,
        metadata={"description": "Whose card (organizers); defaults to yours"},
    )


class SignerSchema(ma.Schema):
    user_id = ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "null: a former attendee, who has deleted their account (the square stays signed)"},
    )
    name = ma.fields.String(required=True)


class SquareSchema(ma.Schema):
    position = ma.fields.Integer(required=True, metadata={"description": "Row by row from the top left, from 0"})
    row = ma.fields.Integer(required=True)
    column = ma.fields.Integer(required=True)
    action = ma.fields.String(required=True)
    signed = Boolean(required=True)
    signed_by = ma.fields.Nested(
        SignerSchema,
        required=True,
        allow_none=True,
        metadata={"description": "Who signed it, as they share it with you; null if unsigned or hidden from you"},
    )
    signed_at = AwareDateTime(required=True, allow_none=True, metadata={"description": "The exchange's scan time"})


class LineSchema(ma.Schema):
    kind = ma.fields.Enum(LineKind, required=True)
    index = ma.fields.Integer(
        required=True,
        metadata={"description": "From 0, top or left; diagonal 0 from the top left, 1 from the top right"},
    )
    completed_at = AwareDateTime(required=True)


class CardSchema(ma.Schema):
    round = ma.fields.Nested(RoundSchema, required=True)
    user_id = ma.fields.Integer(required=True)
    size = ma.fields.Integer(required=True)
    squares = ma.fields.List(ma.fields.Nested(SquareSchema), required=True)
    squares_signed = ma.fields.Integer(required=True)
    lines = ma.fields.List(
        ma.fields.Nested(LineSchema), required=True, metadata={"description": "Completed lines, first completed first"}
    )
    bingo = Boolean(required=True)
    bingo_at = AwareDateTime(
        required=True, allow_none=True, metadata={"description": "When the first line was completed"}
    )
    generated_at = AwareDateTime(
        required=True,
        metadata={
            "description": "The server's clock when it answered: count the round down against it, not the device's"
        },
    )


class LeaderboardEntrySchema(ma.Schema):
    rank = ma.fields.Integer(required=True)
    user_id = ma.fields.Integer(
        required=True,
        allow_none=True,
        metadata={
            "description": 'None for a player shown as "Attendee" (not in the event\'s directory) to an attendee, '
            "and for a player in a block with the organizer on the organizers' leaderboard"
        },
    )
    name = ma.fields.String(required=True, metadata={"description": "As they share it with you"})
    you = Boolean(required=True)
    squares_signed = ma.fields.Integer(required=True)
    lines = ma.fields.Integer(required=True)
    bingo_at = AwareDateTime(required=True, allow_none=True)


class LeaderboardArgsSchema(PageArgsSchema, RoundArgsSchema):
    pass


class LeaderboardSchema(PageMetaSchema):
    """A page of the leaderboard: the people you may see, ranked among themselves."""

    round = ma.fields.Nested(RoundSchema, required=True)
    items = ma.fields.List(
        ma.fields.Nested(LeaderboardEntrySchema),
        required=True,
        metadata={"description": "Best first: most lines, most squares, earliest bingo, first to get there"},
    )
    generated_at = AwareDateTime(
        required=True,
        metadata={
            "description": "The server's clock when it answered: count the round down against it, not the device's"
        },
    )


class RoundSummarySchema(ma.Schema):
    round = ma.fields.Nested(RoundSchema, required=True)
    exchanges = ma.fields.Integer(required=True, metadata={"description": "Exchanges scanned during the round"})
    connections_made = ma.fields.Integer(
        required=True, metadata={"description": "Pairs of people who met for the first time during the round"}
    )
    attendees = ma.fields.Integer(required=True, metadata={"description": "People confirmed for the event"})
    attendees_met_someone_new = ma.fields.Integer(required=True)
    met_someone_new_share = ma.fields.Float(
        required=True, allow_none=True, metadata={"description": "0 to 1; null without attendees"}
    )
    pairs_with_companies = ma.fields.Integer(
        required=True,
        metadata={
            "description": "New connections whose two people both show a company to everyone at the event (a hidden company counts as none)"
        },
    )
    cross_company_pairs = ma.fields.Integer(required=True)
    cross_company_share = ma.fields.Float(
        required=True,
        allow_none=True,
        metadata={"description": "cross_company_pairs / pairs_with_companies, 0 to 1; null when there is none"},
    )
    squares_signed = ma.fields.Integer(required=True)
    players = ma.fields.Integer(required=True, metadata={"description": "Cards with at least one signed square"})
    bingos = ma.fields.Integer(required=True, metadata={"description": "Cards with at least one line"})
