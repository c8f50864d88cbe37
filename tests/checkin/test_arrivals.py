"""A person's arrival is their earliest entry scan, whatever order scans reach the server in; undo follows the order
scans were applied in; station counts leave undone scans out."""

from datetime import timedelta

from netevents.db import utcnow
from netevents.extensions import db
from tests.checkin.conftest import Door, badge, nonce


def attendance(door, make) -> dict:
    return door.client.get(f"/api/v1/events/{door.event.id}/attendance", headers=make.token(door.event.owner)).json


def test_an_offline_scan_older_than_the_online_check_in_becomes_the_arrival(client, door, make):
    door_b = Door(client, door.event, name="Door B")
    ada = make.registration(door.event, name="Ada")
    online_at = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    offline_at = online_at - timedelta(minutes=10)
    assert door_b.scan(badge(ada), scanned_at=online_at.isoformat()).json["result"] == "accepted"

    # Door A let Ada in while offline, ten minutes earlier; its queue arrives now.
    [late] = door.batch([{"qr": badge(ada), "nonce": nonce(), "scanned_at": offline_at.isoformat()}]).json["results"]
    # Still one accepted entry per arrival (of racing scans exactly one is accepted) ...
    assert late["result"] == "rejected" and late["reason"] == "already_checked_in"
    # ... but the earliest arrival wins: this scan is when and where she came in.
    assert late["first_checkin"] == {
        "at": offline_at.astimezone(door.event.zone).isoformat(),
        "station_name": "Door A",
    }
    assert "this earlier scan" in late["message"] and "arrival time" in late["message"]
    db.session.refresh(ada)
    assert (ada.checked_in_at, ada.checked_in_station, ada.inside) == (offline_at, "Door A", True)

    # A scan between the two changes nothing; the next door hears the earliest arrival.
    between = door.batch(
        [{"qr": badge(ada), "nonce": nonce(), "scanned_at": (offline_at + timedelta(minutes=2)).isoformat()}]
    )
    assert between.json["results"][0]["first_checkin"]["station_name"] == "Door A"
    again = door_b.scan(badge(ada)).json
    assert again["reason"] == "already_checked_in" and again["first_checkin"]["station_name"] == "Door A"
    db.session.refresh(ada)
    assert ada.checked_in_at == offline_at

    figures = attendance(door, make)
    assert (figures["checked_in"], figures["inside_now"]) == (1, 1)
    assert sum(bucket["count"] for bucket in figures["arrivals"]) == 1
    assert figures["arrivals"][0]["at"] <= offline_at.astimezone(door.event.zone).isoformat()


def test_an_old_offline_entry_of_someone_who_left_moves_the_arrival_too(client, door, make):
    door_b = Door(client, door.event, name="Door B")
    ada = make.registration(door.event, name="Ada")
    online_at = utcnow().replace(microsecond=0) - timedelta(minutes=5)
    door_b.scan(badge(ada), scanned_at=online_at.isoformat())
    door_b.scan(badge(ada), direction="exit")
    offline_at = online_at - timedelta(minutes=10)
    [late] = door.batch([{"qr": badge(ada), "nonce": nonce(), "scanned_at": offline_at.isoformat()}]).json["results"]
    assert late["result"] == "accepted"
    db.session.refresh(ada)
    assert (ada.checked_in_at, ada.checked_in_station) == (offline_at, "Door A")


def test_a_later_entry_never_moves_the_arrival(door, make):
    ada = make.registration(door.event, name="Ada")
    first_at = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    door.scan(badge(ada), scanned_at=first_at.isoformat())
    door.scan(badge(ada), direction="exit", scanned_at=(first_at + timedelta(minutes=1)).isoformat())
    assert door.scan(badge(ada)).json["result"] == "accepted"  # back in, later
    db.session.refresh(ada)
    assert ada.checked_in_at == first_at


def test_station_counts_leave_undone_scans_out(client, door, make):
    owner = make.token(door.event.owner)
    ada, bob = make.registration(door.event, name="Ada"), make.registration(door.event, name="Bob")
    mistaken = door.scan(badge(ada)).json
    door.scan(badge(bob))
    door.scan("not a badge")
    assert client.post(f"/api/v1/checkins/{mistaken['id']}/undo", headers=door.headers).status_code == 200
    [station] = client.get(f"/api/v1/events/{door.event.id}/stations", headers=owner).json["items"]
    assert (station["accepted_count"], station["rejected_count"]) == (1, 1)
    assert station["last_scan_at"] is not None
    [per_station] = attendance(door, make)["stations"]
    assert (per_station["accepted"], per_station["rejected"]) == (1, 1)
    # The log still has the undone scan, marked as such.
    log = client.get(f"/api/v1/events/{door.event.id}/checkins", headers=owner).json
    assert log["total"] == 3 and [entry["id"] for entry in log["items"] if entry["undone_at"]] == [mistaken["id"]]


def test_undo_follows_the_order_a_batch_was_applied_in_not_its_nonces(client, door, make):
    ada = make.registration(door.event, name="Ada")
    base = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    # Applied in scan-time order: entry, then exit; the nonces sort the other way round.
    entry, exit_ = door.batch(
        [
            {"qr": badge(ada), "nonce": "zz-entry", "scanned_at": base.isoformat()},
            {
                "qr": badge(ada),
                "nonce": "aa-exit",
                "scanned_at": (base + timedelta(minutes=1)).isoformat(),
                "direction": "exit",
            },
        ]
    ).json["results"]
    assert (entry["result"], exit_["result"]) == ("accepted", "accepted")
    assert client.post(f"/api/v1/checkins/{entry['id']}/undo", headers=door.headers).json["reason"] == "not_undoable"
    assert client.post(f"/api/v1/checkins/{exit_['id']}/undo", headers=door.headers).status_code == 200
    db.session.refresh(ada)
    assert ada.inside is True
    assert client.post(f"/api/v1/checkins/{entry['id']}/undo", headers=door.headers).status_code == 200
    db.session.refresh(ada)
    assert (ada.inside, ada.checked_in_at) == (False, None)
