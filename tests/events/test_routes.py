"""Events over HTTP: creating, publishing, cancelling, deleting, listing, who sees what, the .ics file."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from netevents import signals
from netevents.db import utcnow
from netevents.events.models import Event, EventKind, EventOrganizer, EventStatus
from netevents.extensions import db
from tests.mail.reading import plain_text, recipient

BERLIN = ZoneInfo("Europe/Berlin")


def event_json(**fields) -> dict:
    start = datetime(2031, 7, 1, 18, 30, tzinfo=BERLIN)  # summer: +02:00
    data = {
        "kind": "meetup",
        "title": "Staff Engineers Meetup",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=3)).isoformat(),
        "timezone": "Europe/Berlin",
        "venue": "Tech Hub",
    }
    data.update(fields)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- create, change, publish, cancel -------------------------------------------------------------


def test_create_makes_a_draft_owned_by_the_caller_with_times_in_the_event_zone(client, make):
    alice = make.user(name="Alice Organizer")
    utc_start = "2031-07-01T16:30:00+00:00"
    response = client.post(
        "/api/v1/events",
        headers=make.token(alice),
        json=event_json(
            starts_at=utc_start,
            ends_at="2031-07-01T19:30:00Z",
            capacity=40,
        ),
    )
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "draft"
    assert body["starts_at"] == "2031-07-01T18:30:00+02:00"  # same instant, shown in Berlin time
    assert body["ends_at"] == "2031-07-01T21:30:00+02:00"
    assert body["capacity"] == 40 and body["spots_left"] == 40 and body["confirmed_count"] == 0
    assert body["organizers"] == [{"user_id": alice.id, "name": "Alice Organizer", "role": "owner"}]
    assert body["viewer_is_organizer"] is True
    assert body["page_url"] == f"/e/{body['id']}"
    stored = db.session.get(Event, body["id"])
    assert stored.starts_at == datetime(2031, 7, 1, 16, 30, tzinfo=ZoneInfo("UTC"))


def test_create_needs_a_signed_in_person(client):
    response = client.post("/api/v1/events", json=event_json())
    assert response.status_code == 401
    assert count(Event) == 0


def test_patch_changes_only_what_is_sent(client, make):
    event = make.event(title="Old title", venue="Hall A", capacity=10)
    headers = make.token(event.owner)
    response = client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"title": "New title"})
    assert response.status_code == 200
    assert response.json["title"] == "New title"
    assert response.json["venue"] == "Hall A" and response.json["capacity"] == 10


def test_publish_a_draft_and_it_becomes_public(client, make):
    event = make.event(status=EventStatus.draft)
    assert client.get(f"/api/v1/events/{event.id}").status_code == 404
    response = client.patch(f"/api/v1/events/{event.id}", headers=make.token(event.owner), json={"status": "published"})
    assert response.status_code == 200 and response.json["status"] == "published"
    public = client.get(f"/api/v1/events/{event.id}")
    assert public.status_code == 200 and public.json["viewer_is_organizer"] is False


def test_publishing_needs_a_venue_or_for_a_webinar_an_online_link(client, make):
    owner = make.user()
    headers = make.token(owner)
    no_venue = client.post("/api/v1/events", headers=headers, json=event_json(venue="", status="published"))
    assert no_venue.status_code == 422 and no_venue.json["reason"] == "venue_required"
    assert "venue" in no_venue.json["errors"]
    webinar = client.post("/api/v1/events", headers=headers, json=event_json(kind="webinar", status="published"))
    assert webinar.status_code == 422 and webinar.json["reason"] == "online_url_required"
    assert count(Event) == 0
    ok = client.post(
        "/api/v1/events",
        headers=headers,
        json=event_json(kind="webinar", venue="", online_url="https://meet.example.org/abc", status="published"),
    )
    assert ok.status_code == 201


def test_cancel_emails_everyone_still_registered_and_locks_the_event(client, make, outbox):
    event = make.event(capacity=1)
    confirmed = make.registration(event, email="confirmed@example.org")
    make.registration(event, email="waiting@example.org")
    gone = make.registration(event, email="gone@example.org")
    client.post(f"/api/v1/registrations/{gone.id}/cancel", headers=make.token(gone.user))
    before = len(outbox())
    headers = make.token(event.owner)

    response = client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"status": "cancelled"})

    assert response.status_code == 200 and response.json["status"] == "cancelled"
    cancelled_mails = [m for m in outbox() if m["Subject"] == "Event cancelled: Platform Engineering Night"]
    assert sorted(recipient(m) for m in cancelled_mails) == [confirmed.email, "waiting@example.org"]
    assert len(outbox()) == before + 2
    # A cancelled event cannot be changed or revived, and cancelling again sends nothing.
    retitle = client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"title": "Back on"})
    assert retitle.status_code == 409 and retitle.json["reason"] == "event_cancelled"
    revive = client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"status": "published"})
    assert revive.status_code == 422 and revive.json["reason"] == "invalid_status_change"
    again = client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"status": "cancelled"})
    assert again.status_code == 200
    assert len(outbox()) == before + 2


def test_a_cancellation_is_announced_once_after_the_commit(client, make, heard):
    event = make.event()
    make.registration(event)
    headers = make.token(event.owner)
    with heard(signals.event_cancelled) as cancelled:
        assert client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"title": "Renamed"}).status_code == 200
        assert cancelled == []
        assert (
            client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"status": "cancelled"}).status_code == 200
        )
        assert (
            client.patch(f"/api/v1/events/{event.id}", headers=headers, json={"status": "cancelled"}).status_code == 200
        )
    assert [payload for _sender, payload in cancelled] == [{"event_id": event.id}]


def test_an_event_with_registrations_cannot_go_back_to_draft(client, make):
    event = make.event()
    make.registration(event)
    response = client.patch(f"/api/v1/events/{event.id}", headers=make.token(event.owner), json={"status": "draft"})
    assert response.status_code == 409 and response.json["reason"] == "has_registrations"
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == EventStatus.published


def test_capacity_cannot_go_below_the_confirmed_count(client, make):
    event = make.event(capacity=3)
    make.registration(event)
    make.registration(event)
    response = client.patch(f"/api/v1/events/{event.id}", headers=make.token(event.owner), json={"capacity": 1})
    assert response.status_code == 422 and response.json["reason"] == "capacity_below_registrations"
    assert "capacity" in response.json["errors"]
    db.session.expire_all()
    assert db.session.get(Event, event.id).capacity == 3


def test_an_update_that_breaks_a_rule_changes_nothing(client, make):
    event = make.event(title="Kept")
    response = client.patch(
        f"/api/v1/events/{event.id}",
        headers=make.token(event.owner),
        json={
            "title": "Not kept",
            "ends_at": (event.starts_at - timedelta(hours=1)).isoformat(),
        },
    )
    assert response.status_code == 422 and "ends_at" in response.json["errors"]
    db.session.expire_all()
    assert db.session.get(Event, event.id).title == "Kept"


# --- delete ----------------------------------------------------------------------------------------


def test_drafts_and_cancelled_events_can_be_deleted_published_ones_cannot(client, make):
    owner = make.user()
    headers = make.token(owner)
    draft = make.event(owner, status=EventStatus.draft)
    published = make.event(owner)
    make.registration(published)
    cancelled = make.event(owner, status=EventStatus.cancelled)

    refused = client.delete(f"/api/v1/events/{published.id}", headers=headers)
    assert refused.status_code == 409 and refused.json["reason"] == "event_published"
    assert client.delete(f"/api/v1/events/{draft.id}", headers=headers).status_code == 204
    assert client.delete(f"/api/v1/events/{cancelled.id}", headers=headers).status_code == 204
    assert db.session.scalars(select(Event.id)).all() == [published.id]
    assert client.get(f"/api/v1/events/{draft.id}", headers=headers).status_code == 404


def test_only_organizers_delete(client, make):
    draft = make.event(status=EventStatus.draft)
    cancelled = make.event(status=EventStatus.cancelled)
    stranger = make.token(make.user(name="Mallory"))
    assert client.delete(f"/api/v1/events/{draft.id}", headers=stranger).status_code == 404  # a draft stays hidden
    assert client.delete(f"/api/v1/events/{cancelled.id}", headers=stranger).status_code == 403
    assert client.delete(f"/api/v1/events/{cancelled.id}").status_code == 401
    assert count(Event) == 2


def test_deleting_an_event_deletes_its_registrations(client, make):
    from netevents.registrations.models import Registration

    event = make.event()
    make.registration(event)
    client.patch(f"/api/v1/events/{event.id}", headers=make.token(event.owner), json={"status": "cancelled"})
    assert client.delete(f"/api/v1/events/{event.id}", headers=make.token(event.owner)).status_code == 204
    assert count(Registration) == 0 and count(EventOrganizer) == 0


# --- listing ---------------------------------------------------------------------------------------


def titles(response) -> list[str]:
    assert response.status_code == 200, response.json
    return [item["title"] for item in response.json["items"]]


def test_public_list_shows_upcoming_published_events_soonest_first(client, make):
    owner = make.user()
    now = utcnow().replace(microsecond=0)
    make.event(owner, title="Later", starts_at=now + timedelta(days=10), ends_at=now + timedelta(days=10, hours=2))
    make.event(owner, title="Sooner", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2))
    make.event(owner, title="Happening now", starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1))
    make.event(
        owner, title="Over", starts_at=now - timedelta(days=2), ends_at=now - timedelta(days=2) + timedelta(hours=2)
    )
    make.event(owner, title="Secret draft", status=EventStatus.draft)
    make.event(owner, title="Called off", status=EventStatus.cancelled)
    assert titles(client.get("/api/v1/events")) == ["Happening now", "Sooner", "Later"]
    # Drafts are listed only to their organizers, and only with mine=true.
    refused = client.get("/api/v1/events?status=draft", headers=make.token(owner))
    assert refused.status_code == 422 and refused.json["reason"] == "drafts_are_private"
    assert titles(client.get("/api/v1/events?status=cancelled")) == ["Called off"]


def test_list_filters_by_kind_text_and_dates(client, make):
    owner = make.user()
    start = utcnow().replace(microsecond=0) + timedelta(days=5)
    make.event(
        owner,
        title="Rust Workshop",
        kind=EventKind.workshop,
        venue="Room 1",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
    )
    make.event(
        owner,
        title="Meetup at the Harbour",
        venue="Harbour Loft",
        starts_at=start + timedelta(days=7),
        ends_at=start + timedelta(days=7, hours=2),
    )
    make.event(
        owner,
        title="Webinar: Staff+",
        kind=EventKind.webinar,
        venue="",
        online_url="https://meet.example.org/x",
        starts_at=start + timedelta(days=14),
        ends_at=start + timedelta(days=14, hours=1),
    )

    assert titles(client.get("/api/v1/events?kind=workshop")) == ["Rust Workshop"]
    assert titles(client.get("/api/v1/events?q=HARBOUR")) == ["Meetup at the Harbour"]  # title, any case
    assert titles(client.get("/api/v1/events?q=loft")) == ["Meetup at the Harbour"]  # venue too
    assert titles(client.get("/api/v1/events?q=nothing-like-this")) == []
    after = (start + timedelta(days=6)).isoformat()
    before = (start + timedelta(days=10)).isoformat()
    assert titles(client.get("/api/v1/events", query_string={"starts_after": after})) == [
        "Meetup at the Harbour",
        "Webinar: Staff+",
    ]
    assert titles(client.get("/api/v1/events", query_string={"starts_before": before})) == [
        "Rust Workshop",
        "Meetup at the Harbour",
    ]
    assert titles(client.get("/api/v1/events", query_string={"starts_after": after, "starts_before": before})) == [
        "Meetup at the Harbour"
    ]
    assert client.get("/api/v1/events?kind=party").status_code == 422


def test_mine_lists_what_i_organize_drafts_included(client, make):
    alice, bob = make.user(name="Alice"), make.user(name="Bob")
    make.event(alice, title="Alice draft", status=EventStatus.draft)
    make.event(alice, title="Alice published")
    make.event(bob, title="Bob published")
    co_organized = make.event(bob, title="Bob with Alice")
    client.post(f"/api/v1/events/{co_organized.id}/organizers", headers=make.token(bob), json={"email": alice.email})

    mine = client.get("/api/v1/events?mine=true", headers=make.token(alice))
    assert sorted(titles(mine)) == ["Alice draft", "Alice published", "Bob with Alice"]
    assert all(item["viewer_is_organizer"] for item in mine.json["items"])
    drafts = client.get("/api/v1/events?mine=true&status=draft", headers=make.token(alice))
    assert titles(drafts) == ["Alice draft"]
    assert client.get("/api/v1/events?mine=true").status_code == 401


def test_list_pages_are_capped_at_100(client, make):
    owner = make.user()
    start = utcnow().replace(microsecond=0) + timedelta(days=1)
    for number in range(7):
        make.event(
            owner,
            title=f"Event {number}",
            starts_at=start + timedelta(hours=number),
            ends_at=start + timedelta(hours=number + 1),
        )
    first = client.get("/api/v1/events?per_page=3")
    assert first.json["total"] == 7 and first.json["pages"] == 3 and first.json["per_page"] == 3
    assert titles(first) == ["Event 0", "Event 1", "Event 2"]
    assert titles(client.get("/api/v1/events?per_page=3&page=3")) == ["Event 6"]
    assert titles(client.get("/api/v1/events?per_page=3&page=4")) == []
    assert len(titles(client.get("/api/v1/events?per_page=100"))) == 7
    too_many = client.get("/api/v1/events?per_page=101")
    assert too_many.status_code == 422 and "per_page" in too_many.json["errors"]
    assert client.get("/api/v1/events?per_page=0").status_code == 422
    assert client.get("/api/v1/events?page=0").status_code == 422


def test_an_empty_list_has_zero_pages(client):
    response = client.get("/api/v1/events")
    assert response.json == {"items": [], "page": 1, "per_page": 20, "total": 0, "pages": 0}


# --- who sees what ---------------------------------------------------------------------------------


def test_a_draft_is_404_to_everyone_but_its_organizers(client, make):
    event = make.event(status=EventStatus.draft)
    assert client.get(f"/api/v1/events/{event.id}").status_code == 404
    assert client.get(f"/api/v1/events/{event.id}", headers=make.token(make.user())).status_code == 404
    assert client.get(f"/api/v1/events/{event.id}/calendar.ics").status_code == 404
    assert (
        client.patch(f"/api/v1/events/{event.id}", headers=make.token(make.user()), json={"title": "x"}).status_code
        == 404
    )
    assert client.get(f"/api/v1/events/{event.id}", headers=make.token(event.owner)).status_code == 200
    assert client.get("/api/v1/events/999999").status_code == 404


def test_the_meeting_link_is_only_shown_to_organizers(client, make):
    owner = make.user()
    url = "https://meet.example.org/secret-room"
    event = make.event(owner, kind=EventKind.webinar, venue="", online_url=url)
    co = make.user(name="Co Organizer")
    client.post(f"/api/v1/events/{event.id}/organizers", headers=make.token(owner), json={"email": co.email})
    attendee = make.registration(event)

    for headers in ({}, make.token(make.user()), make.token(attendee.user)):
        one = client.get(f"/api/v1/events/{event.id}", headers=headers)
        assert one.json["online_url"] is None and url not in one.get_data(as_text=True)
        listed = client.get("/api/v1/events", headers=headers)
        assert url not in listed.get_data(as_text=True)
        ics = client.get(f"/api/v1/events/{event.id}/calendar.ics", headers=headers)
        assert ics.status_code == 200 and url.encode() not in ics.data
    for organizer in (owner, co):
        assert client.get(f"/api/v1/events/{event.id}", headers=make.token(organizer)).json["online_url"] == url
        mine = client.get("/api/v1/events?mine=true", headers=make.token(organizer))
        assert mine.json["items"][0]["online_url"] == url


# --- co-organizers ---------------------------------------------------------------------------------


def test_a_co_organizer_can_manage_the_event_until_removed(client, make, outbox):
    event = make.event()
    owner_headers = make.token(event.owner)
    added = client.post(
        f"/api/v1/events/{event.id}/organizers", headers=owner_headers, json={"email": "Cora@Example.org"}
    )
    assert added.status_code == 201 and added.json["role"] == "co_organizer"
    co_id = added.json["user_id"]
    from netevents.accounts.models import User

    cora = db.session.get(User, co_id)
    assert cora.email == "cora@example.org"
    # Cora is told, with a one-time sign-in link that opens the event's organizer page.
    (invitation,) = [m for m in outbox() if recipient(m) == "cora@example.org"]
    assert event.title in invitation["Subject"] and event.owner.name in plain_text(invitation)
    link = re.search(r"(http\S+/signin#code=(\S+)&next=(\S+))", plain_text(invitation))
    assert link.group(3) == f"/organize/events/{event.id}"
    redeemed = client.post("/api/v1/auth/magic-link/redeem", json={"code": link.group(2)})
    assert redeemed.status_code == 200
    cora_headers = {"Authorization": f"Bearer {redeemed.json['token']}"}
    assert (
        client.patch(f"/api/v1/events/{event.id}", headers=cora_headers, json={"title": "By Cora"}).status_code == 200
    )
    assert client.get(f"/api/v1/events/{event.id}/registrations", headers=cora_headers).status_code == 200

    twice = client.post(f"/api/v1/events/{event.id}/organizers", headers=owner_headers, json={"email": cora.email})
    assert twice.status_code == 409 and twice.json["reason"] == "already_organizer"

    assert client.delete(f"/api/v1/events/{event.id}/organizers/{co_id}", headers=owner_headers).status_code == 204
    refused = client.patch(f"/api/v1/events/{event.id}", headers=cora_headers, json={"title": "Still Cora?"})
    assert refused.status_code == 403
    assert client.get(f"/api/v1/events/{event.id}").json["title"] == "By Cora"


def test_the_owner_cannot_be_removed_and_strangers_cannot_add_organizers(client, make):
    event = make.event()
    owner_headers = make.token(event.owner)
    refused = client.delete(f"/api/v1/events/{event.id}/organizers/{event.owner.id}", headers=owner_headers)
    assert refused.status_code == 409 and refused.json["reason"] == "cannot_remove_owner"
    assert client.delete(f"/api/v1/events/{event.id}/organizers/999999", headers=owner_headers).status_code == 404
    mallory = make.user(name="Mallory")
    sneaky = client.post(
        f"/api/v1/events/{event.id}/organizers", headers=make.token(mallory), json={"email": mallory.email}
    )
    assert sneaky.status_code == 403
    assert count(EventOrganizer) == 1


# --- calendar --------------------------------------------------------------------------------------


def parse_ics(response):
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    (entry,) = calendar.walk("VEVENT")
    return calendar, entry


def test_calendar_file_has_the_event_in_its_own_time_zone(client, make):
    start = datetime(2031, 1, 15, 18, 0, tzinfo=BERLIN)  # winter: +01:00
    event = make.event(
        title="Winter Meetup",
        venue="Tech Hub, 12 Market St",
        starts_at=start,
        ends_at=start + timedelta(hours=2, minutes=30),
        description="Talks and people.",
    )
    response = client.get(f"/api/v1/events/{event.id}/calendar.ics")
    assert f'filename="event-{event.id}.ics"' in response.headers["Content-Disposition"]
    calendar, entry = parse_ics(response)

    assert entry["dtstart"].params["TZID"] == "Europe/Berlin"
    assert entry["dtend"].params["TZID"] == "Europe/Berlin"
    dtstart, dtend = entry.decoded("dtstart"), entry.decoded("dtend")
    assert dtstart == start and dtstart.utcoffset() == timedelta(hours=1)
    assert (dtstart.hour, dtstart.minute) == (18, 0)
    assert dtend == start + timedelta(hours=2, minutes=30)
    assert str(entry["summary"]) == "Winter Meetup"
    assert str(entry["location"]) == "Tech Hub, 12 Market St"
    assert str(entry["status"]) == "CONFIRMED"
    assert str(entry["url"]) == f"http://testserver/e/{event.id}"
    assert "Talks and people." in str(entry["description"])
    # RFC 5545 3.2.19: every TZID used must have its VTIMEZONE in the file, or calendars guess.
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]


def test_calendar_file_of_a_cancelled_event_says_so(client, make):
    event = make.event()
    client.patch(f"/api/v1/events/{event.id}", headers=make.token(event.owner), json={"status": "cancelled"})
    _, entry = parse_ics(client.get(f"/api/v1/events/{event.id}/calendar.ics"))
    assert str(entry["status"]) == "CANCELLED"


@pytest.mark.parametrize("zone", ["America/New_York", "Asia/Kolkata"])
def test_calendar_times_follow_other_zones_too(client, make, zone):
    start = datetime(2031, 3, 3, 9, 0, tzinfo=ZoneInfo(zone))
    event = make.event(timezone=zone, starts_at=start, ends_at=start + timedelta(hours=1))
    _, entry = parse_ics(client.get(f"/api/v1/events/{event.id}/calendar.ics"))
    assert entry["dtstart"].params["TZID"] == zone
    assert entry.decoded("dtstart") == start and entry.decoded("dtstart").hour == 9
    assert client.get(f"/api/v1/events/{event.id}").json["starts_at"] == start.isoformat()


def test_the_check_in_window_is_shown_default_or_set(client, make):
    start = datetime(2031, 7, 1, 18, 30, tzinfo=BERLIN)
    default = make.event(starts_at=start, ends_at=start + timedelta(hours=3))
    shown = client.get(f"/api/v1/events/{default.id}").json
    assert shown["checkin_opens_at"] == "2031-07-01T17:30:00+02:00"  # an hour before the start
    assert shown["checkin_closes_at"] == "2031-07-01T21:30:00+02:00"  # the end
    owner_headers = make.token(default.owner)
    changed = client.patch(
        f"/api/v1/events/{default.id}",
        headers=owner_headers,
        json={"checkin_opens_at": "2031-07-01T16:00:00Z", "checkin_closes_at": "2031-07-01T20:00:00+02:00"},
    )
    assert changed.status_code == 200
    assert changed.json["checkin_opens_at"] == "2031-07-01T18:00:00+02:00"
    assert changed.json["checkin_closes_at"] == "2031-07-01T20:00:00+02:00"


def test_a_new_account_creates_ten_events_a_day_then_is_told_when_to_try_again(client, make):
    newcomer = make.user()
    for number in range(10):
        response = client.post(
            "/api/v1/events", headers=make.token(newcomer), json=event_json(title=f"Meetup {number}")
        )
        assert response.status_code == 201, response.json
    refused = client.post("/api/v1/events", headers=make.token(newcomer), json=event_json(title="One too many"))
    assert refused.status_code == 429
    assert refused.json["reason"] == "too_many_events"
    assert "10 events a day while your account is less than a day old" in refused.json["detail"]
    assert 60 <= int(refused.headers["Retry-After"]) <= 24 * 3600
    assert count(Event) == 10  # nothing created


def test_an_older_account_has_the_larger_allowance_and_others_events_do_not_count(client, make):
    veteran = make.user()
    veteran.created_at = utcnow() - timedelta(days=30)
    other = make.user()
    for number in range(12):
        make.event(owner=other, title=f"Someone else's {number}")
    db.session.commit()
    for number in range(11):
        response = client.post("/api/v1/events", headers=make.token(veteran), json=event_json(title=f"Meetup {number}"))
        assert response.status_code == 201, response.json
