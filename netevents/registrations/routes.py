from flask import jsonify, request

from netevents.accounts.auth import current_user, require_user
from netevents.accounts.schemas import AcceptedSchema
from netevents.errors import DomainError
from netevents.extensions import db
from netevents.openapi import Blueprint, Token, access, own_rate_limit, problems, rate_limit
from netevents.registrations import attendees, cancelling, lookup, services
from netevents.registrations.csvio import attendees_csv
from netevents.registrations.schemas import (
    AttendeeListArgsSchema,
    ImportArgsSchema,
    ImportResultSchema,
    RegistrationInputSchema,
    RegistrationPageSchema,
    RegistrationSchema,
    RegistrationUpdateSchema,
)
from netevents.schemas import PageArgsSchema

#: The answer to a registration made for an address: the same for a new address, one with an account, one registered.
REGISTRATION_SENT = (
    "Check the inbox of this address: the registration and its badge (or the waitlist place) are on their way."
)

blp = Blueprint("registrations", __name__, url_prefix="/api/v1", description="Registrations and the waitlist")


@blp.route("/events/<int:event_id>/registrations", methods=["POST"])
@access(Token.optional)
@rate_limit("30 per minute;200 per day", "Too many registrations from this address")
@blp.arguments(
    RegistrationInputSchema,
    example={
        "email": "grace@example.org",
        "name": "Grace Hopper",
        "headline": "Staff engineer",
        "company": "Navy Labs",
        "topics": ["compilers", "platforms"],
        "mentoring_offered": ["compilers"],
        "contact_sharing": "connections",
        "directory_opt_in": True,
    },
)
@blp.response(201, RegistrationSchema, description="Your own registration (signed in): its status and badge")
@blp.alt_response(
    202,
    schema=AcceptedSchema,
    description="Anyone else: the badge is emailed to the address; the answer is the same whatever the address",
)
def register(data, event_id):
    """Register for a published event (confirmed, or waitlisted when full); the badge is emailed.

    Signed in and registering yourself, the answer is your registration with its badge. Otherwise it does not
    say whether the address has an account or was registered already: the email does.
    """
    registration = services.register_from_form(event_id, data, signed_in=current_user())
    db.session.commit()
    if registration is not None:
        return registration
    answer = jsonify(AcceptedSchema().dump({"message": REGISTRATION_SENT}))
    answer.status_code = 202
    return answer


@blp.route("/events/<int:event_id>/registrations", methods=["GET"])
@access(Token.organizer)
@blp.arguments(AttendeeListArgsSchema, location="query")
@blp.response(200, RegistrationPageSchema)
# Same status, second content type; a doc(responses={"200": ...}) would replace the JSON one.
@blp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True)
def list_registrations(args, event_id):
    """The attendee list for organizers: search, filter, page, or download as CSV"""
    user = require_user()
    if args.pop("format") == "csv":
        args.pop("page"), args.pop("per_page")
        return attendees_csv(event_id, attendees.attendee_query(event_id, user, **args))
    return attendees.list_attendees(event_id, user, **args)


@blp.route("/events/<int:event_id>/registrations/import", methods=["POST"])
@access(Token.organizer)
@own_rate_limit("with notify, the registration emails one person may send to others a day (docs/security.md)")
@problems(415)
@blp.doc(
    requestBody={"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}},
    description="Columns: email, name (required), headline, company. Any bad row rejects the whole file; "
    "the answer lists each problem with its line.",
)
@blp.arguments(ImportArgsSchema, location="query")
@blp.response(200, ImportResultSchema)
def import_registrations(args, event_id):
    """Import attendees from a CSV file (all or nothing)"""
    user = require_user()
    if request.mimetype not in ("text/csv", "text/plain", "application/csv"):
        raise DomainError(
            "unsupported_media_type", "Send the file as the body with Content-Type: text/csv.", status=415
        )
    result = attendees.import_attendees(event_id, user, request.get_data(), **args)
    db.session.commit()
    return result


@blp.route("/registrations/<int:registration_id>", methods=["GET"])
@access(Token.attendee)
@blp.response(200, RegistrationSchema)
def get_registration(registration_id):
    """One registration (yours, or one for an event you organize)"""
    return lookup.get_registration(registration_id, require_user())


@blp.route("/registrations/<int:registration_id>", methods=["PATCH"])
@access(Token.attendee)
@blp.arguments(RegistrationUpdateSchema, example={"name": "Grace Hopper", "headline": "Rear admiral"})
@blp.response(200, RegistrationSchema)
def update_registration(data, registration_id):
    """Change the name, headline or company printed on the badge"""
    registration = lookup.update_registration(registration_id, require_user(), data)
    db.session.commit()
    return registration


@blp.route("/registrations/<int:registration_id>/cancel", methods=["POST"])
@access(Token.attendee)
@blp.response(200, RegistrationSchema)
def cancel_registration(registration_id):
    """Cancel a registration; the next person on the waitlist gets the spot and an email"""
    registration = cancelling.cancel_registration(registration_id, require_user())
    db.session.commit()
    return registration


@blp.route("/me/registrations", methods=["GET"])
@access(Token.attendee)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, RegistrationPageSchema)
def my_registrations(args):
    """Events you registered for, newest first"""
    return lookup.my_registrations(require_user(), **args)
