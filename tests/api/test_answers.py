"""Answers a client can rely on: who you are is settled before what you sent (401 before any 422, in every
operation the document says needs a token), a valid token of the wrong kind is 403 in words, and a refusal
says what to do: 405 with Allow, 429 with what was limited and when to try again. Every answer of the suite
is also checked against tests/answer_rules.py (nosniff, Retry-After only on 429 and 503, WWW-Authenticate on
401, one title per reason, no `_schema` in errors, a 204 without body headers)."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import update

from netevents import create_app
from netevents.accounts.models import AccessToken
from netevents.config import TestConfig as AppTestConfig
from netevents.db import utcnow
from netevents.errors import title_for
from netevents.events.models import EventStatus
from netevents.extensions import db, limiter
from netevents.openapi import TOKEN, Token
from tests.checkin.conftest import Door

METHODS = ("get", "put", "post", "patch", "delete")


def operations(client, *tokens: Token):
    """(method, path with made-up ids) of every operation of the served document that takes one of `tokens`."""
    document = client.get("/api/v1/openapi.json").json
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item and item[method][TOKEN] in tokens:
                yield method, re.sub(r"\{[^}]+\}", "1", path)


def send(client, method: str, path: str, headers: dict | None = None):
    """An empty JSON object where a body goes: the kind of request that used to get a 422 listing fields."""
    body = {"json": {}} if method in ("post", "put", "patch") else {}
    return client.open(path, method=method.upper(), headers=headers or {}, **body)


def test_without_a_token_every_protected_operation_is_401_before_its_body_is_read(client):
    tried = 0
    for method, path in operations(client, Token.attendee, Token.organizer, Token.station, Token.any):
        for headers, challenge in (
            ({}, 'Bearer realm="netevents"'),
            ({"Authorization": "Bearer at_not-a-token"}, 'Bearer realm="netevents", error="invalid_token"'),
        ):
            response = send(client, method, path, headers)
            where = f"{method.upper()} {path} with {headers or 'no token'}"
            assert response.status_code == 401, f"{where}: {response.status_code} {response.json}"
            assert response.json["reason"] == "unauthorized" and "errors" not in response.json, where
            assert response.headers["WWW-Authenticate"] == challenge, where
        tried += 1
    assert tried > 40  # the document's operations were found


@pytest.fixture
def door(client, make):
    return Door(client, make.event())


def test_a_door_stations_token_on_a_persons_operation_is_403_saying_it_only_scans(client, door):
    tried = 0
    for method, path in operations(client, Token.attendee, Token.organizer):
        response = send(client, method, path, door.headers)
        where = f"{method.upper()} {path}"
        assert response.status_code == 403, f"{where}: {response.status_code} {response.json}"
        assert response.json["reason"] == "station_only_scans", where
        assert response.json["detail"].startswith("A door station can only scan badges"), where
        assert 'error="insufficient_scope"' in response.headers["WWW-Authenticate"], where
        tried += 1
    assert tried > 30


def test_a_persons_token_on_a_stations_operation_is_403_saying_what_it_is_for(client, make):
    headers = make.token(make.user())
    tried = 0
    for method, path in operations(client, Token.station):
        response = send(client, method, path, headers)
        assert response.status_code == 403 and response.json["reason"] == "station_token_needed", path
        assert "paired door station" in response.json["detail"], path
        tried += 1
    assert tried == 3


def test_a_revoked_station_still_reaches_its_views_which_say_it_was_revoked(client, door, make):
    client.delete(f"/api/v1/stations/{door.station.id}", headers=make.token(door.event.owner))
    response = client.get("/api/v1/station", headers=door.headers)
    assert response.status_code == 403 and response.json["reason"] == "station_revoked"
    assert client.get("/api/v1/me", headers=door.headers).json["reason"] == "station_only_scans"


def test_a_405_says_which_methods_the_address_takes(client):
    response = client.put("/api/v1/events")
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "POST", "HEAD", "OPTIONS"}
    assert response.json["detail"].startswith("PUT is not allowed here; this address takes ")
    assert "GET" in response.json["detail"] and "POST" in response.json["detail"]


def test_a_204_has_no_body_and_no_body_type(client, make):
    response = client.delete("/api/v1/auth/token", headers=make.token(make.user()))
    assert response.status_code == 204
    assert response.get_data() == b"" and "Content-Type" not in response.headers
    assert "Content-Length" not in response.headers


def test_a_whole_object_that_is_not_valid_is_named_by_its_field_not_an_internal_key(client, make):
    response = client.patch("/api/v1/me", headers=make.token(make.user()), json={"sharing": "everyone"})
    assert response.status_code == 422 and list(response.json["errors"]) == ["sharing"]
    batch = client.post("/api/v1/exchanges/batch", headers=make.token(make.user()), json={"exchanges": [1]})
    assert batch.status_code == 422 and list(batch.json["errors"]) == ["exchanges.0"]


def test_each_reason_has_one_title_whoever_answers_it(client, make):
    """404s from Werkzeug (no route), from a service (NotFound) and from the database (an id out of range) once
    had three spellings; a domain reason reads as itself."""
    headers = make.token(make.user())
    answers = [
        client.get("/api/v1/no-such-thing"),
        client.get("/api/v1/events/999999"),
        client.get(f"/api/v1/events/{2**40}", headers=headers),
        client.put("/api/v1/events"),
        client.post("/api/v1/events", json={}),
    ]
    titles = {(answer.json["reason"], answer.json["title"]) for answer in answers}
    assert titles == {
        ("not_found", "Not found"),
        ("method_not_allowed", "Method not allowed"),
        ("unauthorized", "Unauthorized"),
    }
    assert title_for("station_only_scans") == "Station only scans"


@pytest.fixture
def limited_client(database_url, instance_path, monkeypatch):
    """A client of an app with rate limiting on (the test app has it off), on the same database."""
    config = AppTestConfig(instance_path, database_url)
    config.RATELIMIT_ENABLED = True
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # the extension object is shared: put it back after
    limited = create_app(config)
    limiter.reset()
    yield limited.test_client()
    limiter.reset()
    with limited.app_context():
        db.engine.dispose()


def test_a_429_says_what_was_limited_and_when_to_try_again(app, limited_client):
    db.session.commit()
    # Each guess names another account, so only this address's limit counts (one account has its own, smaller).
    answers = [
        limited_client.post("/api/v1/auth/token", json={"email": f"nobody{n}@example.org", "password": "not it"})
        for n in range(21)
    ]
    assert [answer.status_code for answer in answers] == [401] * 20 + [429]
    refused = answers[-1]
    seconds = int(refused.headers["Retry-After"])
    assert 1 <= seconds <= 60
    assert refused.json["detail"] == f"Too many sign-in attempts from this address: try again in {seconds} seconds."
    assert refused.json["title"] == "Too many requests"
    # Only the refusal says when to come back; the answers before it carry the limit's own headers.
    assert all("Retry-After" not in answer.headers for answer in answers[:-1])
    # The headers speak of one of the operation's limits (this address's 20, or the account's 10, a minute).
    assert answers[0].headers["X-RateLimit-Limit"] in {"20", "10"}


BAD_BODIES = [
    ("application/json", b"{"),
    ("application/json", b"{}"),
    ("application/json", b'{"no_such_field": 1}'),
    ("text/plain", b"hello"),
    (None, b""),
]


def organizer_operations_of_an_event(client):
    """(method, path template) of every operation on /events/{event_id}/... that an event's organizers run."""
    document = client.get("/api/v1/openapi.json").json
    for path, item in document["paths"].items():
        for method in METHODS:
            if method in item and "{event_id}" in path and item[method][TOKEN] in (Token.organizer, Token.any):
                yield method, path


def test_who_you_are_comes_before_what_you_sent_on_every_organizer_operation_of_an_event(client, make):
    """Another event's organizer, an attendee and a station of another event get 403 (404 for a draft) on an
    event's organizer operations, whatever body they send: never a 400, 415 or 422 that would tell them the
    operation's fields before they may use it."""
    owner = make.user(name="Olivia Owner")
    published, draft = make.event(owner), make.event(owner, status=EventStatus.draft)
    attendee = make.user(name="Ada Attendee", email="ada@example.org")
    make.registration(published, email="ada@example.org")
    other_organizer = make.user(name="Mallory Organizer")
    other_door = Door(client, make.event(other_organizer))
    callers = {
        "attendee": make.token(attendee),
        "another event's organizer": make.token(other_organizer),
        "another event's station": other_door.headers,
    }
    tried = 0
    for method, template in organizer_operations_of_an_event(client):
        token = client.get("/api/v1/openapi.json").json["paths"][template][method][TOKEN]
        for event, expected in ((published, 403), (draft, 404)):
            path = re.sub(r"\{[^}]+\}", "1", template.replace("{event_id}", str(event.id)))
            for who, headers in callers.items():
                if who.endswith("station") and token != Token.any:
                    continue  # a station on a person's operation: station_only_scans, tested above
                for content_type, body in BAD_BODIES:
                    response = client.open(
                        path, method=method.upper(), headers=headers, data=body, content_type=content_type
                    )
                    where = f"{method.upper()} {template} on a {event.status.value} event as {who}, body {body!r}"
                    wanted = 403 if who.endswith("station") else expected  # paired to another event
                    assert response.status_code == wanted, f"{where}: {response.status_code} {response.json}"
                    assert "errors" not in response.json, where
                    tried += 1
    assert tried > 200  # the document's operations were found


def test_where_a_token_is_optional_a_bad_one_is_401_and_a_stations_403_not_anonymous(client, make):
    """A mistyped, expired or revoked token, or a door's, on an operation that works without one is refused, so a
    client never registers someone anonymously, or sees less, believing it is signed in."""
    event = make.event()
    door = Door(client, event)
    expired_user = make.user(name="Eve Expired")
    expired = make.token(expired_user)
    db.session.execute(update(AccessToken).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    tried = 0
    for method, path in operations(client, Token.optional):
        path = path.replace("/events/1", f"/events/{event.id}")
        sent = ("Bearer ne_bogus", "Bearer   ", "Basic YTpi", "Token abc")  # no bearer token is not no header
        for headers in (*({"Authorization": value} for value in sent), expired):
            response = send(client, method, path, headers)
            where = f"{method.upper()} {path} with {headers}"
            assert response.status_code == 401, f"{where}: {response.status_code} {response.json}"
            assert response.json["reason"] == "unauthorized" and "errors" not in response.json, where
            assert response.headers["WWW-Authenticate"].startswith("Bearer"), where
        response = send(client, method, path, door.headers)
        assert response.status_code == 403, f"{method.upper()} {path} as a station: {response.status_code}"
        assert response.json["reason"] == "station_only_scans", path
        tried += 1
    assert tried >= 5
    registered = client.post(
        f"/api/v1/events/{event.id}/registrations",
        headers={"Authorization": "Bearer ne_bogus"},
        json={"name": "Ann Onymous", "email": "ann@example.org"},
    )
    assert registered.status_code == 401
    assert client.get(f"/api/v1/events/{event.id}").status_code == 200  # without a token: as anyone
