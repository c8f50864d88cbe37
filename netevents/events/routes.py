from flask import Response, current_app

from netevents.accounts.auth import current_user, require_user
from netevents.events import services
from netevents.events.ics import event_calendar
from netevents.events.schemas import (
    EventInputSchema,
    EventListArgsSchema,
    EventPageSchema,
    EventSchema,
    EventUpdateSchema,
    OrganizerAddSchema,
    OrganizerSchema,
)
from netevents.extensions import db
from netevents.openapi import Blueprint, Token, access, own_rate_limit, problems

blp = Blueprint("events", __name__, url_prefix="/api/v1/events", description="Events and their organizers")


@blp.route("", methods=["GET"])
@access(Token.optional)
@problems(401)
@blp.arguments(EventListArgsSchema, location="query")
@blp.response(200, EventPageSchema)
def list_events(args):
    """Upcoming published events, or (mine=true) the events you organize"""
    mine = args.pop("mine")
    return services.list_events(require_user() if mine else current_user(), mine=mine, **args)


@blp.route("", methods=["POST"])
@access(Token.organizer)
@blp.arguments(
    EventInputSchema,
    example={
        "kind": "meetup",
        "title": "Staff Engineers Meetup",
        "description": "Talks and time to meet.",
        "starts_at": "2031-05-04T18:00:00+02:00",
        "ends_at": "2031-05-04T21:00:00+02:00",
        "timezone": "Europe/Berlin",
        "venue": "Tech Hub, Main Hall",
        "capacity": 80,
        "status": "published",
    },
)
@blp.response(201, EventSchema)
@problems(429)
def create_event(data):
    """Create an event (a draft unless status says otherwise); you become its owner"""
    user = require_user()
    services.check_creation_allowance(user)
    event = services.create_event(user, data)
    db.session.commit()
    return event


@blp.route("/<int:event_id>", methods=["GET"])
@access(Token.optional)
@blp.response(200, EventSchema)
def get_event(event_id):
    """One event (drafts only for their organizers)"""
    return services.get_visible_event(event_id, current_user())


@blp.route("/<int:event_id>", methods=["PATCH"])
@access(Token.organizer)
@blp.arguments(EventUpdateSchema, example={"status": "published"})
@blp.response(200, EventSchema)
def update_event(data, event_id):
    """Change, publish or cancel an event (only its owner cancels; everyone registered is told)"""
    event = services.update_event(event_id, require_user(), data)
    db.session.commit()
    return event


@blp.route("/<int:event_id>", methods=["DELETE"])
@access(Token.organizer)
@blp.response(204)
def delete_event(event_id):
    """Delete a draft or cancelled event (its owner only)"""
    services.delete_event(event_id, require_user())
    db.session.commit()


@blp.route("/<int:event_id>/calendar.ics", methods=["GET"])
@access(Token.optional)
@blp.doc(
    responses={"200": {"description": "iCalendar file", "content": {"text/calendar": {"schema": {"type": "string"}}}}}
)
def get_calendar(event_id):
    """The event as an iCalendar file"""
    event = services.get_visible_event(event_id, current_user())
    return Response(
        event_calendar(event, current_app.config["BASE_URL"]),
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="event-{event.id}.ics"'},
    )


@blp.route("/<int:event_id>/organizers", methods=["POST"])
@access(Token.organizer)
@own_rate_limit("the co-organizer invitations one person may send a day, per event and in all (docs/security.md)")
@blp.arguments(OrganizerAddSchema, example={"email": "grace@example.org"})
@blp.response(201, OrganizerSchema)
def add_organizer(data, event_id):
    """Add a co-organizer by email, the owner only (they sign in with a link sent to that address)"""
    link = services.add_organizer(event_id, require_user(), data["email"])
    db.session.commit()
    return link


@blp.route("/<int:event_id>/organizers/<int:user_id>", methods=["DELETE"])
@access(Token.organizer)
@blp.response(204)
def remove_organizer(event_id, user_id):
    """Remove a co-organizer (the owner), or step down as one"""
    services.remove_organizer(event_id, require_user(), user_id)
    db.session.commit()
