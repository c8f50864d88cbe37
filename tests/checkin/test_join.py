"""/j/{secret}: the webinar join link records attendance once and forwards to the meeting."""

from datetime import timedelta

from netevents.db import utcnow
from netevents.events.models import EventKind


def webinar(make, starts_in: timedelta):
    start = utcnow().replace(microsecond=0) + starts_in
    return make.event(
        kind=EventKind.webinar,
        venue="",
        online_url="https://meet.example.org/room-42",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
    )


def test_inside_the_window_it_records_attendance_once_and_redirects(client, make):
    event = webinar(make, -timedelta(minutes=5))
    ada = make.registration(event, name="Ada")
    for _ in range(3):
        response = client.get(f"/j/{ada.badge_secret}")
        assert response.status_code == 302
        assert response.headers["Location"] == "https://meet.example.org/room-42"
    figures = client.get(f"/api/v1/events/{event.id}/attendance", headers=make.token(event.owner)).json
    assert figures["checked_in"] == 1
    log = client.get(f"/api/v1/events/{event.id}/checkins", headers=make.token(event.owner)).json
    assert log["total"] == 1 and log["items"][0]["by"] == "join"


def test_before_the_window_it_says_when_to_come_back(client, make):
    event = webinar(make, timedelta(days=1))
    ada = make.registration(event)
    response = client.get(f"/j/{ada.badge_secret}")
    assert response.status_code == 200
    opens = (event.starts_at - timedelta(hours=1)).astimezone(event.zone)
    page = response.get_data(as_text=True)
    assert "Not open yet" in page and f"{opens:%H:%M}" in page
    assert "meet.example.org" not in page
    figures = client.get(f"/api/v1/events/{event.id}/attendance", headers=make.token(event.owner)).json
    assert figures["checked_in"] == 0


def test_an_unknown_link_is_a_friendly_404(client):
    response = client.get("/j/not-a-real-secret-at-all")
    assert response.status_code == 404 and "not valid" in response.get_data(as_text=True)
