import marshmallow as ma

from netevents.accounts.schemas import LinkSchema
from netevents.registrations.models import RegistrationStatus
from netevents.registrations.schemas import EventSummarySchema


class ContactSchema(ma.Schema):
    email = ma.fields.String()
    links = ma.fields.List(ma.fields.Nested(LinkSchema))


class BadgeCardSchema(ma.Schema):
    """A badge's public card: only what its owner chose to share."""

    name = ma.fields.String()
    headline = ma.fields.String()
    company = ma.fields.String()
    topics = ma.fields.List(ma.fields.String())
    event = ma.fields.Nested(EventSummarySchema)
    status = ma.fields.Enum(RegistrationStatus)
    contact = ma.fields.Nested(
        ContactSchema, allow_none=True, metadata={"description": "Only when the person shares their contact publicly"}
    )
    qr_svg_url = ma.fields.String()
