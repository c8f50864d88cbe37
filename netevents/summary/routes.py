from netevents.accounts.auth import require_user
from netevents.openapi import Blueprint, Token, access
from netevents.summary.schemas import PeopleYouMetSchema
from netevents.summary.services import event_summary

blp = Blueprint("summary", __name__, url_prefix="/api/v1", description='The "people you met" summary of an event')


@blp.route("/events/<int:event_id>/summary", methods=["GET"])
@access(Token.attendee)
@blp.response(200, PeopleYouMetSchema)
def summary(event_id):
    """Your summary of the event: everyone you met there, your notes, your bingo result"""
    return event_summary(event_id, require_user())
