import marshmallow as ma
from marshmallow import validate

from netevents.checkin.answers import AttendeeCard, FirstCheckin, ScanAnswer
from netevents.checkin.models import Direction, ScanReason, ScanResult, StationKind, StationStatus
from netevents.registrations.models import RegistrationStatus
from netevents.registrations.schemas import EventSummarySchema, RegistrationInputSchema, RegistrationSchema
from netevents.schemas import AwareDateTime, Boolean, Email, Id, Name, PageArgsSchema, StrictSchema, Text, page_schema


class StationInputSchema(StrictSchema):
    name = Name(80, required=True, metadata={"example": "Door A"})


class StationSchema(ma.Schema):
    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    name = ma.fields.String()
    status = ma.fields.Enum(StationStatus)
    # Shown once, when the station is created or its code renewed (only a hash is kept); null otherwise.
    pairing_code = ma.fields.String(
        allow_none=True, dump_default=None, metadata={"description": "Shown once, when created or renewed"}
    )
    pairing_url = ma.fields.Url(
        allow_none=True,
        dump_default=None,
        metadata={"description": "The door's pairing link (what the pairing QR holds)"},
    )
    pairing_qr_svg = ma.fields.String(
        allow_none=True, dump_default=None, metadata={"description": "The pairing QR as an SVG document"}
    )
    pairing_expires_at = AwareDateTime(allow_none=True)
    paired_at = AwareDateTime(allow_none=True)
    revoked_at = AwareDateTime(allow_none=True)
    last_scan_at = AwareDateTime(allow_none=True, dump_default=None)
    accepted_count = ma.fields.Integer(dump_default=0)
    rejected_count = ma.fields.Integer(dump_default=0)
    created_at = AwareDateTime()


StationPageSchema = page_schema(StationSchema, "StationPage")


class PairSchema(StrictSchema):
    code = Text(
        500,
        required=True,
        min_length=1,
        metadata={
            "example": "K7QF-M2XR-P9",
            "description": "The pairing code as typed (any case, dashes and spaces optional), or the pairing QR's "
            "text: the station's pairing_url (https://.../door#pair=K7QF-M2XR-P9)",
        },
    )


class StationIdentitySchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    status = ma.fields.Enum(StationStatus)
    event = ma.fields.Nested(EventSummarySchema)


class PairedSchema(ma.Schema):
    token = ma.fields.String(metadata={"description": "The station's bearer token; shown once"})
    station = ma.fields.Nested(StationIdentitySchema)


class ScanInputSchema(StrictSchema):
    qr = ma.fields.String(
        validate=validate.Length(min=1, max=8192),
        metadata={
            "description": "The raw QR text, as the scanner read it (any text but NUL): a badge URL or the bare "
            "secret. Any http(s) address whose path ends in /b/<secret> names that badge: badges printed before "
            "the site's address changed still work"
        },
    )
    registration_id = Id(metadata={"description": "Instead of qr: a person found by name"})
    nonce = Text(
        64,
        required=True,
        min_length=1,
        metadata={
            "description": "Unique per scan on this device; repeats return the first answer. Sent again for "
            "another badge or direction, it is refused: 409 nonce_reused (in a batch, that scan's reason)"
        },
    )
    scanned_at = AwareDateTime(
        metadata={
            "description": "The device's clock at the scan; defaults to now. More than 10 minutes ahead of the "
            "server's, it is not taken: the scan counts as made when it arrived and the answer says clock_skew"
        }
    )
    direction = ma.fields.Enum(Direction, load_default=Direction.entry)
    event_id = Id(metadata={"description": "Organizers only: the event (stations know theirs)"})

    @ma.validates_schema
    def one_way_to_name_the_badge(self, data, **_kwargs):
        if ("qr" in data) == ("registration_id" in data):
            raise ma.ValidationError("Send exactly one of qr or registration_id.", "qr")


class BatchInputSchema(StrictSchema):
    scans = ma.fields.List(
        ma.fields.Nested(ScanInputSchema),
        required=True,
        validate=validate.Length(min=1, max=5000, error="Send 1 to 5000 scans per batch."),
    )


class AttendeeCardSchema(ma.Schema):
    name = ma.fields.String(required=True)
    headline = ma.fields.String(required=True)
    company = ma.fields.String(required=True)

    @ma.post_load
    def card(self, data, **_kwargs) -> AttendeeCard:
        return AttendeeCard(**data)


class FirstCheckinSchema(ma.Schema):
    at = AwareDateTime(required=True, metadata={"description": "In the event's time zone"})
    station_name = ma.fields.String(required=True, allow_none=True)

    @ma.post_load
    def first_checkin(self, data, **_kwargs) -> FirstCheckin:
        return FirstCheckin(**data)


class ScanAnswerSchema(ma.Schema):
    """The answer to a scan. Loading gives a `ScanAnswer` back: the ledger keeps answers in this form."""

    id = ma.fields.Integer(
        required=True, allow_none=True, metadata={"description": "The scan's id in the log (for undo)"}
    )
    result = ma.fields.Enum(ScanResult, required=True)
    reason = ma.fields.Enum(
        ScanReason, required=True, allow_none=True, metadata={"description": "Why it was rejected; null when accepted"}
    )
    message = ma.fields.String(required=True, metadata={"description": "What to tell the person at the door"})
    direction = ma.fields.Enum(Direction, required=True)
    nonce = ma.fields.String(required=True)
    scanned_at = AwareDateTime(required=True)
    registration_id = ma.fields.Integer(required=True, allow_none=True)
    attendee = ma.fields.Nested(AttendeeCardSchema, required=True, allow_none=True)
    first_checkin = ma.fields.Nested(
        FirstCheckinSchema,
        required=True,
        allow_none=True,
        metadata={"description": "For already_checked_in: when and where they came in"},
    )
    undone = Boolean(required=True)
    clock_skew = Boolean(
        required=True,
        metadata={
            "description": "The device's clock was more than 10 minutes ahead of the server's: scanned_at is when "
            "the scan arrived, not the time the device sent (the message says so too)"
        },
    )

    @ma.pre_load
    def older_answers(self, data, **_kwargs):
        """Answers the ledger stored before a field existed load with its default."""
        return {"clock_skew": False, **data}

    @ma.post_load
    def answer(self, data, **_kwargs) -> ScanAnswer:
        return ScanAnswer(**data)


class BatchAnswerSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(ScanAnswerSchema))


class WalkInInputSchema(RegistrationInputSchema):
    """Someone at the door. Registered already (not cancelled): 409 already_registered with their
    `registration_id`, to check them in by it instead."""

    email = Email(required=True)
    name = Name(120, required=True)
    nonce = Text(
        48,
        min_length=1,
        metadata={
            "description": "Chosen by the door, unique per walk-in: sent again (no answer came back), the first "
            "answer is returned and nobody is registered twice; with another email, 409 nonce_reused"
        },
    )


class WalkInSchema(ma.Schema):
    registration = ma.fields.Nested(RegistrationSchema)
    checkin = ma.fields.Nested(ScanAnswerSchema)


class ScanLogEntrySchema(ma.Schema):
    id = ma.fields.Integer()
    station_id = ma.fields.Integer(allow_none=True)
    station_name = ma.fields.String(allow_none=True)
    by = ma.fields.String(
        metadata={
            "description": "station, user (an organizer), join (webinar link) or self (an attendee at a poster, "
            "named in station_name)"
        }
    )
    registration_id = ma.fields.Integer(allow_none=True)
    attendee_name = ma.fields.String(allow_none=True)
    direction = ma.fields.Enum(Direction)
    result = ma.fields.Enum(ScanResult)
    reason = ma.fields.Enum(ScanReason, allow_none=True)
    message = ma.fields.String(allow_none=True)
    scanned_at = AwareDateTime()
    received_at = AwareDateTime()
    undone_at = AwareDateTime(allow_none=True)
    clock_skew = Boolean(
        metadata={"description": "The device's clock was over 10 minutes ahead: scanned_at is when the scan arrived"}
    )


ScanLogPageSchema = page_schema(ScanLogEntrySchema, "ScanLogPage")


class ScanLogArgsSchema(PageArgsSchema):
    result = ma.fields.Enum(ScanResult)
    reason = ma.fields.Enum(ScanReason)
    station_id = Id(query=True)
    format = ma.fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={"description": "csv: the whole log as a CSV download (no paging)", "enum_name": "ListFormat"},
    )


class StationCountsSchema(ma.Schema):
    station_id = ma.fields.Integer(attribute="id")
    kind = ma.fields.Enum(StationKind, metadata={"description": "door: a paired phone; poster: a self check-in poster"})
    name = ma.fields.String()
    status = ma.fields.Enum(StationStatus)
    accepted = ma.fields.Integer(attribute="accepted_count", dump_default=0)
    rejected = ma.fields.Integer(attribute="rejected_count", dump_default=0)
    last_scan_at = AwareDateTime(allow_none=True, dump_default=None)


class ArrivalBucketSchema(ma.Schema):
    at = AwareDateTime()
    count = ma.fields.Integer()


class AttendanceSchema(ma.Schema):
    event_id = ma.fields.Integer()
    registered = ma.fields.Integer(metadata={"description": "Confirmed registrations"})
    waitlisted = ma.fields.Integer()
    cancelled = ma.fields.Integer()
    checked_in = ma.fields.Integer(
        metadata={
            "description": "Confirmed people checked in (at the door, by themselves, by an organizer or through the "
            "webinar join link), each counted once"
        }
    )
    came = ma.fields.Integer(
        metadata={
            "description": "Confirmed people who came: checked in, or met someone at the event (an exchange there, "
            "either of them scanning). The one definition of came/attended: the no-shows, the network's `attended` "
            "and the follow-ups (people-you-met to those who came) use it too"
        }
    )
    inside_now = ma.fields.Integer()
    met_without_check_in = ma.fields.Integer(
        metadata={
            "description": "Confirmed people who came without being checked in: they met someone at the event. "
            "`checked_in` + `met_without_check_in` + `no_shows` = `registered`"
        }
    )
    no_shows = ma.fields.Integer(
        metadata={"description": "Confirmed people who have not come (yet): `registered` minus `came`"}
    )
    walk_ins = ma.fields.Integer(metadata={"description": "Confirmed people registered at the door"})
    stations = ma.fields.List(ma.fields.Nested(StationCountsSchema))
    arrivals = ma.fields.List(
        ma.fields.Nested(ArrivalBucketSchema), metadata={"description": "First arrivals per 5 minutes"}
    )
    generated_at = AwareDateTime()


class BadgeListArgsSchema(StrictSchema):
    since = AwareDateTime(metadata={"description": "The cursor of the previous answer: only changes since"})


class AttendeeMatchSchema(ma.Schema):
    registration_id = ma.fields.Integer()
    name = ma.fields.String()
    headline = ma.fields.String()
    company = ma.fields.String()
    status = ma.fields.Enum(RegistrationStatus)
    checked_in_at = AwareDateTime(allow_none=True)
    checked_in_station = ma.fields.String(allow_none=True)
    inside = Boolean()


class BadgeEntrySchema(AttendeeMatchSchema):
    secret_hash = ma.fields.String(metadata={"description": "Hex SHA-256 of the badge secret"})


class BadgeListSchema(ma.Schema):
    event_id = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(BadgeEntrySchema))
    cursor = AwareDateTime(allow_none=True)
    complete = Boolean(metadata={"description": "True: the whole list; false: only changes since"})


class AttendeeSearchArgsSchema(StrictSchema):
    q = Text(100, required=True, min_length=2)


class AttendeeSearchSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(AttendeeMatchSchema))


class PosterInputSchema(StrictSchema):
    name = Name(
        80,
        required=True,
        metadata={"example": "Main entrance", "description": "Where it hangs; the scan log and the counts name it"},
    )


class PosterSchema(ma.Schema):
    """A self check-in poster, as its organizers list it (its secret is never shown again after it is issued)."""

    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    name = ma.fields.String()
    removed_at = AwareDateTime(
        attribute="revoked_at", allow_none=True, metadata={"description": "Removed: its QR code checks nobody in"}
    )
    last_scan_at = AwareDateTime(allow_none=True, dump_default=None)
    accepted_count = ma.fields.Integer(dump_default=0)
    rejected_count = ma.fields.Integer(dump_default=0)
    created_at = AwareDateTime()


PosterPageSchema = page_schema(PosterSchema, "PosterPage")


class PrintablePosterSchema(ma.Schema):
    """A poster just made or replaced, with what its print needs; answered once (only a hash of the secret is kept)."""

    poster = ma.fields.Nested(PosterSchema)
    secret = ma.fields.String(metadata={"description": "The poster's secret, in its URL; shown once"})
    url = ma.fields.Url(metadata={"description": "What the poster's QR code holds: {BASE_URL}/p/<secret>"})
    qr_svg = ma.fields.String(metadata={"description": "The poster's QR code as an SVG document"})


class SelfCheckInInputSchema(StrictSchema):
    qr = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=8192),
        metadata={
            "description": "The poster's QR text as scanned: its URL (any http(s) address whose path ends in "
            "/p/<secret>) or the bare secret"
        },
    )
    nonce = Text(
        64,
        required=True,
        min_length=1,
        metadata={
            "description": "Unique per check-in attempt on this phone; sent again, the first answer is returned. "
            "Sent again for another event's poster: 409 nonce_reused"
        },
    )
    scanned_at = AwareDateTime(
        metadata={"description": "The phone's clock at the scan; defaults to now (more than 10 minutes ahead: now)"}
    )


class SelfCheckInSchema(ma.Schema):
    checkin = ma.fields.Nested(
        ScanAnswerSchema,
        metadata={
            "description": "The answer, as a door station's scan gets it (accepted, or rejected with the reason); "
            "its attendee is the caller"
        },
    )
    event = ma.fields.Nested(
        EventSummarySchema, allow_none=True, metadata={"description": "The poster's event; null for unknown_poster"}
    )
    poster_name = ma.fields.String(allow_none=True)
