"""The stay-connected reminder weeks later, and its "I followed up" links: signed, expiring, acting only on POST."""

import re
from datetime import timedelta

from itsdangerous import URLSafeTimedSerializer

from netevents.extensions import db
from netevents.follow_ups.services import queue_due_follow_ups
from netevents.people.models import ConnectionSide
from tests.follow_ups.conftest import AFTER, WEEKS_LATER, bodies, queued


def _links(message) -> dict[str, str]:
    """Person's name -> their "followed up" link path, from the text body."""
    text, _html = bodies(message)
    found = re.findall(
        r"- ([^,\n]+?)(?:,[^\n]*)?\n(?:.*\n)*?\s+Followed up\? http://testserver(/followed-up/\S+)", text
    )
    return dict(found)


def test_weeks_later_the_connections_not_followed_up_are_listed_with_a_link_each(client, meetup):
    event, person = meetup
    ada, bob, cy = person("Ada Lovelace"), person("Bob Builder"), person("Cy Young")
    person("Ned Noshow", came=False)
    ada.exchange(bob.registration)
    ada.exchange(cy.registration)
    [cy_connection] = [c for c in ada.connections() if c["other"]["name"] == "Cy Young"]
    ada.client.patch(f"/api/v1/me/connections/{cy_connection['id']}", headers=ada.headers, json={"followed_up": True})
    queue_due_follow_ups(event.ends_at + AFTER)
    after_event = len(queued())

    assert queue_due_follow_ups(event.ends_at + WEEKS_LATER - timedelta(minutes=5)) == 0
    # Ada (Bob to follow up) and Bob (Ada); Cy followed nobody up but Ada did: Cy is reminded of Ada.
    assert queue_due_follow_ups(event.ends_at + WEEKS_LATER) == 3
    assert queue_due_follow_ups(event.ends_at + WEEKS_LATER) == 0
    reminders = {to: m for to, m in queued().items() if m["Subject"].startswith("Stay in touch")}
    assert len(queued()) == after_event  # one per person per kind: by address, the reminders replaced the others
    assert set(reminders) == {"ada@example.org", "bob@example.org", "cy@example.org"}
    text, html = bodies(reminders["ada@example.org"])
    assert "Bob Builder" in text and "Cy Young" not in text + html
    assert reminders["ada@example.org"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opening_the_link_changes_nothing_and_pressing_its_button_marks_it_once(client, meetup):
    event, person = meetup
    ada, bob = person("Ada Lovelace"), person("Bob Builder")
    ada.exchange(bob.registration)
    queue_due_follow_ups(event.ends_at + WEEKS_LATER)
    path = _links(queued()["ada@example.org"])["Bob Builder"]

    page = client.get(path)
    assert page.status_code == 200 and b"Mark as followed up" in page.data and b'method="post"' in page.data
    assert ada.connections()[0]["followed_up"] is False  # a mail scanner opening it changes nothing

    for _ in range(2):
        done = client.post(path)
        assert done.status_code == 200 and b"Bob Builder is marked as followed up" in done.data
    assert ada.connections()[0]["followed_up"] is True
    assert bob.connections()[0]["followed_up"] is False  # Ada's side only
    assert db.session.query(ConnectionSide).filter(ConnectionSide.followed_up_at.is_not(None)).count() == 1


def test_a_link_that_is_forged_or_too_old_does_nothing(app, client, meetup):
    event, person = meetup
    ada, bob = person("Ada Lovelace"), person("Bob Builder")
    ada.exchange(bob.registration)
    connection_id = ada.connections()[0]["id"]
    forged = URLSafeTimedSerializer("not our key", salt="netevents.followed-up").dumps([ada.user.id, connection_id])
    assert client.post(f"/followed-up/{forged}").status_code == 404
    app.config["FOLLOW_UP_LINK_DAYS"] = -1  # every link is too old
    try:
        queue_due_follow_ups(event.ends_at + WEEKS_LATER)
        path = _links(queued()["ada@example.org"])["Bob Builder"]
        old = client.post(path)
        assert old.status_code == 410 and b"too old" in old.data
    finally:
        app.config["FOLLOW_UP_LINK_DAYS"] = 60
    assert ada.connections()[0]["followed_up"] is False
