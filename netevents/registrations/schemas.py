import marshmallow as ma
from marshmallow import validate

from netevents.accounts.models import ContactSharing
from netevents.accounts.schemas import ProfileFieldsSchema
from netevents.events.models import EventKind, EventStatus
from netevents.events.schemas import CheckinWindowTime, EventTime
from netevents.registrations.models import RegistrationSource, RegistrationStatus
from netevents.schemas import (
    AwareDateTime,
    Boolean,
    Email,
    Name,
    PageArgsSchema,
    SiteUrl,
    StrictSchema,
    Text,
    page_schema,
)


class RegistrationInputSchema(ProfileFieldsSchema):
    """The public registration form: who you are, what you share."""

    email = Email(
        metadata={"description": "Where the badge goes; optional when signed in (your account's email)"},
    )
    # Choices for all of a person's events (services.STANDING_CHOICES): a registration makes them for a new person.
    contact_sharing = ma.fields.Enum(
        ContactSharing,
        metadata={
            "description": "Who sees your email and links: public, connections or nobody. Taken for a new person "
            "only: someone with an account keeps the choices of their profile (PATCH /me)."
        },
    )
    directory_opt_in = Boolean(
        metadata={
            "description": "List me in the directory of events I attend. Taken for a new person only: someone "
            "with an account keeps the choice of their profile (PATCH /me), for all their events."
        }
    )


class RegistrationUpdateSchema(StrictSchema):
    name = Name(120)
    headline = Text(160)
    company = Text(120)


class EventSummarySchema(ma.Schema):
    id = ma.fields.Integer()
    title = ma.fields.String()
    kind = ma.fields.Enum(EventKind)
    status = ma.fields.Enum(EventStatus)
    starts_at = EventTime()
    ends_at = EventTime()
    timezone = ma.fields.String()
    venue = ma.fields.String()
    checkin_opens_at = CheckinWindowTime(0)
    checkin_closes_at = CheckinWindowTime(1)


class RegistrationSchema(ma.Schema):
    """A registration as its owner and the event's organizers see it."""

    id = ma.fields.Integer()
    event_id = ma.fields.Integer()
    event = ma.fields.Nested(EventSummarySchema)
    status = ma.fields.Enum(RegistrationStatus)
    source = ma.fields.Enum(RegistrationSource)
    name = ma.fields.String()
    email = ma.fields.String()
    headline = ma.fields.String()
    company = ma.fields.String()
    waitlist_position = ma.fields.Integer(allow_none=True, dump_default=None)
    badge_url = SiteUrl(
        lambda registration: registration.badge_path if registration.is_active else None,
        allow_none=True,
        metadata={"description": "The badge page (null once cancelled); its QR code is what the door scans"},
    )
    badge_code = ma.fields.String(
        attribute="shown_badge_code",
        allow_none=True,
        metadata={
            "description": "The 8 characters under the badge's QR code (null once cancelled): typed by someone "
            "whose camera cannot read the QR code, to record that you met"
        },
    )
    created_at = AwareDateTime()
    cancelled_at = AwareDateTime(allow_none=True)
    promoted_at = AwareDateTime(allow_none=True)
    checked_in_at = AwareDateTime(allow_none=True, metadata={"description": "First arrival; null until then"})
    checked_in_station = ma.fields.String(allow_none=True, metadata={"description": "Where they first came in"})
    inside = Boolean(metadata={"description": "In the room now"})


RegistrationPageSchema = page_schema(RegistrationSchema, "RegistrationPage")


class AttendeeListArgsSchema(PageArgsSchema):
    q = Text(100, metadata={"description": "Search name, email and company"})
    status = ma.fields.Enum(RegistrationStatus)
    checked_in = Boolean(
        query=True, metadata={"description": "true: only people checked in; false: only those never checked in"}
    )
    came = Boolean(
        query=True,
        metadata={
            "description": "true: only people who came; false: only the no-shows. Came: checked in, or met someone "
            "at the event (the definition the attendance figures and the follow-ups use)"
        },
    )
    format = ma.fields.String(
        load_default="json",
        validate=validate.OneOf(["json", "csv"]),
        metadata={
            "description": "csv: every matching attendee as a CSV download (no paging)",
            "enum_name": "ListFormat",
        },
    )


class ImportArgsSchema(StrictSchema):
    dry_run = Boolean(query=True, load_default=False, metadata={"description": "Check the file, import nothing"})
    notify = Boolean(query=True, load_default=True, metadata={"description": "Email each attendee their badge"})


class ImportResultSchema(ma.Schema):
    rows = ma.fields.Integer()
    confirmed = ma.fields.Integer()
    waitlisted = ma.fields.Integer()
    dry_run = Boolean()
