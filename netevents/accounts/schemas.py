from typing import ClassVar

import marshmallow as ma
from marshmallow import validate

from netevents.accounts.models import ContactSharing, Visibility
from netevents.schemas import AwareDateTime, Boolean, Email, Name, StrictSchema, TagList, Text, TrimmedString, Url

Password = lambda **kw: TrimmedString(  # noqa: E731
    trim=False, validate=validate.Length(min=10, max=128, error="Use 10 to 128 characters."), load_only=True, **kw
)


class LinkSchema(StrictSchema):
    error_messages: ClassVar[dict[str, str]] = {
        "type": 'Each link is an object with a label and a url, like {"label": "Blog", "url": "https://example.org"}.'
    }

    label = Name(40, required=True)
    url = Url(required=True)


class ProfileFieldsSchema(StrictSchema):
    """What a person tells others about themselves; shared by the profile and the registration form."""

    name = Name(120)
    headline = Text(160)
    company = Text(120)
    topics = TagList()
    mentoring_offered = TagList(metadata={"description": "Topics this person can mentor in"})
    mentoring_sought = TagList(metadata={"description": "Topics this person is looking for a mentor in"})
    links = ma.fields.List(ma.fields.Nested(LinkSchema), validate=validate.Length(max=5))
    contact_sharing = ma.fields.Enum(
        ContactSharing,
        metadata={
            "description": "Who sees your email and links: public, connections or nobody. "
            "Your profile's `sharing` chooses detail by detail."
        },
    )
    directory_opt_in = Boolean(metadata={"description": "List me in the directory of events I attend"})


def _choice(detail: str) -> ma.fields.Enum:
    return ma.fields.Enum(Visibility, metadata={"description": f"Who sees your {detail}"})


class SharingSchema(StrictSchema):
    """Who sees each contact detail: everyone (at the events you attend), connections (people you met) or nobody."""

    email = _choice("email")
    phone = _choice("phone number")
    links = _choice("links")
    company = _choice("company")
    headline = _choice("headline")


class EmailPreferencesSchema(StrictSchema):
    """Which emails you get besides the essential ones (sign-in links, confirmations): true on, false off."""

    follow_up = Boolean(
        metadata={"description": "After an event: the people you met, or what is next if you could not come"}
    )
    stay_connected = Boolean(
        metadata={"description": "Weeks after an event: the people you have not followed up with yet"}
    )


class ContactFieldsSchema(StrictSchema):
    """Your phone and your sharing choices: on your own profile (the registration form has contact_sharing)."""

    phone = TrimmedString(
        validate=[
            validate.Length(max=40),
            validate.Regexp(
                r"^(\+?[0-9][0-9 ()./-]{2,39})?$", error="Use digits, spaces and + ( ) . / - only, like +49 30 1234567."
            ),
        ],
        metadata={"description": "Empty to remove it"},
    )
    sharing = ma.fields.Nested(
        SharingSchema, metadata={"description": "Send only the details you change; not together with contact_sharing"}
    )
    email_preferences = ma.fields.Nested(
        EmailPreferencesSchema, metadata={"description": "Emails you can turn off; send only those you change"}
    )


class SignUpSchema(StrictSchema):
    email = Email(required=True)
    password = Password(required=True)
    name = Name(120, required=True)


class SignInSchema(StrictSchema):
    email = Email(required=True)
    password = TrimmedString(trim=False, required=True, load_only=True, validate=validate.Length(max=128))


class MagicLinkRequestSchema(StrictSchema):
    email = Email(required=True)
    next = TrimmedString(
        trim=False,
        load_default="/me",
        validate=[
            validate.Length(max=200),
            validate.Regexp(r"^/[A-Za-z0-9/_\-]*$", error="Use a path on this site, like /me."),
        ],
    )


class MagicLinkRedeemSchema(StrictSchema):
    code = Text(200, required=True, min_length=1)


class AcceptedSchema(ma.Schema):
    message = ma.fields.String()


class ProfileSchema(ContactFieldsSchema, ProfileFieldsSchema):
    """Your own profile, as only you see it."""

    id = ma.fields.Integer(dump_only=True)
    email = ma.fields.String(dump_only=True)
    has_password = Boolean(dump_only=True)
    created_at = AwareDateTime(dump_only=True)


class TokenSchema(ma.Schema):
    token = ma.fields.String(metadata={"description": "Send as 'Authorization: Bearer <token>'. Shown once."})
    user = ma.fields.Nested(ProfileSchema)


class ProfileUpdateSchema(ContactFieldsSchema, ProfileFieldsSchema):
    password = Password()
    current_password = TrimmedString(trim=False, load_only=True, validate=validate.Length(max=128))

    @ma.validates_schema
    def _one_way_to_choose_sharing(self, data, **_kwargs):
        # Both set the email's and the links' visibility: together, one would silently undo the other.
        if "contact_sharing" in data and "sharing" in data:
            message = (
                'Send sharing (who sees each detail, like {"email": "nobody", "links": "everyone"}) or '
                "contact_sharing (one choice for your email and links), not both."
            )
            raise ma.ValidationError({"sharing": [message], "contact_sharing": [message]})


class ExportSchema(ma.Schema):
    exported_at = AwareDateTime()
    profile = ma.fields.Nested(ProfileSchema)
    registrations = ma.fields.List(ma.fields.Nested("RegistrationSchema"))
    connections = ma.fields.List(
        ma.fields.Nested("ConnectionSchema"), metadata={"description": "With your notes and tags"}
    )
    blocks = ma.fields.List(ma.fields.Nested("BlockSchema"), metadata={"description": "The people you blocked"})
    bingo = ma.fields.List(
        ma.fields.Nested("CardSchema"),
        metadata={"description": "Your bingo cards: each round in which someone signed a square of yours"},
    )
