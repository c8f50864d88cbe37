"""/j/{secret}: an attendee's personal webinar link. Inside the window it records attendance
(once, however often it is opened) and forwards to the meeting; otherwise it says when to come."""

from flask import Blueprint, redirect, render_template

from netevents.badges.services import registration_by_secret
from netevents.checkin.actors import join_actor
from netevents.checkin.services import perform_checkin
from netevents.db import utcnow
from netevents.errors import NotFound
from netevents.events.models import EventKind, EventStatus
from netevents.extensions import db, limiter
from netevents.registrations.models import RegistrationStatus
from netevents.sqlite import writes

bp = Blueprint("join", __name__, template_folder="templates")


def _page(title: str, message: str, status: int = 200, **context):
    return render_template("join.html", title=title, message=message, **context), status


@bp.route("/j/<secret>")
@limiter.limit("30 per minute", error_message="Too many join links opened from this address")
@writes
def join_webinar(secret):
    try:
        registration = registration_by_secret(secret)
    except NotFound:
        return _page(
            "Link not valid",
            "This join link is not valid any more. Open the newest email from the organizers, or register again.",
            404,
        )
    event = registration.event
    calendar_url = f"/api/v1/events/{event.id}/calendar.ics"
    if event.kind != EventKind.webinar:
        return _page(
            "Not an online event", "This event happens in person: show your badge QR code at the door.", event=event
        )
    if event.status == EventStatus.cancelled:
        return _page("Event cancelled", "The organizers cancelled this webinar.", 410, event=event)
    if registration.status == RegistrationStatus.waitlisted:
        return _page(
            "You are on the waitlist", "The webinar is full. We email you as soon as a spot opens.", event=event
        )
    opens, closes = event.checkin_window
    now = utcnow()
    if now < opens:
        local = opens.astimezone(event.zone)
        return _page(
            "Not open yet",
            f"The webinar room opens on {local:%A %d %B at %H:%M} ({event.timezone}). "
            "Come back then with this same link.",
            event=event,
            calendar_url=calendar_url,
        )
    if now > closes:
        return _page(
            "This webinar is over", "Thanks for your interest. The organizers may send a recording.", event=event
        )
    # The same link is opened again and again: one nonce, so attendance is recorded once.
    perform_checkin(join_actor(registration.id, event), {"registration_id": registration.id, "nonce": "join"})
    db.session.commit()
    return redirect(event.online_url, code=302)
