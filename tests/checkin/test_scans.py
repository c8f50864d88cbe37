"""The check-in contract of PRODUCT.md, through HTTP, one rule per test."""

import random
from datetime import timedelta

from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from netevents.checkin.models import Scan
from netevents.db import utcnow
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.signals import checked_in
from tests.checkin.conftest import Door, badge, nonce
from tests.mail.reading import recipient


def scan_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Scan))


def test_a_good_badge_is_welcomed_by_name(door, make):
    ada = make.registration(door.event, name="Ada Lovelace")
    response = door.scan(badge(ada))
    assert response.status_code == 200
    answer = response.json
    assert answer["result"] == "accepted" and answer["reason"] is None
    assert answer["message"] == "Welcome, Ada Lovelace!"
    assert answer["attendee"]["name"] == "Ada Lovelace" and answer["registration_id"] == ada.id
    assert isinstance(answer["id"], int)


def test_the_bare_secret_works_like_the_url(door, make):
    ada = make.registration(door.event)
    assert door.scan(ada.badge_secret).json["result"] == "accepted"


def test_second_scan_says_when_and_where_the_first_happened(door, make):
    ada = make.registration(door.event, name="Ada Lovelace")
    first_at = (utcnow() - timedelta(minutes=3)).replace(microsecond=0)
    door.scan(badge(ada), scanned_at=first_at.isoformat())
    again = door.scan(badge(ada)).json
    assert again["result"] == "rejected" and again["reason"] == "already_checked_in"
    assert again["first_checkin"]["station_name"] == "Door A"
    local = first_at.astimezone(door.event.zone)
    assert again["first_checkin"]["at"] == local.isoformat()
    assert f"{local:%H:%M} at Door A" in again["message"]


def test_the_same_nonce_returns_the_first_answer_and_writes_nothing(door, make):
    ada = make.registration(door.event)
    first = door.scan(badge(ada), nonce="phone-1-0001").json
    rows = scan_count()
    database_errors = []

    def record(context):
        database_errors.append(context.original_exception)

    sa_event.listen(db.engine, "handle_error", record)
    try:
        again = door.scan(badge(ada), nonce="phone-1-0001").json
    finally:
        sa_event.remove(db.engine, "handle_error", record)
    assert again == first and again["result"] == "accepted"
    assert scan_count() == rows
    # Doors resend scans all the time: a resend is no constraint violation (PostgreSQL would log each one).
    assert database_errors == []


def test_every_scan_accepted_or_not_is_in_the_log(door, make, client):
    ada = make.registration(door.event)
    door.scan(badge(ada))
    door.scan(badge(ada))
    door.scan("not a badge")
    log = client.get(f"/api/v1/events/{door.event.id}/checkins", headers=make.token(door.event.owner)).json
    assert log["total"] == 3
    assert sorted((entry["result"], entry["reason"]) for entry in log["items"]) == [
        ("accepted", None),
        ("rejected", "already_checked_in"),
        ("rejected", "unknown_badge"),
    ]
    assert all(entry["station_name"] == "Door A" and entry["received_at"] for entry in log["items"])


def test_garbled_qr_text_is_rejected_with_a_reason(door, make):
    old = make.registration(door.event)
    revoked_secret = old.badge_secret
    headers = make.token(door.event.owner)
    assert door.client.post(f"/api/v1/registrations/{old.id}/badge/rotate", headers=headers).status_code == 200
    samples = [
        " ",
        "x" * 4096,
        bytes(range(1, 256)).decode("latin-1") * 16,
        "https://evil.example/b/" + "A" * 32,
        "http://testserver/b/" + "A" * 32,
        "http://testserver/e/1",
        "javascript:alert(1)",
        revoked_secret,
        f"http://testserver/b/{revoked_secret}",
        "\x01\x02\r\n",
        "🙂" * 100,
    ]
    for qr in samples:
        response = door.scan(qr)
        assert response.status_code == 200, (qr[:40], response.json)
        if revoked_secret in qr:  # a replaced badge is told apart (test_replaced_badges.py)
            assert response.json["reason"] == "badge_replaced"
            continue
        assert response.json["result"] == "rejected" and response.json["reason"] == "unknown_badge"
        assert response.json["attendee"] is None


def test_too_long_qr_or_bad_fields_are_a_422_and_change_nothing(door):
    rows = scan_count()
    for body in (
        {"qr": "x" * 9000, "nonce": "a"},
        {"qr": "x"},
        {"nonce": "a"},
        {"qr": "x", "nonce": ""},
        {"qr": "x", "nonce": "a" * 65},
        {"qr": "x", "nonce": "a", "registration_id": 1},
        {"qr": "x", "nonce": "a", "scanned_at": "2026-11-25T18:00:00"},
        {"qr": "x", "nonce": "a", "direction": "sideways"},
        {"qr": 5, "nonce": "a"},
    ):
        response = door.client.post("/api/v1/checkins", json=body, headers=door.headers)
        assert response.status_code == 422, body
        assert response.json["errors"]
    assert scan_count() == rows


def test_a_station_of_another_event_gets_wrong_event_and_learns_nothing_even_by_number(client, make, event_now, door):
    other_event = make.event(title="Another event", starts_at=event_now.starts_at, ends_at=event_now.ends_at)
    stranger = make.registration(other_event, name="Bob Stranger")
    answer = door.scan(badge(stranger)).json
    assert answer["result"] == "rejected" and answer["reason"] == "wrong_event"
    assert answer["attendee"] is None and answer["registration_id"] is None
    assert "Bob" not in str(answer)
    for path in (
        f"/api/v1/events/{other_event.id}/attendance",
        f"/api/v1/events/{other_event.id}/checkins",
        f"/api/v1/events/{other_event.id}/registrations",
        f"/api/v1/registrations/{stranger.id}",
    ):
        refused = client.get(path, headers=door.headers)
        assert refused.status_code == 403 and refused.json["reason"] == "station_only_scans", path
    by_id = door.client.post(
        "/api/v1/checkins", json={"registration_id": stranger.id, "nonce": nonce()}, headers=door.headers
    ).json
    # By number the answer is the one a number nobody has gets: the ids of other events cannot be told apart.
    assert by_id["reason"] == "unknown_badge" and by_id["attendee"] is None and by_id["registration_id"] is None
    nobody = door.client.post(
        "/api/v1/checkins", json={"registration_id": 2**31 - 1, "nonce": nonce()}, headers=door.headers
    ).json
    per_scan = ("id", "nonce", "scanned_at")
    assert {k: v for k, v in nobody.items() if k not in per_scan} == {
        k: v for k, v in by_id.items() if k not in per_scan
    }
    names = [item["name"] for item in client.get("/api/v1/station/badges", headers=door.headers).json["items"]]
    assert "Bob Stranger" not in names
    assert client.get("/api/v1/station/attendees?q=bob", headers=door.headers).json["items"] == []


def test_cancelled_and_waitlisted_registrations_are_refused(client, door, make):
    door.event.capacity = 1
    db.session.commit()
    make.registration(door.event)
    waiting = make.registration(door.event, name="Wendy Waiting")
    assert waiting.status == "waitlisted"
    assert door.scan(badge(waiting)).json["reason"] == "waitlisted"
    headers = make.token(waiting.user)
    client.post(f"/api/v1/registrations/{waiting.id}/cancel", headers=headers)
    assert door.scan(badge(waiting)).json["reason"] == "registration_cancelled"


def test_outside_the_window_says_when_check_in_opens(client, make):
    start = utcnow().replace(microsecond=0) + timedelta(days=2)
    early_event = make.event(starts_at=start, ends_at=start + timedelta(hours=2))
    door = Door(client, early_event)
    ada = make.registration(early_event)
    answer = door.scan(badge(ada)).json
    assert answer["reason"] == "outside_window"
    opens = (start - timedelta(hours=1)).astimezone(early_event.zone)
    assert f"{opens:%d %b %H:%M}" in answer["message"]


def test_exit_and_reentry_count_once(client, door, make):
    ada = make.registration(door.event)
    assert door.scan(badge(ada)).json["result"] == "accepted"
    assert door.scan(badge(ada), direction="exit").json["result"] == "accepted"
    assert door.scan(badge(ada), direction="exit").json["reason"] == "not_checked_in"
    assert door.scan(badge(ada)).json["result"] == "accepted"
    figures = client.get(f"/api/v1/events/{door.event.id}/attendance", headers=make.token(door.event.owner)).json
    assert (figures["registered"], figures["checked_in"], figures["inside_now"], figures["no_shows"]) == (1, 1, 1, 0)


def test_undo_by_the_scanning_station_or_an_organizer_only(client, door, make):
    ada = make.registration(door.event)
    other_door = Door(client, door.event, name="Door B")
    scan_id = door.scan(badge(ada)).json["id"]
    refused = client.post(f"/api/v1/checkins/{scan_id}/undo", headers=other_door.headers)
    assert refused.status_code == 403 and refused.json["reason"] == "undo_not_allowed"
    assert "at Door A" in refused.json["detail"]  # says why, and where it can be undone
    undone = client.post(f"/api/v1/checkins/{scan_id}/undo", headers=door.headers)
    assert undone.status_code == 200 and undone.json["undone"] is True
    assert client.post(f"/api/v1/checkins/{scan_id}/undo", headers=door.headers).json["reason"] == "not_undoable"
    figures = client.get(f"/api/v1/events/{door.event.id}/attendance", headers=make.token(door.event.owner)).json
    assert figures["checked_in"] == 0 and figures["inside_now"] == 0
    again = other_door.scan(badge(ada)).json
    assert again["result"] == "accepted"
    assert client.post(f"/api/v1/checkins/{again['id']}/undo", headers=make.token(door.event.owner)).status_code == 200
    stranger = make.user()
    assert client.post(f"/api/v1/checkins/{again['id']}/undo", headers=make.token(stranger)).status_code == 404


def test_offline_batch_is_applied_in_scan_order_and_answered_in_sent_order(door, make):
    ada = make.registration(door.event, name="Ada")
    base = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    scans = [
        {"qr": badge(ada), "nonce": "c", "scanned_at": (base + timedelta(minutes=2)).isoformat()},
        {"qr": badge(ada), "nonce": "a", "scanned_at": base.isoformat()},
        {"qr": badge(ada), "nonce": "b", "scanned_at": (base + timedelta(minutes=1)).isoformat(), "direction": "exit"},
    ]
    results = door.batch(scans).json["results"]
    assert [r["nonce"] for r in results] == ["c", "a", "b"]
    assert [r["result"] for r in results] == ["accepted", "accepted", "accepted"]  # entry, exit, re-entry
    db.session.refresh(ada)
    assert ada.checked_in_at == base and ada.inside is True


def test_500_offline_scans_uploaded_twice_shuffled_keep_one_row_per_nonce_and_their_times(door, make):
    people = [make.registration(door.event, name=f"Person {i}") for i in range(50)]
    base = utcnow().replace(microsecond=0) - timedelta(minutes=25)
    scans = [
        {
            "qr": badge(people[i % 50]),
            "nonce": f"offline-{i % 400}",
            "scanned_at": (base + timedelta(seconds=i % 400)).isoformat(),
        }
        for i in range(500)
    ]  # 100 repeated nonces inside the batch itself
    first = door.batch(scans).json["results"]
    shuffled = scans[:]
    random.Random(7).shuffle(shuffled)
    second = door.batch(shuffled).json["results"]
    assert scan_count() == 400
    by_nonce = {answer["nonce"]: answer for answer in first}
    assert all(answer == by_nonce[answer["nonce"]] for answer in second)
    times = dict(
        db.session.execute(select(LedgerEntry.nonce, Scan.scanned_at).join(Scan, Scan.id == LedgerEntry.id)).all()
    )
    assert all(times[f"offline-{i}"] == base + timedelta(seconds=i) for i in range(400))
    figures = door.client.get(f"/api/v1/events/{door.event.id}/attendance", headers=make.token(door.event.owner)).json
    assert figures["checked_in"] == 50
    assert sum(1 for answer in first if answer["result"] == "accepted") >= 50


def test_revoking_a_station_stops_it_at_once(client, door, make):
    ada = make.registration(door.event)
    owner = make.token(door.event.owner)
    assert client.delete(f"/api/v1/stations/{door.station.id}", headers=owner).status_code == 204
    answer = door.scan(badge(ada)).json
    assert answer["result"] == "rejected" and answer["reason"] == "station_revoked"
    for path in ("/api/v1/station", "/api/v1/station/badges", "/api/v1/station/attendees?q=ab"):
        response = client.get(path, headers=door.headers)
        assert response.status_code == 403 and response.json["reason"] == "station_revoked"
    walk_in = client.post(
        f"/api/v1/events/{door.event.id}/walk-ins",
        headers=door.headers,
        json={"name": "Late Larry", "email": "larry@example.org"},
    )
    assert walk_in.status_code == 403


def test_organizer_checks_someone_in_by_search(client, event_now, make):
    ada = make.registration(event_now, name="Ada Lovelace")
    owner = make.token(event_now.owner)
    found = client.get(f"/api/v1/events/{event_now.id}/registrations?q=lovelace", headers=owner).json["items"]
    body = {"registration_id": found[0]["id"], "nonce": "manual-1", "event_id": event_now.id}
    answer = client.post("/api/v1/checkins", json=body, headers=owner).json
    assert answer["result"] == "accepted" and answer["registration_id"] == ada.id
    without_event = client.post("/api/v1/checkins", json={"registration_id": ada.id, "nonce": "m2"}, headers=owner)
    assert without_event.status_code == 422 and "event_id" in without_event.json["errors"]


def test_walk_in_is_registered_checked_in_and_emailed_even_when_full(client, door, make, outbox):
    door.event.capacity = 1
    db.session.commit()
    make.registration(door.event)
    response = client.post(
        f"/api/v1/events/{door.event.id}/walk-ins",
        headers=door.headers,
        json={"name": "Walter Walkin", "email": "walter@example.org", "company": "Acme"},
    )
    assert response.status_code == 201
    registration = response.json["registration"]
    assert registration["status"] == "confirmed" and registration["source"] == "walk_in"
    assert response.json["checkin"]["result"] == "accepted"
    secret = registration["badge_url"].rsplit("/", 1)[1]
    assert door.scan(secret, direction="exit").json["result"] == "accepted"  # the badge works at once
    assert "walter@example.org" in [recipient(m) for m in outbox()]


def test_station_badge_list_has_hashes_only_and_supports_etag_and_since(client, door, make):
    import hashlib

    ada = make.registration(door.event, name="Ada")
    full = client.get("/api/v1/station/badges", headers=door.headers)
    assert full.status_code == 200 and full.json["complete"] is True
    [entry] = full.json["items"]
    assert entry["secret_hash"] == hashlib.sha256(ada.badge_secret.encode()).hexdigest()
    assert ada.badge_secret not in full.get_data(as_text=True)
    etag = full.headers["ETag"]
    assert client.get("/api/v1/station/badges", headers={**door.headers, "If-None-Match": etag}).status_code == 304
    bob = make.registration(door.event, name="Bob")
    door.scan(badge(ada))
    changes = client.get("/api/v1/station/badges", query_string={"since": full.json["cursor"]}, headers=door.headers)
    names = {item["name"]: item for item in changes.json["items"]}
    assert set(names) == {"Ada", "Bob"} and names["Ada"]["inside"] is True and bob.id
    assert client.get("/api/v1/station/badges", headers={**door.headers, "If-None-Match": etag}).status_code == 200


def test_check_in_state_shows_in_the_attendee_list_badge_list_and_station_event(client, door, make):
    ada = make.registration(door.event, name="Ada")
    door.scan(badge(ada))
    owner = make.token(door.event.owner)
    [row] = client.get(f"/api/v1/events/{door.event.id}/registrations", headers=owner).json["items"]
    assert row["inside"] is True and row["checked_in_station"] == "Door A" and row["checked_in_at"]
    [entry] = client.get("/api/v1/station/badges", headers=door.headers).json["items"]
    assert entry["checked_in_station"] == "Door A"
    event = client.get("/api/v1/station", headers=door.headers).json["event"]
    opens, closes = door.event.checkin_window
    assert event["checkin_opens_at"] == opens.astimezone(door.event.zone).isoformat()
    assert event["checkin_closes_at"] == closes.astimezone(door.event.zone).isoformat()


def test_an_accepted_entry_is_announced_once_after_the_commit(door, make):
    ada = make.registration(door.event, name="Ada")
    heard = []

    def receiver(sender, **payload):
        heard.append(payload)

    checked_in.connect(receiver)
    try:
        first = door.scan(badge(ada), nonce="entry-1").json
        door.scan(badge(ada), nonce="entry-1")  # sent again: answered from the ledger, not announced again
        door.scan(badge(ada))  # already inside: refused, not announced
        door.scan(badge(ada), direction="exit")
    finally:
        checked_in.disconnect(receiver)
    assert heard == [
        {
            "event_id": door.event.id,
            "registration_id": ada.id,
            "scan_id": first["id"],
            "station_id": door.station.id,
            "scanned_at": heard[0]["scanned_at"],
        }
    ]
