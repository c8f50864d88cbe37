"""The organizer's preview and send-now, email preferences in /me, and the one-click unsubscribe link."""

from datetime import timedelta
from urllib.parse import urlparse

from sqlalchemy import func, select, update

from netevents.accounts.models import EmailOptOut
from netevents.db import utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.follow_ups.compose import PREVIEW_UNSUBSCRIBE_URL
from netevents.follow_ups.services import queue_due_follow_ups
from tests.follow_ups.conftest import AFTER, queued


def _preview(client, headers, event, registration_id):
    return client.get(
        f"/api/v1/events/{event.id}/follow-up/preview",
        headers=headers,
        query_string={"registration_id": registration_id},
    )


def test_an_organizer_previews_an_attendees_email_without_their_notes_or_what_only_they_see(client, make, meetup):
    event, person = meetup
    ada, bob = person("Ada Lovelace"), person("Bob Builder")
    bob.user.phone = "+49 30 555"  # shared with his connections (the default), so with Ada, not the organizer
    db.session.commit()
    ned = person("Ned Noshow", came=False)
    ada.exchange(bob.registration, note="Secret plan", actions=["asked_advice"])
    organizer = make.token(event.owner)

    preview = _preview(client, organizer, event, ada.registration.id)

    assert preview.status_code == 200, preview.json
    assert preview.json["kind"] == "people_you_met"
    assert preview.json["subject"] == "The people you met at Platform Night"
    assert "Bob Builder" in preview.json["text"] and "Bob Builder" in preview.json["html"]
    for body in (preview.json["text"], preview.json["html"]):
        assert "Secret plan" not in body and "asked_advice" not in body  # Ada's own
        assert "+49 30 555" not in body  # Bob shares his phone with his connections, not the organizer
    assert preview.json["attachments"] == [{"filename": f"people-you-met-{event.id}.vcf", "mime_type": "text/vcard"}]
    no_show = _preview(client, organizer, event, ned.registration.id)
    assert no_show.json["kind"] == "missed_you" and "we missed you" in no_show.json["text"]
    for body in (preview.json["text"], preview.json["html"], no_show.json["text"], no_show.json["html"]):
        # The attendee's own unsubscribe link is theirs: whoever holds it could turn their emails off.
        assert "/unsubscribe/" not in body and PREVIEW_UNSUBSCRIBE_URL in body
    assert queued() == {}  # a preview sends nothing
    queue_due_follow_ups(event.ends_at + AFTER)
    assert "+49 30 555" in queued()["ada@example.org"].get_body(("plain",)).get_content()  # Ada's own email has it


def test_only_organizers_preview_and_only_registrations_of_their_event(client, make, meetup):
    event, person = meetup
    ada = person("Ada Lovelace")
    other = make.event(event.owner, title="Another")
    stranger = make.registration(other, name="Sam Stranger", email="sam@example.org")
    organizer = make.token(event.owner)
    assert _preview(client, ada.headers, event, ada.registration.id).status_code == 403
    assert _preview(client, organizer, event, stranger.id).status_code == 404
    missing = client.get(f"/api/v1/events/{event.id}/follow-up/preview", headers=organizer)
    assert missing.status_code == 422 and "registration_id" in str(missing.json)
    bad = _preview(client, organizer, event, "abc")
    assert bad.status_code == 422 and "registration_id" in str(bad.json)


def test_sending_now_queues_each_email_once_and_the_job_adds_nothing(client, make, meetup):
    event, person = meetup
    person("Ada Lovelace")
    person("Ned Noshow", came=False)
    organizer = make.token(event.owner)
    _end_now(event)
    first = client.post(f"/api/v1/events/{event.id}/follow-up", headers=organizer)
    assert first.status_code == 200 and first.json == {"queued": 2}
    again = client.post(f"/api/v1/events/{event.id}/follow-up", headers=organizer)
    assert again.status_code == 200 and again.json == {"queued": 0}
    assert queue_due_follow_ups(event.ends_at + AFTER) == 0
    assert len(queued()) == 2


def _end_now(event) -> None:
    db.session.execute(update(Event).where(Event.id == event.id).values(ends_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()


def test_sending_before_the_event_is_over_is_refused_and_queues_nothing(client, make, meetup):
    """During the event everyone not yet scanned in would be told they were missed, and the people-you-met email
    (sent once) would leave out whoever they meet later."""
    event, person = meetup
    person("Ned Noshow", came=False)
    refused = client.post(f"/api/v1/events/{event.id}/follow-up", headers=make.token(event.owner))
    assert refused.status_code == 409 and refused.json["reason"] == "event_not_over"
    assert "once it is over" in refused.json["detail"]
    # When, as people at the event read it (not a timestamp in UTC).
    assert f"ends at {event.ends_at.astimezone(event.zone):%d %b %Y %H:%M} ({event.timezone})" in refused.json["detail"]
    assert queued() == {}


def test_email_preferences_are_read_and_changed_in_me(client, make):
    headers = make.token(make.user())
    me = client.get("/api/v1/me", headers=headers)
    assert me.json["email_preferences"] == {"follow_up": True, "stay_connected": True}
    for _ in range(2):  # turning it off twice is the same
        off = client.patch("/api/v1/me", headers=headers, json={"email_preferences": {"stay_connected": False}})
        assert off.status_code == 200 and off.json["email_preferences"] == {"follow_up": True, "stay_connected": False}
    on = client.patch("/api/v1/me", headers=headers, json={"email_preferences": {"stay_connected": True}})
    assert on.json["email_preferences"] == {"follow_up": True, "stay_connected": True}
    bad = client.patch("/api/v1/me", headers=headers, json={"email_preferences": {"newsletters": False}})
    assert bad.status_code == 422 and "newsletters" in str(bad.json)
    bad = client.patch("/api/v1/me", headers=headers, json={"email_preferences": {"follow_up": "maybe"}})
    assert bad.status_code == 422 and "follow_up" in str(bad.json)


def test_one_click_unsubscribe_needs_no_session_and_opening_the_link_changes_nothing(client, meetup):
    event, person = meetup
    ada = person("Ada Lovelace")
    queue_due_follow_ups(event.ends_at + AFTER)
    url = queued()["ada@example.org"]["List-Unsubscribe"].strip("<>")
    path = urlparse(url).path

    page = client.get(path)
    assert page.status_code == 200 and b"Unsubscribe" in page.data and b'method="post"' in page.data
    me = lambda: client.get("/api/v1/me", headers=ada.headers).json["email_preferences"]  # noqa: E731
    assert me()["follow_up"] is True

    for _ in range(2):  # RFC 8058: the mail client POSTs this body, without cookies; twice is once
        done = client.post(path, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and b"Unsubscribed" in done.data
    assert me() == {"follow_up": False, "stay_connected": True}
    assert b"Already unsubscribed" in client.get(path).data


def test_an_unsubscribe_link_not_made_here_does_nothing(client):
    for token in ("WzEsImZvbGxvd191cCJd.forged", "nonsense"):
        response = client.post(f"/unsubscribe/{token}")
        assert response.status_code == 404 and b"does not work" in response.data


def test_deleting_an_account_forgets_its_email_preferences(client, make):
    headers = make.token(make.user())
    client.patch("/api/v1/me", headers=headers, json={"email_preferences": {"follow_up": False}})
    assert db.session.scalar(select(func.count()).select_from(EmailOptOut)) == 1
    assert client.delete("/api/v1/me", headers=headers).status_code == 204
    assert db.session.scalar(select(func.count()).select_from(EmailOptOut)) == 0
