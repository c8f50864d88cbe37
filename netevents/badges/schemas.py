import marshmallow as ma

from netevents.registrations.models import RegistrationStatus
from netevents.registrations.schemas import EventSummarySchema


class BadgeCardSchema(ma.Schema):
    """A badge's public card, for anyone holding its QR code: what is printed on the badge and the event it is for,
    never a detail shared only with people at the event or with people met."""

    name = ma.fields.String()
    headline = ma.fields.String(
        allow_none=True, metadata={"description": "As printed on the badge: null unless shared with everyone"}
    )
    company = ma.fields.String(
        allow_none=True, metadata={"description": "As printed on the badge: null unless shared with everyone"}
    )
    event = ma.fields.Nested(EventSummarySchema)
    status = ma.fields.Enum(RegistrationStatus)
    qr_svg_url = ma.fields.String()
