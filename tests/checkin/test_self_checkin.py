"""Self check-in: an attendee scans the venue's poster with their own phone and is checked in as by a door station,
with the same rules, the same scan log and the same counts."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest
import requests
from sqlalchemy import func, select

from netevents.db import utcnow
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.registrations.models import Registration
from tests.api.test_answers import limited_client  # noqa: F401  (a fixture)
from tests.checkin.conftest import badge, check_in_self, new_poster
from tests.live_server import gunicorn_server, server_log


@pytest.fixture
def poster(client, make, event_now):
    return new_poster(client, make, event_now, "Main entrance")


def scan_log(client, make, event):
    return client.get(f"/api/v1/events/{event.id}/checkins", headers=make.token(event.owner)).json["items"]


def attendance(client, make, event):
    return client.get(f"/api/v1/events/{event.id}/attendance", headers=make.token(event.owner)).json


def test_an_attendee_scanning_the_poster_is_checked_in_under_the_posters_name(client, make, event_now, poster):
    ada = make.registration(event_now, name="Ada")
    answer = check_in_self(client, make.token(ada.user), poster["url"])
    assert answer.status_code == 200
    checkin = answer.json["checkin"]
    assert (checkin["result"], checkin["reason"], checkin["registration_id"]) == ("accepted", None, ada.id)
    assert checkin["message"] == "Welcome, Ada!" and checkin["attendee"]["name"] == "Ada"
    assert answer.json["event"]["id"] == event_now.id and answer.json["poster_name"] == "Main entrance"
    db.session.expire_all()
    ada = db.session.get(Registration, ada.id)
    assert ada.inside and ada.checked_in_station == "Main entrance"

    [logged] = scan_log(client, make, event_now)
    assert logged["id"] == checkin["id"] and logged["result"] == "accepted"
    assert (logged["station_name"], logged["by"], logged["attendee_name"]) == ("Main entrance", "self", "Ada")
    counts = attendance(client, make, event_now)
    assert (counts["checked_in"], counts["inside_now"], counts["no_shows"]) == (1, 1, 0)
    [at_poster] = [s for s in counts["stations"] if s["kind"] == "poster"]
    assert (at_poster["name"], at_poster["accepted"], at_poster["rejected"]) == ("Main entrance", 1, 0)
    [listed] = client.get(f"/api/v1/events/{event_now.id}/posters", headers=make.token(event_now.owner)).json["items"]
    assert listed["accepted_count"] == 1


def test_the_bare_secret_works_like_the_url(client, make, event_now, poster):
    ada = make.registration(event_now, name="Ada")
    answer = check_in_self(client, make.token(ada.user), poster["secret"])
    assert answer.json["checkin"]["result"] == "accepted"


def test_scanning_again_says_since_when_and_where_and_counts_once(client, make, event_now, poster):
    ada = make.registration(event_now, name="Ada")
    headers = make.token(ada.user)
    first = check_in_self(client, headers, poster["url"]).json["checkin"]
    again = check_in_self(client, headers, poster["url"]).json["checkin"]
    assert (again["result"], again["reason"]) == ("rejected", "already_checked_in")
    assert again["first_checkin"]["station_name"] == "Main entrance"
    assert datetime.fromisoformat(again["first_checkin"]["at"]) == datetime.fromisoformat(first["scanned_at"])
    counts = attendance(client, make, event_now)
    assert (counts["checked_in"], counts["inside_now"]) == (1, 1)
    assert [s["reason"] for s in scan_log(client, make, event_now)] == ["already_checked_in", None]


def test_the_same_nonce_again_is_the_first_answer_and_writes_nothing(client, make, event_now, poster):
    ada = make.registration(event_now, name="Ada")
    headers = make.token(ada.user)
    first = check_in_self(client, headers, poster["url"], nonce="ada-1")
    # Resent with the QR as the bare secret: the same check-in.
    again = check_in_self(client, headers, poster["secret"], nonce="ada-1")
    assert again.json == first.json
    assert len(scan_log(client, make, event_now)) == 1


def test_a_nonce_is_one_persons_own(client, make, event_now, poster):
    """Two people choosing the same nonce are two check-ins (nonces are per person, not per poster)."""
    ada, bob = make.registration(event_now, name="Ada"), make.registration(event_now, name="Bob")
    assert check_in_self(client, make.token(ada.user), poster["url"], nonce="1").json["checkin"]["result"] == "accepted"
    assert check_in_self(client, make.token(bob.user), poster["url"], nonce="1").json["checkin"]["result"] == "accepted"


def test_a_nonce_sent_again_for_another_events_poster_is_refused(client, make, event_now, poster):
    other_event = make.event(starts_at=event_now.starts_at, ends_at=event_now.ends_at)
    other_poster = new_poster(client, make, other_event, "Elsewhere")
    ada = make.registration(event_now, name="Ada")
    make.registration(other_event, name="Ada", email=ada.email)
    headers = make.token(ada.user)
    assert check_in_self(client, headers, poster["url"], nonce="n").status_code == 200
    reused = check_in_self(client, headers, other_poster["url"], nonce="n")
    assert reused.status_code == 409 and reused.json["reason"] == "nonce_reused"


def test_a_door_check_in_first_makes_the_poster_say_already_inside(client, make, event_now, poster, door):
    ada = make.registration(event_now, name="Ada")
    assert door.scan(badge(ada)).json["result"] == "accepted"
    again = check_in_self(client, make.token(ada.user), poster["url"]).json["checkin"]
    assert again["reason"] == "already_checked_in" and again["first_checkin"]["station_name"] == "Door A"


def test_someone_not_registered_is_refused_and_the_refusal_is_logged(client, make, event_now, poster):
    stranger = make.user(name="Sam Stranger")
    answer = check_in_self(client, make.token(stranger), poster["url"])
    assert answer.status_code == 200
    checkin = answer.json["checkin"]
    assert (checkin["result"], checkin["reason"], checkin["attendee"]) == ("rejected", "not_registered", None)
    assert answer.json["event"]["id"] == event_now.id  # so the screen can link to the event's page
    [logged] = scan_log(client, make, event_now)
    assert (logged["reason"], logged["station_name"], logged["attendee_name"]) == (
        "not_registered",
        "Main entrance",
        None,
    )
    assert attendance(client, make, event_now)["checked_in"] == 0


@pytest.mark.parametrize(("status", "reason"), [("cancelled", "registration_cancelled"), ("waitlisted", "waitlisted")])
def test_the_doors_refusals_apply(client, make, event_now, poster, status, reason):
    ada = make.registration(event_now, name="Ada")
    ada.status = status
    db.session.commit()
    checkin = check_in_self(client, make.token(ada.user), poster["url"]).json["checkin"]
    assert (checkin["result"], checkin["reason"]) == ("rejected", reason)
    assert attendance(client, make, event_now)["checked_in"] == 0


def test_outside_the_check_in_window_says_when_it_opens(client, make):
    later = utcnow().replace(microsecond=0) + timedelta(days=2)
    event = make.event(starts_at=later, ends_at=later + timedelta(hours=2))
    poster = new_poster(client, make, event)
    ada = make.registration(event, name="Ada")
    checkin = check_in_self(client, make.token(ada.user), poster["url"]).json["checkin"]
    assert (checkin["result"], checkin["reason"]) == ("rejected", "outside_window")
    assert checkin["message"].startswith("Check-in opens at")
    assert [s["reason"] for s in scan_log(client, make, event)] == ["outside_window"]


def test_a_qr_code_that_is_no_poster_is_refused_and_in_no_events_log(client, make, event_now, poster):
    ada = make.registration(event_now, name="Ada")
    headers = make.token(ada.user)
    for qr in (f"http://testserver/p/{'x' * 32}", badge(ada), "hello"):
        answer = check_in_self(client, headers, qr, nonce=f"unknown-{qr[-5:]}")
        assert answer.status_code == 200
        assert answer.json["checkin"]["reason"] == "unknown_poster"
        assert (answer.json["event"], answer.json["poster_name"], answer.json["checkin"]["id"]) == (None, None, None)
    assert scan_log(client, make, event_now) == []
    again = check_in_self(client, headers, "hello", nonce="unknown-hello")
    assert again.json["checkin"]["reason"] == "unknown_poster"
    assert db.session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.actor.like("self:%"))) == 3


def test_a_poster_needs_a_signed_in_person(client, make, event_now, poster, door):
    assert check_in_self(client, {}, poster["url"]).status_code == 401
    assert check_in_self(client, door.headers, poster["url"]).status_code == 403  # a door phone is nobody


def test_bad_input_names_the_field(client, make, event_now):
    headers = make.token(make.user())
    answer = client.post("/api/v1/checkins/self", json={"qr": "", "nonce": "x"}, headers=headers)
    assert answer.status_code == 422 and "qr" in answer.json["errors"]
    answer = client.post("/api/v1/checkins/self", json={"qr": "x"}, headers=headers)
    assert answer.status_code == 422 and "nonce" in answer.json["errors"]


def test_self_check_ins_are_limited_per_person(app, make, event_now, limited_client):  # noqa: F811
    stranger = make.token(make.user(name="Sam"))
    statuses = [
        limited_client.post(
            "/api/v1/checkins/self", json={"qr": "hello", "nonce": f"n{i}"}, headers=stranger
        ).status_code
        for i in range(31)
    ]
    assert statuses == [200] * 30 + [429]
    other = make.token(make.user(name="Other"))
    assert (
        limited_client.post("/api/v1/checkins/self", json={"qr": "hi", "nonce": "n"}, headers=other).status_code == 200
    )


@pytest.mark.slow
def test_two_self_check_ins_racing_each_other_check_in_once(app, database_url, tmp_path, client, make, event_now):
    """Ada's phone sends two check-ins at once (a double tap, a retry with a new nonce): exactly one is accepted."""
    poster = new_poster(client, make, event_now)
    ada = make.registration(event_now, name="Ada")
    headers = make.token(ada.user)
    db.session.commit()  # the test's own session must not hold SQLite's write lock while the server works
    with gunicorn_server(database_url, tmp_path, workers=4, threads=4) as live:

        def scan(i):
            return requests.post(
                f"{live}/api/v1/checkins/self",
                headers=headers,
                json={"qr": poster["url"], "nonce": f"race-{i}"},
                timeout=30,
            )

        with ThreadPoolExecutor(max_workers=8) as pool:
            answers = list(pool.map(scan, range(16)))
    assert [a.status_code for a in answers] == [200] * 16
    results = [a.json()["checkin"]["result"] for a in answers]
    assert results.count("accepted") == 1
    assert {a.json()["checkin"]["reason"] for a in answers} == {None, "already_checked_in"}
    assert attendance(client, make, event_now)["checked_in"] == 1
    assert len(scan_log(client, make, event_now)) == 16
    log = server_log(tmp_path)
    assert "database is locked" not in log and "Traceback" not in log
