from netevents.accounts.auth import require_user
from netevents.mail import status
from netevents.mail.schemas import EventMailArgsSchema, EventMailSchema
from netevents.openapi import Blueprint, Token, access

blp = Blueprint("mail", __name__, url_prefix="/api/v1", description="The emails an event sent, and how they fared")


@blp.route("/events/<int:event_id>/mail", methods=["GET"])
@access(Token.organizer)
@blp.arguments(EventMailArgsSchema, location="query")
@blp.response(200, EventMailSchema)
def event_mail(args, event_id):
    """The event's emails, newest first (or those in one state), and how many are queued, sent and failed (organizers)"""
    return status.event_mail(event_id, require_user(), **args)
