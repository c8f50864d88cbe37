"""Venue posters, as organizers make them: one per entrance, its QR code shown once, replaced or removed."""

import pytest
from sqlalchemy import select

from netevents.checkin.badge_qr import badge_secret_from_qr, poster_secret_from_qr
from netevents.checkin.models import ReplacedPoster, Station, StationKind
from netevents.extensions import db
from netevents.tokens import hash_token
from tests.checkin.conftest import check_in_self, new_poster


def test_a_poster_is_answered_once_with_its_qr_code_and_only_its_hash_is_kept(client, make, event_now):
    printable = new_poster(client, make, event_now, "Main entrance")
    secret = printable["secret"]
    assert printable["url"] == f"http://testserver/p/{secret}"
    assert printable["qr_svg"].lstrip().startswith("<?xml") and "<svg" in printable["qr_svg"]
    assert printable["poster"]["name"] == "Main entrance" and printable["poster"]["removed_at"] is None
    assert len(secret) >= 32  # 192 bits
    station = db.session.get(Station, printable["poster"]["id"])
    assert station.kind == StationKind.poster
    assert station.poster_secret_hash == hash_token(secret)
    assert station.token_hash is None and station.pairing_code_hash is None

    listed = client.get(f"/api/v1/events/{event_now.id}/posters", headers=make.token(event_now.owner))
    assert listed.status_code == 200
    [item] = listed.json["items"]
    assert item["name"] == "Main entrance" and item["accepted_count"] == 0
    assert secret not in listed.get_data(as_text=True)


def test_posters_and_door_stations_are_listed_apart(client, make, event_now, door):
    new_poster(client, make, event_now, "Side entrance")
    headers = make.token(event_now.owner)
    stations = client.get(f"/api/v1/events/{event_now.id}/stations", headers=headers).json["items"]
    posters = client.get(f"/api/v1/events/{event_now.id}/posters", headers=headers).json["items"]
    assert [s["name"] for s in stations] == ["Door A"]
    assert [p["name"] for p in posters] == ["Side entrance"]


def test_a_poster_is_not_a_door_station_and_a_door_station_is_not_a_poster(client, make, event_now, door):
    poster = new_poster(client, make, event_now)["poster"]
    headers = make.token(event_now.owner)
    assert client.post(f"/api/v1/stations/{poster['id']}/pairing-code", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/stations/{poster['id']}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/posters/{door.station.id}/replace", headers=headers).status_code == 404
    assert client.delete(f"/api/v1/posters/{door.station.id}", headers=headers).status_code == 404


def test_the_poster_secret_is_no_station_token(client, make, event_now):
    secret = new_poster(client, make, event_now)["secret"]
    for token in (secret, f"st_{secret}"):
        answer = client.get("/api/v1/station", headers={"Authorization": f"Bearer {token}"})
        assert answer.status_code == 401


def test_replacing_a_poster_gives_a_new_qr_code_and_voids_the_old_one(client, make, event_now):
    first = new_poster(client, make, event_now, "Main entrance")
    poster_id = first["poster"]["id"]
    replaced = client.post(f"/api/v1/posters/{poster_id}/replace", headers=make.token(event_now.owner))
    assert replaced.status_code == 200
    assert replaced.json["poster"]["id"] == poster_id and replaced.json["poster"]["name"] == "Main entrance"
    assert replaced.json["secret"] != first["secret"]
    old_hash = db.session.scalar(select(ReplacedPoster.secret_hash).where(ReplacedPoster.station_id == poster_id))
    assert old_hash == hash_token(first["secret"])

    attendee = make.registration(event_now, name="Ada")
    headers = make.token(attendee.user)
    old = check_in_self(client, headers, first["url"])
    assert old.json["checkin"]["reason"] == "poster_replaced"
    new = check_in_self(client, headers, replaced.json["url"])
    assert new.json["checkin"]["result"] == "accepted"


def test_a_removed_poster_checks_nobody_in_and_cannot_be_replaced(client, make, event_now):
    printable = new_poster(client, make, event_now)
    poster_id = printable["poster"]["id"]
    headers = make.token(event_now.owner)
    assert client.delete(f"/api/v1/posters/{poster_id}", headers=headers).status_code == 204
    assert client.delete(f"/api/v1/posters/{poster_id}", headers=headers).status_code == 204  # already removed
    [listed] = client.get(f"/api/v1/events/{event_now.id}/posters", headers=headers).json["items"]
    assert listed["removed_at"] is not None
    refused = client.post(f"/api/v1/posters/{poster_id}/replace", headers=headers)
    assert refused.status_code == 409 and refused.json["reason"] == "poster_removed"

    attendee = make.registration(event_now, name="Ada")
    answer = check_in_self(client, make.token(attendee.user), printable["url"])
    assert answer.json["checkin"]["reason"] == "poster_removed"


def test_only_the_events_organizers_manage_its_posters(client, make, event_now):
    poster_id = new_poster(client, make, event_now)["poster"]["id"]
    mallory = make.token(make.user(name="Mallory"))
    assert client.post(f"/api/v1/events/{event_now.id}/posters", headers=mallory, json={"name": "X"}).status_code == 403
    # A published event is no secret: she may know it exists, not act on it (as for its door stations).
    assert client.post(f"/api/v1/posters/{poster_id}/replace", headers=mallory).status_code == 403
    assert client.delete(f"/api/v1/posters/{poster_id}", headers=mallory).status_code == 403
    assert db.session.get(Station, poster_id).revoked_at is None


def test_a_poster_needs_a_name(client, make, event_now):
    answer = client.post(
        f"/api/v1/events/{event_now.id}/posters", headers=make.token(event_now.owner), json={"name": "  "}
    )
    assert answer.status_code == 422 and "name" in answer.json["errors"]


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("https://events.example.org/p/Hq3vN8sK1mZ0xW5tR2yB7cLd", "Hq3vN8sK1mZ0xW5tR2yB7cLd"),
        ("http://old-host:8000/netevents/p/Hq3vN8sK1mZ0xW5tR2yB7cLd/", "Hq3vN8sK1mZ0xW5tR2yB7cLd"),
        ("  Hq3vN8sK1mZ0xW5tR2yB7cLd\n", "Hq3vN8sK1mZ0xW5tR2yB7cLd"),
        ("https://events.example.org/b/Hq3vN8sK1mZ0xW5tR2yB7cLd", None),
        ("ftp://events.example.org/p/Hq3vN8sK1mZ0xW5tR2yB7cLd", None),
        ("https://events.example.org/p/short", None),
        ("not a poster", None),
    ],
)
def test_the_poster_secret_is_read_from_its_url_on_any_address(text, secret):
    assert poster_secret_from_qr(text) == secret


def test_a_poster_url_is_no_badge():
    assert badge_secret_from_qr("https://events.example.org/p/Hq3vN8sK1mZ0xW5tR2yB7cLd") is None
