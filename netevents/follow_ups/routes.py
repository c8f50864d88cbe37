from netevents.accounts.auth import require_user
from netevents.follow_ups import services, state
from netevents.follow_ups.schemas import (
    FollowUpPreviewSchema,
    FollowUpsQueuedSchema,
    FollowUpStateSchema,
    PreviewArgsSchema,
)
from netevents.openapi import Blueprint, Token, access, problems
from netevents.registrations import attended

blp = Blueprint(
    "follow_ups", __name__, url_prefix="/api/v1/events/<int:event_id>/follow-up", description="Emails after an event"
)


@blp.route("", methods=["GET"])
@access(Token.organizer)
@blp.response(200, FollowUpStateSchema)
@blp.doc(description=attended.DESCRIPTION)
def follow_up_state(event_id):
    """When the after-event emails go out, who gets them, and how their delivery fares (organizers)"""
    return state.follow_up_state(event_id, require_user())


@blp.route("/preview", methods=["GET"])
@access(Token.organizer)
@problems(409)
@blp.arguments(PreviewArgsSchema, location="query")
@blp.response(200, FollowUpPreviewSchema)
def preview_follow_up(args, event_id):
    """The email one registrant gets after the event, as you may see it (organizers)"""
    return services.preview_follow_up(event_id, args["registration_id"], require_user())


@blp.route("", methods=["POST"])
@access(Token.organizer)
@problems(409)
@blp.response(200, FollowUpsQueuedSchema)
@blp.doc(description=attended.DESCRIPTION)
def send_follow_ups(event_id):
    """Send the after-event emails now instead of when due; again sends nothing more (organizers)"""
    return {"queued": services.send_follow_ups_now(event_id, require_user())}
