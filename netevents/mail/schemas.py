import marshmallow as ma

from netevents.follow_ups.models import FollowUpKind
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


class FollowUpFailureSchema(ma.Schema):
    registration_id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True, metadata={"description": "As registered"})
    reason = ma.fields.String(required=True, metadata={"description": "Why their email was not written, in words"})
    failed_at = AwareDateTime(required=True)


class FollowUpRunSchema(ma.Schema):
    kind = ma.fields.Enum(FollowUpKind, required=True)
    state = ma.fields.String(
        required=True,
        metadata={"description": '"queuing", "finished" or "finished with N failures"', "example": "finished"},
    )
    queued = ma.fields.Integer(required=True, metadata={"description": "Emails queued by the run"})
    failed = ma.fields.Integer(
        required=True, metadata={"description": "People whose email could not be written; the run went on"}
    )
    started_at = AwareDateTime(required=True)
    finished_at = AwareDateTime(required=True, allow_none=True)
    failures = ma.fields.List(ma.fields.Nested(FollowUpFailureSchema), required=True)


class EventMailSchema(PageMetaSchema):
    counts = ma.fields.Nested(MailCountsSchema, required=True)
    follow_ups = ma.fields.List(
        ma.fields.Nested(FollowUpRunSchema),
        required=True,
        metadata={"description": "The event's follow-up runs (after the event, stay connected), oldest first"},
    )
    items = ma.fields.List(ma.fields.Nested(EventEmailSchema), required=True)
