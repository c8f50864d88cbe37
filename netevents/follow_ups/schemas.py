import marshmallow as ma

from netevents.follow_ups.state import FollowUpStage, SendNowRefusal
from netevents.mail.schemas import MailCountsSchema
from netevents.schemas import AwareDateTime, Id, StrictSchema


class PreviewArgsSchema(StrictSchema):
    registration_id = Id(query=True, required=True, metadata={"description": "Whose email to preview"})


class AttachmentSchema(ma.Schema):
    filename = ma.fields.String(required=True)
    mime_type = ma.fields.String(required=True)


class FollowUpPreviewSchema(ma.Schema):
    kind = ma.fields.String(
        required=True,
        attribute="name",
        metadata={"description": "people_you_met (they came) or missed_you (confirmed, never checked in)"},
    )
    subject = ma.fields.String(required=True)
    text = ma.fields.String(required=True)
    html = ma.fields.String(required=True)
    attachments = ma.fields.List(
        ma.fields.Nested(AttachmentSchema),
        required=True,
        metadata={
            "description": "What the email attaches: the attendee's connections as vCards (their content is theirs)"
        },
    )


class FollowUpsQueuedSchema(ma.Schema):
    queued = ma.fields.Integer(
        required=True, metadata={"description": "Emails queued by this request; 0 once they all were"}
    )


class FollowUpRecipientsSchema(ma.Schema):
    people_you_met = ma.fields.Integer(
        required=True, metadata={"description": "People who came (checked in, or met someone there)"}
    )
    missed_you = ma.fields.Integer(required=True, metadata={"description": "Confirmed people who did not come"})
    opted_out = ma.fields.Integer(
        required=True, metadata={"description": "Confirmed people who turned follow-up emails off: they get none"}
    )


class FollowUpStateSchema(ma.Schema):
    event_id = ma.fields.Integer(required=True)
    state = ma.fields.Enum(
        FollowUpStage,
        required=True,
        metadata={
            "description": "scheduled: goes out on its own at `due_at`; sending: being queued now; sent: queued for "
            "everyone (delivery in `emails`); overdue: its automatic window passed unsent (send it now); not_sending: "
            "the event is not published"
        },
    )
    due_at = AwareDateTime(
        required=True, metadata={"description": "When the after-event emails go out on their own (end + delay)"}
    )
    automatic_until = AwareDateTime(
        required=True, metadata={"description": "After this the job no longer sends them on its own"}
    )
    stay_connected_at = AwareDateTime(required=True, metadata={"description": "When the stay-connected reminder goes"})
    started_at = AwareDateTime(required=True, allow_none=True)
    finished_at = AwareDateTime(required=True, allow_none=True)
    recipients = ma.fields.Nested(
        FollowUpRecipientsSchema, required=True, metadata={"description": "Who gets which email, counted now"}
    )
    emails = ma.fields.Nested(
        MailCountsSchema, required=True, metadata={"description": "The after-event emails in the outbox, by status"}
    )
    send_now_refused = ma.fields.Enum(
        SendNowRefusal,
        required=True,
        allow_none=True,
        metadata={"description": "Why sending now would be refused or do nothing; null when it may be used"},
    )
