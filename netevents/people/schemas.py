import marshmallow as ma
from marshmallow import validate

from netevents.accounts.schemas import LinkSchema
from netevents.events.schemas import PLAUSIBLE_TIME
from netevents.people.actions import ACTION_LABEL_LENGTH, CUSTOM_ACTION_PATTERN, MAX_CUSTOM_ACTIONS
from netevents.people.answers import ExchangeAnswer, ExchangeReason, ExchangeResult
from netevents.people.directory import COUNTED_UP_TO
from netevents.people.models import CONNECTION_NOTE_LENGTH
from netevents.people.suggestions import DEFAULT_LIMIT
from netevents.schemas import (
    AwareDateTime,
    Boolean,
    Id,
    Note,
    PageArgsSchema,
    StrictSchema,
    TagList,
    Text,
    TrimmedString,
    page_schema,
)

#: My own tags on a connection: how many, and how long each.
MAX_OWN_TAGS = 20
OWN_TAG_LENGTH = 40
#: Longest note a client may send with one exchange, and for a whole connection.
EXCHANGE_NOTE_LENGTH = 1000


#: Exchanges in one offline batch: a phone's queue sends in pieces this size (each answer carries its connection).
MAX_EXCHANGE_BATCH = 200


def ActionList(max_items: int, **kwargs) -> ma.fields.List:
    """Action slugs (standard or the event's own); which ones an event allows is checked by the service."""
    return ma.fields.List(
        TrimmedString(
            trim=False,
            validate=validate.Regexp(
                CUSTOM_ACTION_PATTERN, error="Use an action's name, like introduced or asked_advice."
            ),
        ),
        validate=validate.Length(max=max_items, error=f"At most {max_items} actions."),
        **kwargs,
    )


def ActionLabels(**kwargs) -> ma.fields.Dict:
    """An event's own actions in its organizer's words, by slug: {"talked_ai": "Talked AI"}. Each is one line of
    text (no control or bidirectional characters); which slugs may have words is checked by the service."""
    return ma.fields.Dict(
        keys=TrimmedString(
            trim=False,
            validate=validate.Regexp(CUSTOM_ACTION_PATTERN, error="Use the action's slug, like talked_ai."),
        ),
        values=TrimmedString(
            data_key="label",  # how a refused character names it: "The label contains…"
            validate=validate.Length(
                min=1,
                max=ACTION_LABEL_LENGTH,
                error=f"Give the action 1 to {ACTION_LABEL_LENGTH} characters of words, like Talked AI.",
            ),
            error_messages={"null": "Send the action's words, like Talked AI."},
        ),
        validate=validate.Length(max=MAX_CUSTOM_ACTIONS, error=f"Words for at most {MAX_CUSTOM_ACTIONS} actions."),
        **kwargs,
    )


class ExchangeInputSchema(StrictSchema):
    qr = ma.fields.String(
        validate=validate.Length(min=1, max=8192),
        metadata={
            "description": "The other badge's raw QR text (its URL) or bare secret, as the scanner read it. "
            "Send this or badge_code"
        },
    )
    badge_code = Text(
        20,
        min_length=1,
        metadata={
            "description": "The 8-character code printed under the other badge's QR code, typed when the camera "
            "cannot read it (spaces, dashes and case do not matter; O, I and L read as 0 and 1). Send this or qr"
        },
    )
    nonce = Text(
        64,
        required=True,
        min_length=1,
        metadata={
            "description": "Unique per exchange on your phone; repeats return the first answer. Sent again for "
            "another badge, it is refused: 409 nonce_reused (in a batch, that exchange's reason)"
        },
    )
    scanned_at = AwareDateTime(
        validate=PLAUSIBLE_TIME, metadata={"description": "Your phone's clock at the scan; defaults to now"}
    )
    actions = ActionList(
        10,
        metadata={
            "description": "What happened: introduced, asked_advice, offered_help, "
            "mentoring, shared_knowledge, or one of the event's own"
        },
    )
    note = Note(
        EXCHANGE_NOTE_LENGTH,
        metadata={"description": "Private to you; added to your note of the connection"},
    )

    @ma.validates_schema
    def _one_badge(self, data, **kwargs):
        if ("qr" in data) == ("badge_code" in data):
            raise ma.ValidationError(
                "Send the badge's QR text (qr) or the code printed under it (badge_code), one of them.", "qr"
            )


class ExchangeAdditionSchema(StrictSchema):
    """What I add to a meeting I recorded, after the scan: the sheet's tags and note."""

    actions = ActionList(
        10,
        metadata={
            "description": "What happened, added to the meeting's actions (a bingo round in progress counts them "
            "as if scanned with them): introduced, asked_advice, offered_help, mentoring, shared_knowledge, "
            "or one of the event's own"
        },
    )
    note = Note(
        EXCHANGE_NOTE_LENGTH,
        metadata={"description": "Private to you; added to your note of the connection"},
    )


class ExchangeBatchInputSchema(StrictSchema):
    exchanges = ma.fields.List(
        ma.fields.Nested(ExchangeInputSchema),
        required=True,
        validate=validate.Length(
            min=1, max=MAX_EXCHANGE_BATCH, error=f"Send 1 to {MAX_EXCHANGE_BATCH} exchanges per batch."
        ),
    )


class PersonCardSchema(ma.Schema):
    """A person as you may see them: null means not shared with you."""

    user_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    headline = ma.fields.String(required=True, allow_none=True)
    company = ma.fields.String(required=True, allow_none=True)
    email = ma.fields.String(required=True, allow_none=True)
    phone = ma.fields.String(required=True, allow_none=True)
    links = ma.fields.List(ma.fields.Nested(LinkSchema), required=True, allow_none=True)
    topics = ma.fields.List(ma.fields.String(), required=True, allow_none=True)
    mentoring_offered = ma.fields.List(ma.fields.String(), required=True, allow_none=True)
    mentoring_sought = ma.fields.List(ma.fields.String(), required=True, allow_none=True)


class MeetingSchema(ma.Schema):
    id = ma.fields.Integer(required=True, metadata={"description": "The exchange"})
    event_id = ma.fields.Integer(required=True, allow_none=True)
    event_title = ma.fields.String(required=True, allow_none=True)
    scanned_at = AwareDateTime(required=True)
    by_me = Boolean(required=True, metadata={"description": "true: you scanned them; false: they scanned you"})
    actions = ma.fields.List(
        ma.fields.String(),
        required=True,
        allow_none=True,
        metadata={"description": "Your actions for your own scans; null for theirs"},
    )
    event_timezone = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "The event's time zone (IANA), in which to show `scanned_at`; null when it is gone"},
    )


class ConnectionSchema(ma.Schema):
    """A connection as you see it: the other person as they share with you now, and your own notes."""

    id = ma.fields.Integer(required=True)
    other = ma.fields.Nested(PersonCardSchema, required=True)
    connected = Boolean(
        required=True,
        metadata={
            "description": "false when one of you removed the connection: connections-only details are not shared"
        },
    )
    i_scanned = Boolean(required=True)
    scanned_me = Boolean(required=True)
    first_met_at = AwareDateTime(required=True)
    last_met_at = AwareDateTime(required=True)
    meetings = ma.fields.List(ma.fields.Nested(MeetingSchema), required=True)
    tags = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "Yours; only you see them"})
    note = ma.fields.String(required=True, metadata={"description": "Yours; only you see it"})
    followed_up = Boolean(required=True)


ConnectionPageSchema = page_schema(ConnectionSchema, "ConnectionPage")


class ConnectionFilterArgsSchema(StrictSchema):
    """Which of my connections: the list and its downloads take the same filters."""

    event_id = Id(query=True, metadata={"description": "Only people you met at this event"})
    q = Text(100, metadata={"description": "Search what you can see of their name, company and headline"})
    followed_up = Boolean(
        query=True, metadata={"description": "true: only those you marked followed up; false: only those not yet"}
    )


class ConnectionListArgsSchema(ConnectionFilterArgsSchema, PageArgsSchema):
    pass


class ConnectionEventSchema(ma.Schema):
    event_id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    starts_at = AwareDateTime(required=True)
    timezone = ma.fields.String(required=True)
    connections = ma.fields.Integer(required=True, metadata={"description": "People in your list you met there"})
    followed_up = ma.fields.Integer(required=True, metadata={"description": "Of those, the ones you followed up"})
    last_met_at = AwareDateTime(required=True, metadata={"description": "Your latest meeting there"})


class ConnectionEventListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(ConnectionEventSchema), required=True)


class ConnectionUpdateSchema(StrictSchema):
    note = Note(CONNECTION_NOTE_LENGTH)
    tags = TagList(
        max_items=MAX_OWN_TAGS,
        max_length=OWN_TAG_LENGTH,
        metadata={
            "description": f"Replaces your tags: your own words (up to {MAX_OWN_TAGS}, each one line of 1 to "
            f"{OWN_TAG_LENGTH} characters) or the actions of the events where you met; only you see them. The actions "
            "a bingo square counts are an exchange's, not these"
        },
    )
    followed_up = Boolean()


class ExchangeAnswerSchema(ma.Schema):
    """The answer to an exchange. Loading gives an `ExchangeAnswer` back: the ledger keeps answers in this form."""

    result = ma.fields.Enum(ExchangeResult, required=True)
    reason = ma.fields.Enum(
        ExchangeReason,
        required=True,
        allow_none=True,
        metadata={"description": "Why it was rejected; null when recorded"},
    )
    message = ma.fields.String(required=True, metadata={"description": "What to tell the person scanning"})
    nonce = ma.fields.String(required=True)
    scanned_at = AwareDateTime(required=True)
    id = ma.fields.Integer(required=True, allow_none=True, metadata={"description": "The exchange, when recorded"})
    event_id = ma.fields.Integer(required=True, allow_none=True)
    connection_id = ma.fields.Integer(required=True, allow_none=True)
    new = Boolean(required=True, metadata={"description": "This exchange made the connection"})
    connection = ma.fields.Nested(ConnectionSchema, required=True, allow_none=True)

    @ma.post_load
    def answer(self, data, **_kwargs) -> ExchangeAnswer:
        return ExchangeAnswer(**data)


class ExchangeBatchAnswerSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(ExchangeAnswerSchema))


class BlockInputSchema(StrictSchema):
    user_id = Id(required=True)


class BlockSchema(ma.Schema):
    user_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, allow_none=True, metadata={"description": "As you knew them"})
    blocked_at = AwareDateTime(required=True)


BlockPageSchema = page_schema(BlockSchema, "BlockPage")


class EventActionsSchema(ma.Schema):
    event_id = ma.fields.Integer(required=True)
    standard = ma.fields.List(ma.fields.String(), required=True)
    custom = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "The event's own"})
    labels = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.String(),
        required=True,
        metadata={
            "description": "The event's own actions in its organizers' words, by slug. An action without words "
            "(made before words were kept) is shown as its slug spelled out: pair_programmed, Pair programmed. "
            "Removed actions keep their words here: past exchanges still carry them"
        },
    )
    retired = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={
            "description": "The event's own actions its organizers removed (those that had words): exchanges tagged "
            "before keep them (read in `labels`' words); new exchanges and bingo cards can no longer use them"
        },
    )


class EventActionsUpdateSchema(StrictSchema):
    custom = ma.fields.List(
        TrimmedString(
            trim=False,
            validate=validate.Regexp(CUSTOM_ACTION_PATTERN, error="Use a-z, 0-9 and _, like pair_programmed."),
        ),
        required=True,
        validate=validate.Length(max=MAX_CUSTOM_ACTIONS, error=f"At most {MAX_CUSTOM_ACTIONS} actions."),
        metadata={
            "description": "The event's own actions, beside the standard ones (replaces the list). An action the "
            "cards of a running bingo round use cannot leave the list until the round ends (409 `action_in_round`); "
            "no two actions may read alike, standard ones included as tags and as bingo squares (422 `same_words`)"
        },
    )
    labels = ActionLabels(
        metadata={
            "description": f"Words for some of `custom`, by slug, as people should read them (1 to "
            f"{ACTION_LABEL_LENGTH} characters, one line). Actions left out keep the words they had."
        }
    )


class DirectoryArgsSchema(PageArgsSchema):
    q = Text(
        100,
        metadata={
            "description": "Words to find in what you can see of people's name, headline, company and topics; "
            'each word must match, as the start of a word ("kub" finds Kubernetes)'
        },
    )
    topic = Text(40, metadata={"description": "Only people who care about this topic (one of their topics, any case)"})
    mentors_in = Text(40, metadata={"description": "Only people who can mentor in this topic"})
    seeks_mentor_in = Text(40, metadata={"description": "Only people looking for a mentor in this topic"})


class DirectoryEntrySchema(ma.Schema):
    person = ma.fields.Nested(PersonCardSchema, required=True)
    connected = Boolean(required=True, metadata={"description": "You are connected (you met)"})


class DirectoryPageSchema(page_schema(DirectoryEntrySchema, "DirectoryPage")):  # type: ignore[misc]
    total_capped = ma.fields.Boolean(
        required=True,
        metadata={
            "description": f"At least {COUNTED_UP_TO:,} people match: `total` and `pages` are floors (people are "
            "counted up to that many); narrow the search to count them"
        },
    )


class SuggestionArgsSchema(StrictSchema):
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT,
        validate=validate.Range(min=1, max=50),
        metadata={"description": "How many people at most"},
    )


class SuggestionSchema(ma.Schema):
    person = ma.fields.Nested(PersonCardSchema, required=True)
    reason = ma.fields.String(
        required=True,
        metadata={
            "description": 'Why, in words: "You both care about Kubernetes; Ada mentors in tech leadership, '
            'which you are looking for"'
        },
    )
    shared_topics = ma.fields.List(ma.fields.String(), required=True, metadata={"description": "Yours, theirs too"})
    can_mentor_you_in = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "You look for a mentor in these; they mentor in them"},
    )
    looking_for_your_mentoring_in = ma.fields.List(
        ma.fields.String(),
        required=True,
        metadata={"description": "You mentor in these; they look for a mentor in them"},
    )


class SuggestionListSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(SuggestionSchema), required=True)
