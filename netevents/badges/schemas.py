import marshmallow as ma

from netevents.accounts.schemas import LinkSchema
from netevents.registrations.models import RegistrationStatus
from netevents.registrations.schemas import EventSummarySchema


class ContactSchema(ma.Schema):
    """Each detail only if its owner shares it with everyone; null otherwise."""

    email = ma.fields.String(allow_none=True)
    phone = ma.fields.String(allow_none=True)
    links = ma.fields.List(ma.fields.Nested(LinkSchema), allow_none=True)


class BadgeCardSchema(ma.Schema):
    """A badge's public card: only what its owner chose to share."""

    name = ma.fields.String()
    headline = ma.fields.String(allow_none=True, metadata={"description": "Null unless shared with everyone"})
    company = ma.fields.String(allow_none=True, metadata={"description": "Null unless shared with everyone"})
    topics = ma.fields.List(ma.fields.String())
    event = ma.fields.Nested(EventSummarySchema)
    status = ma.fields.Enum(RegistrationStatus)
    contact = ma.fields.Nested(
        ContactSchema,
        allow_none=True,
        metadata={"description": "Only when the person shares a contact detail with everyone"},
    )
    qr_svg_url = ma.fields.String()
