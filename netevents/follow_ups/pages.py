"""The pages behind the links in follow-up emails; they act without signing in, the signed link is the key.

GET only shows what a button would do (mail scanners open every link); the button POSTs. /unsubscribe/<token>
also takes RFC 8058's one-click POST from mail clients ("List-Unsubscribe=One-Click", no cookies).
"""

from flask import Blueprint, render_template

from netevents.errors import DomainError
from netevents.extensions import db, limiter
from netevents.follow_ups.links import connection_named, mark_followed_up
from netevents.mail.preferences import read_unsubscribe_token, unsubscribe

bp = Blueprint("email_links", __name__, template_folder="templates")

LINK_LIMIT = "30 per minute"
#: What each category is, in the words of the page.
CATEGORIES = {
    "follow_up": "emails after an event (the people you met, or what is next if you could not come)",
    "stay_connected": "reminders to stay in touch with the people you met",
}


def _page(title: str, message: str, status: int = 200, button: str | None = None):
    return render_template("email_link.html", title=title, message=message, button=button), status


def _refused(error: DomainError):
    return _page("This link does not work", error.message, error.status)


@bp.route("/unsubscribe/<token>", methods=["GET"])
@limiter.limit(LINK_LIMIT)
def unsubscribe_page(token):
    try:
        user, category = read_unsubscribe_token(token)
    except DomainError as error:
        return _refused(error)
    what = CATEGORIES[category.value]
    if not user.email_preferences[category.value]:
        return _page("Already unsubscribed", f"You no longer get {what}.")
    return _page(
        "Unsubscribe?", f"Stop getting {what}? You can turn them on again in your profile.", button="Unsubscribe"
    )


@bp.route("/unsubscribe/<token>", methods=["POST"])
@limiter.limit(LINK_LIMIT)
def unsubscribe_now(token):
    try:
        user, category = read_unsubscribe_token(token)
    except DomainError as error:
        return _refused(error)
    unsubscribe(user.id, category)
    db.session.commit()
    return _page(
        "Unsubscribed", f"You will not get {CATEGORIES[category.value]} any more. Your profile can turn them on again."
    )


@bp.route("/followed-up/<token>", methods=["GET"])
@limiter.limit(LINK_LIMIT)
def followed_up_page(token):
    try:
        _user_id, view = connection_named(token)
    except DomainError as error:
        return _refused(error)
    if view.followed_up:
        return _page("Done", f"{view.other.name} is marked as followed up.")
    return _page(
        f"Followed up with {view.other.name}?",
        "Mark it done: your list of connections shows it, and nothing else changes.",
        button="Mark as followed up",
    )


@bp.route("/followed-up/<token>", methods=["POST"])
@limiter.limit(LINK_LIMIT)
def followed_up_now(token):
    try:
        user_id, view = connection_named(token)
    except DomainError as error:
        return _refused(error)
    mark_followed_up(user_id, view.id)
    db.session.commit()
    return _page("Done", f"{view.other.name} is marked as followed up.")
