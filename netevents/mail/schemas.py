import marshmallow as ma

from netevents.mail.models import MailStatus
from netevents.schemas import AwareDateTime, PageArgsSchema, PageMetaSchema


class EventMailArgsSchema(PageArgsSchema):
    status = ma.fields.Enum(MailStatus, metadata={"description": "Only the emails in this state (the counts stay all)"})


class MailCountsSchema(ma.Schema):
    queued = ma.fields.Integer(required=True, metadata={"description": "Waiting for a worker, or for a retry"})
    sending = ma.fields.Integer(required=True, metadata={"description": "Being handed to the mail server now"})
    sent = ma.fields.Integer(required=True, metadata={"description": "Accepted by the mail server"})
    failed = ma.fields.Integer(required=True, metadata={"description": "Refused for good, or given up on"})


class EventEmailSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    recipient = ma.fields.String(required=True, attribute="to_address")
    subject = ma.fields.String(required=True)
    status = ma.fields.Enum(MailStatus, required=True)
    attempts = ma.fields.Integer(required=True)
    last_error = ma.fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Why the last attempt failed, with the mail server's answer; null once sent"},
    )
    next_attempt_at = AwareDateTime(
        required=True, allow_none=True, metadata={"description": "When a queued email is tried again"}
    )
    created_at = AwareDateTime(required=True)
    sent_at = AwareDateTime(required=True, allow_none=True)


class EventMailSchema(PageMetaSchema):
    counts = ma.fields.Nested(MailCountsSchema, required=True)
    items = ma.fields.List(ma.fields.Nested(EventEmailSchema), required=True)
