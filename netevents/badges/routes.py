from flask import Response, render_template, request
from flask_smorest import Blueprint

from netevents.accounts.auth import BEARER, require_user
from netevents.badges import services
from netevents.badges.schemas import BadgeCardSchema
from netevents.events.services import get_organized_event
from netevents.extensions import db, limiter
from netevents.registrations.schemas import RegistrationSchema

blp = Blueprint("badges", __name__, url_prefix="/api/v1", description="Badges and their QR codes",
                template_folder="templates")

_IMAGE_DOC = {"200": {"content": {"image/svg+xml": {"schema": {"type": "string"}},
                                  "image/png": {"schema": {"type": "string", "format": "binary"}}}},
              "304": {"description": "Not modified"}}

#: Badge secrets are unguessable (192 bits); this keeps anyone from even trying at volume.
BADGE_LOOKUP_LIMIT = "60 per minute"


def _image(url: str, image_format: str) -> Response:
    etag = services.badge_etag(url, image_format)
    headers = {"ETag": f'"{etag}"', "Cache-Control": "private, max-age=86400"}
    if etag in request.if_none_match:
        return Response(status=304, headers=headers)
    return Response(services.render_badge_qr(url, image_format), mimetype=services.FORMATS[image_format],
                    headers=headers)


@blp.route("/registrations/<int:registration_id>/badge.<any(svg, png):image_format>", methods=["GET"])
@blp.doc(security=BEARER, responses=_IMAGE_DOC)
def badge_image(registration_id, image_format):
    """The badge QR code as SVG or PNG (its owner or the organizers)"""
    registration = services.registration_for_badge(registration_id, require_user())
    return _image(services.badge_url(registration), image_format)


@blp.route("/registrations/<int:registration_id>/badge/rotate", methods=["POST"])
@blp.doc(security=BEARER)
@blp.response(200, RegistrationSchema)
def rotate_badge(registration_id):
    """Lost badge: issue a new QR code; the old one stops working at once"""
    registration = services.rotate_badge(registration_id, require_user())
    db.session.commit()
    return registration


@blp.route("/badges/<secret>", methods=["GET"])
@limiter.limit(BADGE_LOOKUP_LIMIT)
@blp.response(200, BadgeCardSchema)
def badge_card(secret):
    """The public card behind a badge's QR code"""
    return services.public_card(secret)


@blp.route("/badges/<secret>/qr.svg", methods=["GET"])
@limiter.limit(BADGE_LOOKUP_LIMIT)
@blp.doc(responses=_IMAGE_DOC)
def badge_qr(secret):
    """The badge's QR code, for the badge page (knowing the secret is holding the badge)"""
    return _image(services.badge_url(services.registration_by_secret(secret)), "svg")


@blp.route("/events/<int:event_id>/badges/sheet.html", methods=["GET"])
@blp.doc(security=BEARER, responses={"200": {"content": {"text/html": {"schema": {"type": "string"}}}}})
def badge_sheet(event_id):
    """Printable badges for every confirmed attendee (8 per A4 page)"""
    event = get_organized_event(event_id, require_user())
    return Response(render_template("badge_sheet.html", event=event, badges=services.badge_sheet(event)),
                    mimetype="text/html")
