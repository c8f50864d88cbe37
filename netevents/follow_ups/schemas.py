import marshmallow as ma

from netevents.schemas import Id, StrictSchema


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
