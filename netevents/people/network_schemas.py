"""The organizer's picture of the connections an event made (GET /events/{id}/network, people/network.py): dots,
lines and the headline numbers, each anonymised to what its people share."""

import marshmallow as ma

from netevents.schemas import Boolean


class NetworkDotSchema(ma.Schema):
    key = ma.fields.Integer(required=True, metadata={"description": "This dot's number, in this answer only"})
    name = ma.fields.String(
        required=True, metadata={"description": "Their name if they are in the event's directory, else Attendee"}
    )
    company = ma.fields.String(
        required=True, allow_none=True, metadata={"description": "If they share it with everyone at the event"}
    )
    topics = ma.fields.List(ma.fields.String(), required=True, allow_none=True)
    attended = Boolean(
        required=True,
        metadata={
            "description": "Came: checked in, or met someone at the event (the one definition of came, as in the "
            "attendance figures and the follow-ups)"
        },
    )
    degree = ma.fields.Integer(required=True, metadata={"description": "How many people they met here"})


class NetworkLineSchema(ma.Schema):
    source = ma.fields.Integer(required=True)
    target = ma.fields.Integer(required=True)
    meetings = ma.fields.Integer(required=True)
    new = Boolean(required=True, metadata={"description": "They met for the first time at this event"})
    cross_company = Boolean(
        required=True,
        allow_none=True,
        metadata={
            "description": "true: the two work for different companies; false: the same company. Null (unknown) "
            "unless both share their company with everyone at the event (as on their dots), so a line never hints "
            "at a company someone hides"
        },
    )


class TopicCountSchema(ma.Schema):
    topic = ma.fields.String(required=True)
    connections = ma.fields.Integer(required=True)


class NetworkNumbersSchema(ma.Schema):
    registered = ma.fields.Integer(required=True)
    attended = ma.fields.Integer(
        required=True,
        metadata={
            "description": "Confirmed people who came (checked in, or met someone at the event): `came` of "
            "the attendance figures"
        },
    )
    pairs_met = ma.fields.Integer(required=True)
    connections_made = ma.fields.Integer(required=True)
    share_with_new_connection = ma.fields.Float(required=True, allow_none=True)
    cross_company_share = ma.fields.Float(
        required=True,
        allow_none=True,
        metadata={
            "description": "Of the pairs who met whose `cross_company` is known (both share their company with "
            "everyone), the share from different companies; pairs with a hidden company are left out. Null when "
            "there is no such pair"
        },
    )
    top_topics = ma.fields.List(ma.fields.Nested(TopicCountSchema), required=True)


class NetworkSchema(ma.Schema):
    event_id = ma.fields.Integer(required=True)
    numbers = ma.fields.Nested(NetworkNumbersSchema, required=True)
    dots = ma.fields.List(ma.fields.Nested(NetworkDotSchema), required=True)
    lines = ma.fields.List(ma.fields.Nested(NetworkLineSchema), required=True)
