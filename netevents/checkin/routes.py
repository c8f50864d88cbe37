from flask import Response, request

from netevents.accounts.auth import bearer_token, current_user, require_user
from netevents.checkin import corrections, posters, reports, services, stations
from netevents.checkin.actors import is_station_token, load_event, require_station, scan_actor
from netevents.checkin.budget import refuse_while_spent
from netevents.checkin.models import ScanReason
from netevents.checkin.schemas import (
    AttendanceSchema,
    AttendeeSearchArgsSchema,
    AttendeeSearchSchema,
    BadgeListArgsSchema,
    BadgeListSchema,
    BatchAnswerSchema,
    BatchInputSchema,
    PairedSchema,
    PairSchema,
    PosterInputSchema,
    PosterPageSchema,
    PrintablePosterSchema,
    ScanAnswerSchema,
    ScanInputSchema,
    ScanLogArgsSchema,
    ScanLogPageSchema,
    SelfCheckInInputSchema,
    SelfCheckInSchema,
    StationIdentitySchema,
    StationInputSchema,
    StationPageSchema,
    StationSchema,
    WalkInInputSchema,
    WalkInSchema,
)
from netevents.events.services import get_organized_event
from netevents.extensions import db
from netevents.openapi import Blueprint, Token, access, own_rate_limit, problems, rate_limit
from netevents.registrations import attended
from netevents.schemas import PageArgsSchema

blp = Blueprint("checkin", __name__, url_prefix="/api/v1", description="Door stations, check-in and attendance")


@blp.route("/events/<int:event_id>/stations", methods=["POST"])
@access(Token.organizer)
@blp.arguments(StationInputSchema, example={"name": "Door A"})
@blp.response(201, StationSchema)
def create_station(data, event_id):
    """Create a door station; the answer has its one-time pairing code and QR"""
    station = stations.create_station(event_id, require_user(), data["name"])
    db.session.commit()
    return station


@blp.route("/events/<int:event_id>/stations", methods=["GET"])
@access(Token.organizer)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, StationPageSchema)
def list_stations(args, event_id):
    """The event's stations with their scan counts"""
    return stations.list_stations(event_id, require_user(), **args)


@blp.route("/stations/<int:station_id>/pairing-code", methods=["POST"])
@access(Token.organizer)
@blp.response(200, StationSchema)
def renew_pairing_code(station_id):
    """A fresh pairing code for a station (the phone paired before stops working)"""
    station = stations.renew_pairing_code(station_id, require_user())
    db.session.commit()
    return station


@blp.route("/stations/<int:station_id>", methods=["DELETE"])
@access(Token.organizer)
@blp.response(204)
def revoke_station(station_id):
    """Revoke a station: its token stops working at once"""
    stations.revoke_station(station_id, require_user())
    db.session.commit()


@blp.route("/stations/pair", methods=["POST"])
@access(Token.public)
@rate_limit("10 per minute", "Too many pairing attempts from this address")
@blp.arguments(PairSchema, example={"code": "K7QF-M2XR-P9"})
@blp.response(200, PairedSchema)
def pair_station(data):
    """Pair this phone as a station with the code (or QR) an organizer shows"""
    station, token = stations.pair_station(data["code"])
    db.session.commit()
    station.event = load_event(station.event_id)
    return {"token": token, "station": station}


@blp.route("/station", methods=["GET"])
@access(Token.station)
@blp.response(200, StationIdentitySchema)
def get_station():
    """The station this token belongs to, and its event"""
    station = require_station()
    station.event = load_event(station.event_id)
    return station


@blp.route("/station/badges", methods=["GET"])
@access(Token.station)
@blp.arguments(BadgeListArgsSchema, location="query")
@blp.response(200, BadgeListSchema)
def station_badges(args):
    """The event's badges (secrets hashed) so the door can check people in offline"""
    station = require_station()
    version = reports.badge_list_version(station.event_id)
    if "since" not in args and version in request.if_none_match:
        return Response(status=304, headers={"ETag": f'"{version}"'})
    return reports.badge_list(station.event_id, args.get("since")), 200, {"ETag": f'"{version}"'}


@blp.route("/station/attendees", methods=["GET"])
@access(Token.station)
@blp.arguments(AttendeeSearchArgsSchema, location="query")
@blp.response(200, AttendeeSearchSchema)
def station_attendees(args):
    """Find someone by name at the door (lost badge)"""
    station = require_station()
    return {"items": reports.find_attendees(station.event_id, args["q"])}


#: The budget, as both scan operations document it (checkin/budget.py).
UNKNOWN_BADGE_BUDGET = (
    "60 unknown badges per minute per device (QR codes that name no badge); badges we know, people found by "
    "name and repeated nonces are not counted and never limited. Past it, a QR code naming no badge is refused "
    "with reason too_many_unknown_badges and logged like every refusal: a single scan is then answered 429 with "
    "Retry-After (its nonce sent again: 429 while the budget is spent, then the recorded refusal), a batch is "
    "answered scan by scan as always"
)


#: What a revoked station hears, as both scan operations document it (checkin/actors.py: scan_actor).
REVOKED_STATION = (
    "A revoked station's first request after its revocation is answered scan by scan (station_revoked) and logged, "
    "so the organizers see the phone is still in use; its later ones get 403 station_revoked, and nothing is written."
)


@blp.route("/checkins", methods=["POST"])
@access(Token.any)
@own_rate_limit(UNKNOWN_BADGE_BUDGET)
@problems(404)  # an organizer's event_id that names no event of theirs
@blp.doc(description=REVOKED_STATION)
@blp.arguments(
    ScanInputSchema(),
    example={
        "qr": "https://events.example.org/b/Zr7yJ0m4kQ2x9VbN1sTq3wLd",
        "nonce": "door-a-000123",
        "scanned_at": "2026-12-02T18:42:07+01:00",
        "direction": "entry",
    },
)  # an instance: a class would be instantiated per request
@blp.response(200, ScanAnswerSchema)
def check_in(data):
    """Scan a badge (or check in someone found by name): accepted or rejected, with the reason"""
    actor = scan_actor(data.pop("event_id", None))
    answer = services.perform_checkin(actor, data)
    db.session.commit()
    if answer.reason == ScanReason.too_many_unknown_badges:
        refuse_while_spent(actor.key)  # after the commit: the refusal is in the scan log either way
    return answer


@blp.route("/checkins/batch", methods=["POST"])
@access(Token.any)
@own_rate_limit(UNKNOWN_BADGE_BUDGET)
@problems(404)
@blp.doc(description=REVOKED_STATION)
@blp.arguments(
    BatchInputSchema(),
    example={
        "scans": [
            {"qr": "Zr7yJ0m4kQ2x9VbN1sTq3wLd", "nonce": "door-a-000124", "scanned_at": "2026-12-02T18:43:10+01:00"},
            {"qr": "pW2cE5hS8uY1oI4aR7tF0gKj", "nonce": "door-a-000125", "scanned_at": "2026-12-02T18:43:12+01:00"},
        ]
    },
)
@blp.response(200, BatchAnswerSchema)
def check_in_batch(data):
    """Upload scans made offline; applied in scan-time order, answered in the order sent"""
    event_ids = {scan.pop("event_id", None) for scan in data["scans"]}
    actor = scan_actor(event_ids.pop() if len(event_ids) == 1 else None)
    answers = services.perform_scans(actor, data["scans"])
    db.session.commit()
    return {"results": answers}


@blp.route("/checkins/<int:scan_id>/undo", methods=["POST"])
@access(Token.any)
@blp.doc(
    description="Another station of the event gets 403 undo_not_allowed, saying where the scan was made; a scan "
    "of another event is 404."
)
@blp.response(200, ScanAnswerSchema)
def undo_check_in(scan_id):
    """Undo a mistaken scan (the station that made it, or an organizer)"""
    station = require_station() if is_station_token(bearer_token()) else None
    answer = corrections.undo_scan(scan_id, station=station, user=None if station else require_user())
    db.session.commit()
    return answer


@blp.route("/events/<int:event_id>/posters", methods=["POST"])
@access(Token.organizer)
@blp.arguments(PosterInputSchema, example={"name": "Main entrance"})
@blp.response(201, PrintablePosterSchema)
def create_poster(data, event_id):
    """Make a self check-in poster for an entrance; the answer has its QR code and URL, once"""
    printable = posters.create_poster(event_id, require_user(), data["name"])
    db.session.commit()
    return printable


@blp.route("/events/<int:event_id>/posters", methods=["GET"])
@access(Token.organizer)
@blp.arguments(PageArgsSchema, location="query")
@blp.response(200, PosterPageSchema)
def list_posters(args, event_id):
    """The event's self check-in posters with their scan counts"""
    return posters.list_posters(event_id, require_user(), **args)


@blp.route("/posters/<int:poster_id>/replace", methods=["POST"])
@access(Token.organizer)
@blp.response(200, PrintablePosterSchema)
def replace_poster(poster_id):
    """A new print of a poster: a new QR code, once; the old print answers poster_replaced"""
    printable = posters.replace_poster(poster_id, require_user())
    db.session.commit()
    return printable


@blp.route("/posters/<int:poster_id>", methods=["DELETE"])
@access(Token.organizer)
@blp.response(204)
def remove_poster(poster_id):
    """Remove a poster: its QR code checks nobody in from now on (poster_removed)"""
    posters.remove_poster(poster_id, require_user())
    db.session.commit()


def _person() -> str:
    user = current_user()
    return f"person:{user.id}" if user else "person:?"


@blp.route("/checkins/self", methods=["POST"])
@access(Token.attendee)
@rate_limit("30 per minute", "Too many check-ins at a poster from your account", per=_person)
@blp.arguments(
    SelfCheckInInputSchema,
    example={
        "qr": "https://events.example.org/p/Hq3vN8sK1mZ0xW5tR2yB7cLd",
        "nonce": "self-7f3a9c",
        "scanned_at": "2026-12-02T18:42:07+01:00",
    },
)
@blp.response(200, SelfCheckInSchema)
def check_in_self(data):
    """Check yourself in by scanning the venue's poster: as a door station would (same rules, scan log, counts)"""
    checkin = services.perform_self_checkin(require_user(), data)
    db.session.commit()
    return checkin


@blp.route("/events/<int:event_id>/walk-ins", methods=["POST"])
@access(Token.any)
@blp.doc(
    description="Only while the event's check-in is open: otherwise 409 outside_window, saying when walk-ins open. "
    "Someone registered for the event already (and not cancelled) gets 409 already_registered with "
    "their `registration_id` in the problem, to check them in by it; someone who cannot be registered by the "
    "event's organizers, 422 cannot_register_person. The registration carries the name typed at the door, and the "
    "answer only what the door sent. With a `nonce`, a walk-in sent again is answered as the first time."
)
@blp.arguments(WalkInInputSchema)
@blp.response(201, WalkInSchema)
def walk_in(data, event_id):
    """Register someone at the door and check them in at once"""
    walk_in = corrections.register_walk_in(scan_actor(event_id), data)
    db.session.commit()
    return walk_in


@blp.route("/events/<int:event_id>/checkins", methods=["GET"])
@access(Token.organizer)
@blp.arguments(ScanLogArgsSchema, location="query")
@blp.response(200, ScanLogPageSchema)
# Same status, second content type; a doc(responses={"200": ...}) would replace the JSON one.
@blp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True)
def scan_log(args, event_id):
    """The scan log: every scan, accepted or not (filter, page, or CSV)"""
    event = get_organized_event(event_id, require_user())
    if args.pop("format") == "csv":
        args.pop("page"), args.pop("per_page")
        return reports.scan_log_csv(event, reports.scan_log_query(event, **args))
    return reports.scan_log_page(event, **args)


@blp.route("/events/<int:event_id>/attendance", methods=["GET"])
@access(Token.organizer)
@blp.response(200, AttendanceSchema)
@blp.doc(description=attended.DESCRIPTION)
def attendance(event_id):
    """Live attendance: registered, checked in, inside now, no-shows, per station, arrivals per 5 minutes"""
    return reports.attendance(get_organized_event(event_id, require_user()))
