"""The page behind "Not you? Cancel this registration" in a registration's email. It acts without signing in, the
signed link is the key; GET only shows what the button would do (mail scanners open every link), the button POSTs.
"""

from flask import Blueprint, render_template

from netevents.errors import DomainError
from netevents.extensions import db, limiter
from netevents.registrations.cancel_links import registration_named
from netevents.registrations.cancelling import cancel_by_link
from netevents.registrations.models import RegistrationStatus

bp = Blueprint("registration_links", __name__)

LINK_LIMIT = "30 per minute"


def _page(title: str, message: str, status: int = 200, button: str | None = None):
    # The email links' page (follow_ups/templates): one look, and one style hash in the policy (headers.py).
    return render_template("email_link.html", title=title, message=message, button=button), status


@bp.route("/registrations/cancel/<token>", methods=["GET"])
@limiter.limit(LINK_LIMIT)
def cancel_page(token):
    try:
        registration = registration_named(token)
    except DomainError as error:
        return _page("This link does not work", error.message, error.status)
    title = registration.event.title
    if registration.status == RegistrationStatus.cancelled:
        return _page("Already cancelled", f"This address is not registered for {title} any more.")
    return _page(
        f"Cancel this registration for {title}?",
        f"{registration.email} is registered for {title}. If you did not want that, cancel it: its badge stops "
        "working and its place goes to someone else. Nothing else of yours changes.",
        button="Cancel this registration",
    )


@bp.route("/registrations/cancel/<token>", methods=["POST"])
@limiter.limit(LINK_LIMIT)
def cancel_now(token):
    try:
        registration = registration_named(token)
    except DomainError as error:
        return _page("This link does not work", error.message, error.status)
    cancel_by_link(registration)
    db.session.commit()
    return _page("Cancelled", f"{registration.email} is not registered for {registration.event.title} any more.")
