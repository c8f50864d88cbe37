"""Times at the door: a device clock far ahead is flagged, not silently replaced; a time that is not today
names its date."""

from datetime import timedelta

from netevents.db import utcnow
from netevents.extensions import db
from netevents.ledger.services import MAX_CLOCK_SKEW
from tests.checkin.conftest import Door, badge, nonce


def test_a_scan_time_far_in_the_future_is_flagged_in_the_answer_and_the_log(client, door, make):
    ada, bob = make.registration(door.event, name="Ada"), make.registration(door.event, name="Bob")
    ahead = utcnow().replace(microsecond=0) + timedelta(hours=3)
    before = utcnow()
    answer = door.scan(badge(ada), scanned_at=ahead.isoformat()).json
    assert answer["result"] == "accepted" and answer["clock_skew"] is True
    assert "clock is 3 h ahead" in answer["message"] and answer["message"].startswith("Welcome, Ada!")
    db.session.refresh(ada)
    assert before <= ada.checked_in_at <= utcnow()  # taken as received, and said so
    [batched] = door.batch([{"qr": badge(bob), "nonce": nonce(), "scanned_at": ahead.isoformat()}]).json["results"]
    assert batched["clock_skew"] is True
    log = client.get(f"/api/v1/events/{door.event.id}/checkins", headers=make.token(door.event.owner)).json
    assert all("clock is 3 h ahead" in entry["message"] and entry["clock_skew"] for entry in log["items"])


def test_a_clock_a_little_ahead_is_taken_as_it_is(door, make):
    ada = make.registration(door.event, name="Ada")
    slightly = utcnow().replace(microsecond=0) + MAX_CLOCK_SKEW / 2
    answer = door.scan(badge(ada), scanned_at=slightly.isoformat()).json
    assert answer["clock_skew"] is False and answer["message"] == "Welcome, Ada!"
    db.session.refresh(ada)
    assert ada.checked_in_at == slightly


def local_text(moment, event, scan_at=None) -> str:
    """The time as the door reads it: alone when it is today and the scan's day, else with its date."""
    zone = event.zone
    scan_day = (scan_at or utcnow()).astimezone(zone).date()
    same = moment.astimezone(zone).date() == scan_day == utcnow().astimezone(zone).date()
    return f"{moment.astimezone(zone):{'%H:%M' if same else '%d %b %H:%M'}}"


def test_an_offline_scan_from_yesterday_says_the_date_check_in_opens(client, make):
    start = utcnow().replace(microsecond=0) + timedelta(minutes=30)
    event = make.event(starts_at=start, ends_at=start + timedelta(hours=3))
    door = Door(client, event)
    ada = make.registration(event)
    yesterday = utcnow().replace(microsecond=0) - timedelta(days=1)
    answer = door.batch([{"qr": badge(ada), "nonce": nonce(), "scanned_at": yesterday.isoformat()}]).json["results"][0]
    opens, _closes = event.checkin_window
    assert answer["reason"] == "outside_window"
    assert f"Check-in opens at {opens.astimezone(event.zone):%d %b %H:%M}." == answer["message"]
    # Scanned now, it names the date only if opening is not today.
    now_answer = door.scan(badge(ada)).json
    if now_answer["reason"] == "outside_window":
        assert now_answer["message"] == f"Check-in opens at {local_text(opens, event)}."


def test_closed_and_already_checked_in_name_the_date_when_it_is_not_today(client, make):
    start = utcnow().replace(microsecond=0) - timedelta(hours=26)
    event = make.event(starts_at=start, ends_at=start + timedelta(hours=30))
    door = Door(client, event)
    ada = make.registration(event, name="Ada")
    first_at = start + timedelta(minutes=5)  # yesterday
    assert door.scan(badge(ada), scanned_at=first_at.isoformat()).json["result"] == "accepted"
    again = door.scan(badge(ada)).json
    assert again["reason"] == "already_checked_in"
    assert f"already checked in: {first_at.astimezone(event.zone):%d %b %H:%M} at Door A." in again["message"]

    # The event ended two days ago (moved there after Ada registered: registration closes at the end).
    event.starts_at, event.ends_at = start - timedelta(days=2), start - timedelta(days=2) + timedelta(hours=2)
    db.session.commit()
    _opens, closes = event.checkin_window
    closed = Door(client, event, name="Door B").scan(badge(ada), direction="exit").json
    assert closed["reason"] == "outside_window"
    assert closed["message"] == f"Check-in closed at {closes.astimezone(event.zone):%d %b %H:%M}."
