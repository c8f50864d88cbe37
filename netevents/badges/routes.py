from flask import Response, render_template, request

from netevents.accounts.auth import require_user
from netevents.badges import services
from netevents.badges.schemas import BadgeCardSchema
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.openapi import Blueprint, Token, access, problems, rate_limit
from netevents.registrations.schemas import RegistrationSchema

blp = Blueprint(
    "badges", __name__, url_prefix="/api/v1", description="Badges and their QR codes", template_folder="templates"
)

_SVG = {"image/svg+xml": {"schema": {"type": "string"}}}
_PNG = {"image/png": {"schema": {"type": "string", "format": "binary"}}}
_NOT_MODIFIED = {"description": "Not modified: the image for the ETag sent in If-None-Match is still this one"}

#: Badge secrets are unguessable (192 bits); this keeps anyone from even trying at volume.
BADGE_LOOKUP_LIMIT = "60 per minute"


def _image(url: str, image_format: str) -> Response:
    etag = services.badge_etag(url, image_format)
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, max-age=86400"}
    if etag in request.if_none_match:
        return Response(status=304, headers=headers)
    return Response(
        services.render_badge_qr(url, image_format), mimetype=services.FORMATS[image_format], headers=headers
    )


def _badge_image(registration_id: int, image_format: str) -> Response:
    registration = services.registration_for_badge(registration_id, require_user())
    return _image(services.badge_url(registration), image_format)


# Two operations, not one with {image_format}: each says the one content type it answers with.
@blp.route("/registrations/<int:registration_id>/badge.svg", methods=["GET"])
@access(Token.attendee)
@problems(410)
@blp.doc(responses={"200": {"description": "The badge's QR code (SVG)", "content": _SVG}, "304": _NOT_MODIFIED})
def badge_svg(registration_id):
    """The badge QR code as SVG (its owner or the organizers)"""
    return _badge_image(registration_id, "svg")


@blp.route("/registrations/<int:registration_id>/badge.png", methods=["GET"])
@access(Token.attendee)
@problems(410)
@blp.doc(responses={"200": {"description": "The badge's QR code (PNG)", "content": _PNG}, "304": _NOT_MODIFIED})
def badge_png(registration_id):
    """The badge QR code as PNG (its owner or the organizers)"""
    return _badge_image(registration_id, "png")


@blp.route("/registrations/<int:registration_id>/badge/rotate", methods=["POST"])
@access(Token.attendee)
@problems(410)
@blp.response(200, RegistrationSchema)
def rotate_badge(registration_id):
    """Lost badge: issue a new QR code; the old one stops working at once"""
    registration = services.rotate_badge(registration_id, require_user())
    db.session.commit()
    return registration


@blp.route("/badges/<secret>", methods=["GET"])
@access(Token.public)
@rate_limit(BADGE_LOOKUP_LIMIT, "Too many badge look-ups from this address")
@blp.response(200, BadgeCardSchema)
def badge_card(secret):
    """The public card behind a badge's QR code"""
    return services.public_card(secret)


@blp.route("/badges/<secret>/qr.svg", methods=["GET"])
@access(Token.public)
@rate_limit(BADGE_LOOKUP_LIMIT, "Too many badge look-ups from this address")
@blp.doc(responses={"200": {"description": "The QR code (SVG)", "content": _SVG}, "304": _NOT_MODIFIED})
def badge_qr(secret):
    """The badge's QR code, for the badge page (knowing the secret is holding the badge)"""
    return _image(services.badge_url(services.registration_by_secret(secret)), "svg")


@blp.route("/events/<int:event_id>/badges/sheet.html", methods=["GET"])
@access(Token.organizer)
@blp.doc(
    responses={
        "200": {"description": "An HTML page to print", "content": {"text/html": {"schema": {"type": "string"}}}}
    }
)
def badge_sheet(event_id):
    """Printable badges for every confirmed attendee (8 per A4 page)"""
    event = get_organized_event(event_id, require_user())
    return Response(
        render_template("badge_sheet.html", event=event, badges=services.badge_sheet(event)), mimetype="text/html"
    )
