"""Walk every /api/v1 route as a stranger and as nobody: each is either meant to be open (and says so
below) or refuses, and no answer tells Mallory anything about Bob.

A new route makes this test fail until it is added to ACCESS (who may call it), to PATH_VALUES if it
has a path parameter we have not met yet, and to BODIES if it needs a body: so nobody ships a route
without deciding who may call it.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import Flask
from sqlalchemy import select

from netevents.db import utcnow
from netevents.events.models import Event, EventOrganizer, EventStatus
from netevents.extensions import db
from netevents.registrations.models import Registration

# Who may call an endpoint, besides its event's organizers.
PUBLIC = "public"  # anyone, signed in or not (Mallory still learns nothing about Bob)
PUBLIC_IF_VISIBLE = "public if the event is published"  # anyone, for a published event; a draft is 404
SIGNED_IN = "anyone signed in, about themselves"  # no token: 401; Mallory: her own data only
CAPABILITY = "whoever holds the secret in the URL"  # a badge URL is a credential, like a ticket code
STATION = "a paired door station"  # person tokens are refused
ORGANIZERS = "the event's organizers (or the registrant)"  # everyone else: 401/403/404
REGISTERED = "people confirmed for the event, and its organizers"  # everyone else: 401/403/404

ACCESS = {
    "api-docs.openapi_json": PUBLIC,
    "accounts.signup": PUBLIC,
    "accounts.sign_in": PUBLIC,
    "accounts.request_magic_link": PUBLIC,
    "accounts.redeem_magic_link": PUBLIC,
    "accounts.sign_out": SIGNED_IN,
    "accounts.get_me": SIGNED_IN,
    "accounts.update_me": SIGNED_IN,
    "accounts.delete_me": SIGNED_IN,
    "accounts.export_me": SIGNED_IN,
    "events.list_events": PUBLIC,
    "events.create_event": SIGNED_IN,
    "events.get_event": PUBLIC_IF_VISIBLE,
    "events.get_calendar": PUBLIC_IF_VISIBLE,
    "events.update_event": ORGANIZERS,
    "events.delete_event": ORGANIZERS,
    "events.add_organizer": ORGANIZERS,
    "events.remove_organizer": ORGANIZERS,
    "registrations.register": PUBLIC_IF_VISIBLE,
    "registrations.list_registrations": ORGANIZERS,
    "registrations.import_registrations": ORGANIZERS,
    "registrations.get_registration": ORGANIZERS,
    "registrations.update_registration": ORGANIZERS,
    "registrations.cancel_registration": ORGANIZERS,
    "registrations.my_registrations": SIGNED_IN,
    "checkin.create_station": ORGANIZERS,
    "checkin.list_stations": ORGANIZERS,
    "checkin.renew_pairing_code": ORGANIZERS,
    "checkin.revoke_station": ORGANIZERS,
    "checkin.pair_station": PUBLIC,  # guarded by the one-time code
    "checkin.get_station": STATION,
    "checkin.station_badges": STATION,
    "checkin.station_attendees": STATION,
    "checkin.check_in": ORGANIZERS,
    "checkin.check_in_batch": ORGANIZERS,
    "checkin.undo_check_in": ORGANIZERS,
    "checkin.walk_in": ORGANIZERS,
    "checkin.scan_log": ORGANIZERS,
    "checkin.attendance": ORGANIZERS,
    "checkin.create_poster": ORGANIZERS,
    "checkin.list_posters": ORGANIZERS,
    "checkin.replace_poster": ORGANIZERS,
    "checkin.remove_poster": ORGANIZERS,
    "checkin.check_in_self": SIGNED_IN,  # checks in only oneself: Mallory is not registered, so refused
    "badges.badge_svg": ORGANIZERS,
    "badges.badge_png": ORGANIZERS,
    "badges.rotate_badge": ORGANIZERS,
    "badges.badge_card": CAPABILITY,
    "badges.badge_qr": CAPABILITY,
    "badges.badge_sheet": ORGANIZERS,
    "people.record_exchange": SIGNED_IN,
    "people.record_exchange_batch": SIGNED_IN,
    "people.list_connections": SIGNED_IN,
    "people.connections_vcard": SIGNED_IN,
    "people.connections_csv": SIGNED_IN,
    "people.connection_events": SIGNED_IN,
    "people.get_connection": SIGNED_IN,
    "people.update_connection": SIGNED_IN,
    "people.add_to_exchange": SIGNED_IN,
    "people.remove_connection": SIGNED_IN,
    "people.list_blocks": SIGNED_IN,
    "people.block": SIGNED_IN,
    "people.unblock": SIGNED_IN,
    "people.event_actions": PUBLIC_IF_VISIBLE,
    "people.update_event_actions": ORGANIZERS,
    "people.event_network": ORGANIZERS,
    "mail.event_mail": ORGANIZERS,
    "summary.summary": REGISTERED,
    "follow_ups.follow_up_state": ORGANIZERS,
    "follow_ups.preview_follow_up": ORGANIZERS,
    "follow_ups.send_follow_ups": ORGANIZERS,
    "bingo.get_bingo": ORGANIZERS,  # and the people confirmed for the event
    "bingo.configure_bingo": ORGANIZERS,
    "bingo.start_bingo_round": ORGANIZERS,
    "bingo.end_bingo_round": ORGANIZERS,
    "bingo.bingo_card": REGISTERED,  # one's own card (Alice is not registered: she asks for someone's)
    "bingo.bingo_leaderboard": ORGANIZERS,  # and the people confirmed for the event
    "bingo.bingo_round_summary": ORGANIZERS,  # and the people confirmed for the event, once the round is over
    "people.event_directory": ORGANIZERS,  # and the people confirmed for the event
    "people.event_suggestions": ORGANIZERS,  # and the people confirmed for the event
}

#: Objects a stranger cannot see at all: 404 to her, as if they did not exist.
HIDDEN_FROM_STRANGERS = {"registration_id", "scan_id"}


def refusal(access: str, who: str, rule, event_visible: bool) -> int:
    """The one status that refuses `who` on an endpoint that is not theirs: nobody needs to sign in (401), unless
    the endpoint is open and its event a draft (404); a person's token is not a station's (403); Mallory may know
    that a visible event exists, not act on it (403), and a draft or an object of it she cannot see does not
    exist for her (404)."""
    if who == "nobody":
        return 404 if ACCESS[rule.endpoint] == PUBLIC_IF_VISIBLE else 401
    if access == STATION:
        return 403
    return 404 if not event_visible or HIDDEN_FROM_STRANGERS & set(rule.arguments) else 403


@dataclass
class World:
    """Alice organizes event A (with Carol as co-organizer and a door station); Bob registered and was
    scanned in; Carol registered too and met Bob (an exchange); Mallory is signed in and has nothing to do with any
    of it."""

    event_id: int
    registration_id: int
    co_organizer_id: int
    station_id: int
    scan_id: int
    badge_secret: str
    bob_email: str
    alice_headers: dict
    mallory_email: str
    connection_id: int
    exchange_id: int
    round_id: int
    poster_id: int
    poster_url: str


# Path parameter name -> its value in the world. Extend this when a route brings a new parameter.
PATH_VALUES = {
    "event_id": lambda w: w.event_id,
    "registration_id": lambda w: w.registration_id,
    "user_id": lambda w: w.co_organizer_id,
    "station_id": lambda w: w.station_id,
    "scan_id": lambda w: w.scan_id,
    "secret": lambda w: w.badge_secret,
    "connection_id": lambda w: w.connection_id,
    "exchange_id": lambda w: w.exchange_id,
    "round_id": lambda w: w.round_id,
    "poster_id": lambda w: w.poster_id,
}

# Endpoint -> a valid request body, so that only authorization can stop the request (an invalid body
# would be refused with 422 before the check we mean to test). (content type, data) for non-JSON.
BODIES = {
    "accounts.signup": lambda w: {
        "email": f"new-{secrets.token_hex(4)}@example.org",
        "password": "long enough pw",
        "name": "Newcomer",
    },
    "accounts.sign_in": lambda w: {"email": w.bob_email, "password": "a guess at bob's"},
    "accounts.request_magic_link": lambda w: {"email": w.bob_email},
    "accounts.redeem_magic_link": lambda w: {"code": "ml_not-a-real-code"},
    "accounts.update_me": lambda w: {"headline": "Just me"},
    "events.create_event": lambda w: {
        "kind": "meetup",
        "title": "Mallory's meetup",
        "starts_at": "2031-01-01T18:00:00+00:00",
        "ends_at": "2031-01-01T20:00:00+00:00",
        "timezone": "UTC",
        "venue": "Elsewhere",
    },
    "events.update_event": lambda w: {"title": "Taken over", "status": "cancelled"},
    "events.add_organizer": lambda w: {"email": w.mallory_email},
    "registrations.register": lambda w: {"email": f"walk-{secrets.token_hex(4)}@example.org", "name": "Someone"},
    "registrations.import_registrations": lambda w: ("text/csv", "email,name\nplanted@example.org,Planted\n"),
    "registrations.update_registration": lambda w: {"name": "Renamed by Mallory"},
    "checkin.create_station": lambda w: {"name": "Mallory's door"},
    "checkin.pair_station": lambda w: {"code": "AAAA-BBBB-CC"},
    "checkin.check_in": lambda w: {
        "registration_id": w.registration_id,
        "nonce": secrets.token_hex(8),
        "event_id": w.event_id,
        "direction": "exit",
    },
    "checkin.check_in_batch": lambda w: {
        "scans": [
            {
                "registration_id": w.registration_id,
                "nonce": secrets.token_hex(8),
                "event_id": w.event_id,
                "direction": "exit",
            }
        ]
    },
    "checkin.walk_in": lambda w: {"email": "walkin@example.org", "name": "Walk In"},
    "checkin.create_poster": lambda w: {"name": "Mallory's poster"},
    "checkin.check_in_self": lambda w: {"qr": w.poster_url, "nonce": secrets.token_hex(8)},
    # Mallory scanning Bob's badge: she is not registered for the event, so it is refused (and says nothing of Bob).
    "people.record_exchange": lambda w: {"qr": w.badge_secret, "nonce": secrets.token_hex(8)},
    "people.record_exchange_batch": lambda w: {"exchanges": [{"qr": w.badge_secret, "nonce": secrets.token_hex(8)}]},
    "people.update_connection": lambda w: {"note": "Mallory's note"},
    "people.add_to_exchange": lambda w: {"actions": ["introduced"], "note": "Mallory's note"},
    "people.block": lambda w: {"user_id": w.co_organizer_id},
    "people.update_event_actions": lambda w: {"custom": ["taken_over"]},
    "bingo.configure_bingo": lambda w: {"actions": [f"taken_{i}" for i in range(9)]},
    "bingo.start_bingo_round": lambda w: {},
}

# Query strings some endpoints need to get past validation (a function of the world when they name its objects).
QUERIES = {
    "checkin.station_attendees": {"q": "Bob"},
    "follow_ups.preview_follow_up": lambda w: {"registration_id": w.registration_id},
}


def api_routes(app: Flask):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, sorted(r.methods))):
        if rule.rule.startswith("/api/v1"):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_api_route_is_classified_and_its_parameters_known(app):
    """Fails with what to add when a route is new: decide who may call it, and how to fill its path."""
    unclassified = sorted({rule.endpoint for rule, _ in api_routes(app)} - set(ACCESS))
    unknown_params = sorted(
        {
            f"{name} (in {rule.rule})"
            for rule, _ in api_routes(app)
            for name in rule.arguments
            if name not in PATH_VALUES
        }
    )
    gone = sorted(set(ACCESS) - {rule.endpoint for rule, _ in api_routes(app)})
    problems = []
    if unclassified:
        problems.append(
            "routes nobody decided access for; add each to ACCESS in tests/api/test_authorization.py "
            "(PUBLIC, PUBLIC_IF_VISIBLE, SIGNED_IN, CAPABILITY, STATION, ORGANIZERS or REGISTERED): "
            + ", ".join(unclassified)
        )
    if unknown_params:
        problems.append(
            "path parameters without a value; add each to PATH_VALUES (name -> id of an object of "
            "Alice's world, created in the `world` fixture): " + ", ".join(unknown_params)
        )
    if gone:
        problems.append("ACCESS names endpoints that no longer exist; remove: " + ", ".join(gone))
    assert not problems, "\n".join(problems)


def build_world(client, make, *, status: EventStatus) -> World:
    alice = make.user(name="Alice Organizer", email="alice@example.org")
    alice_headers = make.token(alice)
    soon = utcnow().replace(microsecond=0) + timedelta(minutes=30)  # check-in is open
    event = make.event(alice, title="Alice's Meetup", capacity=10, starts_at=soon, ends_at=soon + timedelta(hours=3))
    carol = make.user(name="Carol Co", email="carol@example.org")
    bob_registration = make.registration(event, name="Bob Attendee", email="bob@example.org")
    station = client.post(f"/api/v1/events/{event.id}/stations", headers=alice_headers, json={"name": "Door A"})
    assert station.status_code == 201, station.json
    scan = client.post(
        "/api/v1/checkins",
        headers=alice_headers,
        json={"registration_id": bob_registration.id, "nonce": "alice-1", "event_id": event.id},
    )
    assert scan.status_code == 200 and scan.json["result"] == "accepted", scan.json
    carol_registration = make.registration(event, name="Carol Co", email="carol@example.org")
    exchange = client.post(
        "/api/v1/exchanges",
        headers=make.token(carol_registration.user),
        json={"qr": bob_registration.badge_secret, "nonce": "carol-1"},
    )
    assert exchange.status_code == 200 and exchange.json["result"] == "recorded", exchange.json
    # Made co-organizer after she met Bob: an organizer holds every badge of the event, and scans none of them.
    client.post(f"/api/v1/events/{event.id}/organizers", headers=alice_headers, json={"email": carol.email})
    bingo_actions = ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge", "a", "b", "c", "d"]
    setup = client.put(f"/api/v1/events/{event.id}/bingo", headers=alice_headers, json={"actions": bingo_actions})
    assert setup.status_code == 200, setup.json
    bingo_round = client.post(f"/api/v1/events/{event.id}/bingo/rounds", headers=alice_headers, json={})
    assert bingo_round.status_code == 201, bingo_round.json
    poster = client.post(f"/api/v1/events/{event.id}/posters", headers=alice_headers, json={"name": "Entrance"})
    assert poster.status_code == 201, poster.json
    if status != EventStatus.published:
        locked = db.session.get(Event, event.id)
        locked.status = status  # straight to the state under test (the API refuses to unpublish with people in)
        db.session.commit()
    mallory = make.user(name="Mallory", email="mallory@example.org")
    return World(
        event_id=event.id,
        registration_id=bob_registration.id,
        co_organizer_id=carol.id,
        station_id=station.json["id"],
        scan_id=scan.json["id"],
        badge_secret=bob_registration.badge_secret,
        bob_email="bob@example.org",
        alice_headers=alice_headers,
        mallory_email=mallory.email,
        connection_id=exchange.json["connection_id"],
        exchange_id=exchange.json["id"],
        round_id=bingo_round.json["id"],
        poster_id=poster.json["poster"]["id"],
        poster_url=poster.json["url"],
    )


def alices_world(world: World) -> dict:
    """What Mallory must not be able to change."""
    db.session.expire_all()
    event = db.session.get(Event, world.event_id)
    bob = db.session.get(Registration, world.registration_id)
    organizers = db.session.scalars(
        select(EventOrganizer.user_id).where(EventOrganizer.event_id == world.event_id).order_by(EventOrganizer.user_id)
    ).all()
    from netevents.bingo.models import BingoRound, BingoSetup
    from netevents.checkin.models import Scan, ScanResult, Station
    from netevents.people.models import ConnectionSide, EventExchangeActions

    station = db.session.get(Station, world.station_id)
    poster = db.session.get(Station, world.poster_id)
    scan = db.session.get(Scan, world.scan_id)
    bingo_setup = db.session.get(BingoSetup, world.event_id)
    bingo_round = db.session.get(BingoRound, world.round_id)
    return {
        "event": (event.title, event.status, event.capacity, event.venue, event.starts_at),
        "bob": (bob.status, bob.name, bob.email, bob.badge_secret, bob.checked_in_at, bob.inside),
        "organizers": organizers,
        "station": (station.name, station.revoked_at, station.token_hash, station.pairing_code_hash),
        "poster": (poster.name, poster.revoked_at, poster.poster_secret_hash),
        "bob_checked_in_by_poster": db.session.scalar(
            select(Scan.id).where(Scan.station_id == world.poster_id, Scan.result == ScanResult.accepted)
        ),
        "scan": (scan.result, scan.undone_at),
        "imported": db.session.scalar(select(Registration.id).where(Registration.email == "planted@example.org")),
        "connection": db.session.execute(
            select(ConnectionSide.user_id, ConnectionSide.note, ConnectionSide.tags, ConnectionSide.removed_at)
            .where(ConnectionSide.connection_id == world.connection_id)
            .order_by(ConnectionSide.user_id)
        ).all(),
        "bingo": (bingo_setup.actions, bingo_setup.size, bingo_round.ends_at, bingo_round.ended_early),
        "exchange_actions": db.session.execute(
            select(EventExchangeActions.custom, EventExchangeActions.labels).where(
                EventExchangeActions.event_id == world.event_id
            )
        ).all(),
    }


def call(client, app, world: World, rule, method: str, headers: dict):
    values = {name: PATH_VALUES[name](world) for name in rule.arguments}
    url = app.url_map.bind("testserver").build(rule.endpoint, values, method=method)
    query = QUERIES.get(rule.endpoint, {})
    kwargs = {"headers": headers, "query_string": query(world) if callable(query) else query}
    body = BODIES.get(rule.endpoint)
    if body is not None:
        body = body(world)
        if isinstance(body, tuple):
            kwargs["content_type"], kwargs["data"] = body
        else:
            kwargs["json"] = body
    return url, client.open(url, method=method, **kwargs)


def walk(client, app, make, world: World, *, event_visible: bool):
    before = alices_world(world)
    failures = []
    # Mallory deleting her own account comes last, so the other calls still have her.
    routes = sorted(api_routes(app), key=lambda route: route[0].endpoint == "accounts.delete_me")
    for rule, method in routes:
        access = ACCESS[rule.endpoint]
        if access == PUBLIC_IF_VISIBLE and not event_visible:
            access = ORGANIZERS
        for who in ("nobody", "Mallory"):
            # A fresh token for each of Mallory's calls: signing out ends only that one.
            headers = make.token(_mallory(world)) if who == "Mallory" else {}
            url, response = call(client, app, world, rule, method, headers)
            status, data = response.status_code, response.get_data()
            where = f"{method} {url} ({rule.endpoint}) as {who}: {status} {data[:200]!r}"
            if status >= 500:
                failures.append(f"server error: {where}")
            if world.bob_email.encode() in data.lower():
                failures.append(f"Bob's email leaked: {where}")
            if access != CAPABILITY and world.badge_secret.encode() in data:
                failures.append(f"Bob's badge secret leaked: {where}")
            if status == 422:
                failures.append(
                    f"refused as invalid before authorization was checked; give it a valid body in "
                    f"BODIES or query in QUERIES: {where}"
                )
                continue
            if access in (ORGANIZERS, REGISTERED, STATION) and status != refusal(access, who, rule, event_visible):
                failures.append(f"expected {refusal(access, who, rule, event_visible)} ({access}): {where}")
            if access in (SIGNED_IN, STATION) and who == "nobody" and status != 401:
                failures.append(f"expected 401 without a token: {where}")
    assert not failures, "\n".join(failures)
    assert alices_world(world) == before, "Mallory or an anonymous caller changed Alice's event"


def _mallory(world: World):
    from netevents.accounts.models import User

    return db.session.scalar(select(User).where(User.email == world.mallory_email))


def test_strangers_and_anonymous_callers_are_refused_on_a_published_event(client, app, make):
    world = build_world(client, make, status=EventStatus.published)
    walk(client, app, make, world, event_visible=True)


def test_strangers_and_anonymous_callers_are_refused_on_a_draft(client, app, make):
    world = build_world(client, make, status=EventStatus.draft)
    walk(client, app, make, world, event_visible=False)


def test_the_world_is_reachable_by_its_organizer(client, app, make):
    """The walk proves refusals mean something: the same calls work for Alice (reads only)."""
    world = build_world(client, make, status=EventStatus.published)
    for rule, method in api_routes(app):
        if method != "GET" or ACCESS[rule.endpoint] not in (ORGANIZERS, PUBLIC_IF_VISIBLE):
            continue
        url, response = call(client, app, world, rule, method, world.alice_headers)
        assert response.status_code == 200, f"GET {url} as Alice: {response.status_code} {response.get_data()[:200]}"
