from datetime import UTC, datetime
from zoneinfo import ZoneInfo, available_timezones

import marshmallow as ma
from marshmallow import validate

from netevents.events.models import EventKind, EventStatus, OrganizerRole
from netevents.schemas import (
    AwareDateTime,
    Boolean,
    Email,
    Integer,
    Name,
    PageArgsSchema,
    StrictSchema,
    Text,
    Url,
    page_schema,
)

#: Sorted, so the document lists them in the same order on every start.
_ZONES = tuple(sorted(available_timezones()))


class EventTime(AwareDateTime):
    """Shown in the event's own time zone (still ISO 8601 with its offset)."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is not None:
            value = value.astimezone(ZoneInfo(obj.timezone))
        return super()._serialize(value, attr, obj, **kwargs)


class CheckinWindowTime(EventTime):
    """One end of the check-in window in effect (the default one unless the organizer set it).

    An attribute path like "checkin_window.0" cannot index a tuple in marshmallow: it silently
    drops the field, so the window is read here.
    """

    def __init__(self, end: int, **kwargs):
        super().__init__(**kwargs)
        self.end = end

    def get_value(self, obj, attr, accessor=None, default=ma.missing):
        return obj.checkin_window[self.end]


#: Events happen in this era. Before it many zones had local mean time, whose offsets have seconds,
#: which ISO 8601 / RFC 3339 timestamps cannot express; a year like 548 or 7945 is a typo anyway.
PLAUSIBLE_TIME = validate.Range(
    min=datetime(2000, 1, 1, tzinfo=UTC),
    max=datetime(2100, 1, 1, tzinfo=UTC),
    max_inclusive=False,
    error="Use a date between 2000 and 2099.",
)


class EventInputSchema(StrictSchema):
    kind = ma.fields.Enum(EventKind, required=True)
    title = Name(200, required=True)
    description = Text(10_000, multiline=True)
    starts_at = AwareDateTime(required=True, validate=PLAUSIBLE_TIME)
    ends_at = AwareDateTime(required=True, validate=PLAUSIBLE_TIME)
    timezone = ma.fields.String(
        required=True,
        validate=validate.OneOf(_ZONES, error="Use an IANA time zone name such as Europe/Berlin."),
        metadata={"example": "Europe/Berlin", "enum_name": "TimeZone"},
    )
    venue = Text(300)
    online_url = Url(allow_none=True)
    capacity = Integer(1, 100_000, allow_none=True, error="Capacity is 1 to 100000, or null for no limit.")
    waitlist_enabled = Boolean()
    checkin_opens_at = AwareDateTime(allow_none=True, validate=PLAUSIBLE_TIME)
    checkin_closes_at = AwareDateTime(allow_none=True, validate=PLAUSIBLE_TIME)
    status = ma.fields.Enum(EventStatus, metadata={"description": "draft (default), published or cancelled"})


class EventUpdateSchema(EventInputSchema):
    kind = ma.fields.Enum(EventKind)
    title = Name(200)
    starts_at = AwareDateTime(validate=PLAUSIBLE_TIME)
    ends_at = AwareDateTime(validate=PLAUSIBLE_TIME)
    timezone = ma.fields.String(
        validate=validate.OneOf(_ZONES, error="Use an IANA time zone name such as Europe/Berlin."),
        metadata={"enum_name": "TimeZone"},
    )


class OrganizerSchema(ma.Schema):
    user_id = ma.fields.Integer()
    name = ma.fields.String(attribute="user.name")
    role = ma.fields.Enum(OrganizerRole)


class EventSchema(ma.Schema):
    """An event as anyone may see it."""

    id = ma.fields.Integer()
    kind = ma.fields.Enum(EventKind)
    status = ma.fields.Enum(EventStatus)
    title = ma.fields.String()
    description = ma.fields.String()
    starts_at = EventTime()
    ends_at = EventTime()
    timezone = ma.fields.String()
    venue = ma.fields.String()
    capacity = ma.fields.Integer(allow_none=True)
    waitlist_enabled = Boolean()
    spots_left = ma.fields.Integer(allow_none=True)
    checkin_opens_at = CheckinWindowTime(0)
    checkin_closes_at = CheckinWindowTime(1)
    confirmed_count = ma.fields.Integer()
    organizers = ma.fields.List(ma.fields.Nested(OrganizerSchema))
    page_url = ma.fields.Function(
        lambda event: f"/e/{event.id}",
        metadata={"type": "string", "format": "uri-reference", "description": "The event's page on this site"},
    )
    viewer_is_organizer = Boolean(dump_default=False)
    online_url = ma.fields.Function(
        lambda event: event.online_url if getattr(event, "viewer_is_organizer", False) else None,
        allow_none=True,
        metadata={
            "type": "string",
            "format": "uri",
            "description": "Only for organizers; attendees join through their personal link",
        },
    )
    created_at = AwareDateTime()
    updated_at = AwareDateTime()


EventPageSchema = page_schema(EventSchema, "EventPage")


class EventListArgsSchema(PageArgsSchema):
    mine = Boolean(query=True, load_default=False, metadata={"description": "Events you organize, drafts included"})
    kind = ma.fields.Enum(EventKind)
    status = ma.fields.Enum(EventStatus)
    q = Text(100, metadata={"description": "Search in title and venue"})
    starts_after = AwareDateTime(
        metadata={
            "description": "Events not over by then: starting after it, or still running at it (the public list "
            "defaults to now, so tonight's meetup stays listed while it runs)"
        }
    )
    starts_before = AwareDateTime(metadata={"description": "Events starting before then"})


class OrganizerAddSchema(StrictSchema):
    email = Email(required=True)
