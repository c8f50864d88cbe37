import csv
import io

from netevents.extensions import db


def test_organizer_creates_a_station_and_a_phone_pairs_once_with_its_code(client, event_now, make):
    owner = make.token(event_now.owner)
    created = client.post(f"/api/v1/events/{event_now.id}/stations", json={"name": "Door A"}, headers=owner)
    assert created.status_code == 201
    station = created.json
    assert station["status"] == "unpaired" and len(station["pairing_code"]) == 12
    assert station["pairing_url"].endswith(f"/door#pair={station['pairing_code']}")
    assert station["pairing_qr_svg"].lstrip().startswith("<")
    listed = client.get(f"/api/v1/events/{event_now.id}/stations", headers=owner).json["items"]
    assert listed[0]["pairing_code"] is None  # shown once
    # Typed on a phone: lower case, without dashes, still pairs.
    paired = client.post("/api/v1/stations/pair", json={"code": station["pairing_code"].replace("-", "").lower()})
    assert paired.status_code == 200
    token = paired.json["token"]
    assert paired.json["station"]["event"]["id"] == event_now.id
    me = client.get("/api/v1/station", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["name"] == "Door A" and me.json["status"] == "paired"
    reused = client.post("/api/v1/stations/pair", json={"code": station["pairing_code"]})
    assert reused.status_code == 400 and reused.json["reason"] == "invalid_pairing_code"


def test_a_new_pairing_code_replaces_the_old_phone(client, event_now, make):
    owner = make.token(event_now.owner)
    station = client.post(f"/api/v1/events/{event_now.id}/stations", json={"name": "Door A"}, headers=owner).json
    old_token = client.post("/api/v1/stations/pair", json={"code": station["pairing_code"]}).json["token"]
    renewed = client.post(f"/api/v1/stations/{station['id']}/pairing-code", headers=owner).json
    assert client.get("/api/v1/station", headers={"Authorization": f"Bearer {old_token}"}).status_code == 401
    new_token = client.post("/api/v1/stations/pair", json={"code": renewed["pairing_code"]}).json["token"]
    assert client.get("/api/v1/station", headers={"Authorization": f"Bearer {new_token}"}).status_code == 200


def test_only_the_events_organizers_manage_its_stations(client, event_now, make):
    mallory = make.token(make.user(name="Mallory"))
    assert (
        client.post(f"/api/v1/events/{event_now.id}/stations", json={"name": "X"}, headers=mallory).status_code == 403
    )
    owner = make.token(event_now.owner)
    station = client.post(f"/api/v1/events/{event_now.id}/stations", json={"name": "Door A"}, headers=owner).json
    assert client.delete(f"/api/v1/stations/{station['id']}", headers=mallory).status_code == 403
    assert client.post(f"/api/v1/stations/{station['id']}/pairing-code", headers=mallory).status_code == 403
    assert client.get(f"/api/v1/events/{event_now.id}/stations", headers=mallory).status_code == 403


def test_a_station_token_is_not_a_person(client, door):
    """A door station's token is valid, and it only scans: 403 in words, before any body is read."""
    for response in (
        client.get("/api/v1/me", headers=door.headers),
        client.post("/api/v1/events", headers=door.headers, json={}),
        client.get(f"/api/v1/events/{door.event.id}/attendance", headers=door.headers),
    ):
        assert response.status_code == 403, response.json
        assert response.json["reason"] == "station_only_scans"
        assert "A door station can only scan" in response.json["detail"]


def test_station_counts_and_attendance_per_station(client, door, make):
    from tests.checkin.conftest import Door, badge

    door_b = Door(client, door.event, name="Door B")
    people = [make.registration(door.event, name=f"P{i}") for i in range(5)]
    for person in people[:3]:
        door.scan(badge(person))
    door_b.scan(badge(people[3]))
    door_b.scan(badge(people[0]))  # already in
    door_b.scan("garbage")
    figures = client.get(f"/api/v1/events/{door.event.id}/attendance", headers=make.token(door.event.owner)).json
    assert (figures["registered"], figures["checked_in"], figures["inside_now"], figures["no_shows"]) == (5, 4, 4, 1)
    per_station = {s["name"]: (s["accepted"], s["rejected"]) for s in figures["stations"]}
    assert per_station == {"Door A": (3, 0), "Door B": (1, 2)}
    assert sum(bucket["count"] for bucket in figures["arrivals"]) == 4
    log_a = client.get(
        f"/api/v1/events/{door.event.id}/checkins",
        query_string={"station_id": door.station.id},
        headers=make.token(door.event.owner),
    ).json
    assert log_a["total"] == 3
    rejected = client.get(
        f"/api/v1/events/{door.event.id}/checkins",
        query_string={"result": "rejected"},
        headers=make.token(door.event.owner),
    ).json
    assert {e["reason"] for e in rejected["items"]} == {"already_checked_in", "unknown_badge"}
    csv_text = client.get(
        f"/api/v1/events/{door.event.id}/checkins?format=csv", headers=make.token(door.event.owner)
    ).get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(csv_text)))
    assert rows[0][:2] == ["id", "scanned_at"] and len(rows) == 7
    db.session.rollback()


def test_arrivals_are_bucketed_per_five_minutes_with_gaps_filled(client, door, make):
    from datetime import timedelta

    from tests.checkin.conftest import badge

    # Buckets are 5 clock minutes; start from one, or the first three arrivals may straddle two of them.
    bucket = int(door.event.starts_at.timestamp()) // 300 * 300 + 300
    start = door.event.starts_at + timedelta(seconds=bucket - door.event.starts_at.timestamp())
    times = [start + timedelta(minutes=m) for m in (1, 2, 3, 16)]
    for person_time in times:
        person = make.registration(door.event)
        door.scan(badge(person), scanned_at=person_time.isoformat())
    arrivals = client.get(f"/api/v1/events/{door.event.id}/attendance", headers=make.token(door.event.owner)).json[
        "arrivals"
    ]
    assert [bucket["count"] for bucket in arrivals] == [3, 0, 0, 1]
