"""GET /api/v1/events/{event_id}/follow-up: when the after-event emails go out, who gets them, how they fare."""

from datetime import timedelta

from sqlalchemy import update

from netevents.accounts.models import EmailCategory
from netevents.db import utcnow
from netevents.events.models import Event, EventStatus
from netevents.extensions import db
from netevents.mail.preferences import unsubscribe
from tests.conftest import deliver_mail
from tests.follow_ups.conftest import AFTER


def _state(client, headers, event):
    answer = client.get(f"/api/v1/events/{event.id}/follow-up", headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json


def _end(event, ago: timedelta) -> None:
    db.session.execute(update(Event).where(Event.id == event.id).values(ends_at=utcnow() - ago))
    db.session.commit()


def test_during_the_event_it_is_scheduled_with_who_would_get_which_email(client, make, meetup):
    event, person = meetup
    ada, bob = person("Ada Lovelace"), person("Bob Builder", came=False)
    person("Ned Noshow", came=False)
    quiet = person("Quinn Quiet")
    unsubscribe(quiet.user.id, EmailCategory.follow_up)
    db.session.commit()
    ada.exchange(bob.registration)  # Bob was never scanned at the door, but he met Ada there: he came

    state = _state(client, make.token(event.owner), event)

    assert state["state"] == "scheduled"
    assert state["due_at"].startswith((event.ends_at + timedelta(hours=2)).isoformat()[:16])
    assert state["recipients"] == {"people_you_met": 2, "missed_you": 1, "opted_out": 1}
    assert state["emails"] == {"queued": 0, "sending": 0, "sent": 0, "failed": 0}
    assert (state["started_at"], state["finished_at"]) == (None, None)
    assert state["send_now_refused"] == "event_not_over"


def test_after_sending_now_it_is_sent_and_counts_the_delivery(client, make, meetup):
    event, person = meetup
    person("Ada Lovelace")
    person("Ned Noshow", came=False)
    organizer = make.token(event.owner)
    _end(event, timedelta(minutes=1))
    assert _state(client, organizer, event)["send_now_refused"] is None

    assert client.post(f"/api/v1/events/{event.id}/follow-up", headers=organizer).json == {"queued": 2}
    queued = _state(client, organizer, event)
    assert queued["state"] == "sent" and queued["started_at"] and queued["finished_at"]
    assert queued["emails"] == {"queued": 2, "sending": 0, "sent": 0, "failed": 0}
    assert queued["send_now_refused"] == "already_sent"

    deliver_mail()  # to the Maildir
    db.session.commit()
    assert _state(client, organizer, event)["emails"] == {"queued": 0, "sending": 0, "sent": 2, "failed": 0}


def test_only_the_after_event_emails_of_this_event_are_counted(client, make, meetup):
    event, person = meetup
    person("Ada Lovelace")
    other = make.event(event.owner, title="Another", starts_at=event.starts_at, ends_at=event.ends_at)
    make.registration(other, name="Sam Other", email="sam@example.org").checked_in_at = utcnow()
    db.session.commit()
    organizer = make.token(event.owner)
    _end(other, timedelta(minutes=1))
    client.post(f"/api/v1/events/{other.id}/follow-up", headers=organizer)

    state = _state(client, organizer, event)
    # Ada's registration confirmation is an email of the event too, not a follow-up.
    assert state["emails"] == {"queued": 0, "sending": 0, "sent": 0, "failed": 0}
    assert state["recipients"]["people_you_met"] == 1


def test_a_follow_up_whose_window_passed_unsent_is_overdue(client, make, meetup):
    event, person = meetup
    person("Ada Lovelace")
    _end(event, AFTER + timedelta(days=8))
    state = _state(client, make.token(event.owner), event)
    assert state["state"] == "overdue" and state["send_now_refused"] is None


def test_a_draft_sends_nothing(client, make, meetup):
    event, _person = meetup
    db.session.execute(update(Event).where(Event.id == event.id).values(status=EventStatus.draft))
    db.session.commit()
    state = _state(client, make.token(event.owner), event)
    assert (state["state"], state["send_now_refused"]) == ("not_sending", "not_published")


def test_only_the_events_organizers_see_it(client, make, meetup):
    event, person = meetup
    ada = person("Ada Lovelace")
    path = f"/api/v1/events/{event.id}/follow-up"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=ada.headers).status_code == 403
    assert client.get("/api/v1/events/999999/follow-up", headers=make.token(event.owner)).status_code == 404
    assert client.get("/api/v1/events/abc/follow-up", headers=make.token(event.owner)).status_code in (404, 422)
