"""GET /api/v1/events/{event_id}/mail: what an event's organizers see of its emails."""

from netevents.extensions import db
from tests.conftest import deliver_mail
from tests.mail.conftest import queue_emails


def test_organizers_see_counts_and_each_email_newest_first(client, make, use_smtp):
    event = make.event()
    other = make.event(title="Another event")
    queue_emails(3, event_id=event.id)
    queue_emails(2, prefix="elsewhere", event_id=other.id)
    use_smtp.refuse["person1@example.org"] = "550 5.1.1 no such mailbox here"
    use_smtp.refuse["person2@example.org"] = "451 4.7.1 greylisted, come back later"
    deliver_mail()
    db.session.commit()

    answer = client.get(f"/api/v1/events/{event.id}/mail?per_page=2", headers=make.token(event.owner))

    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["counts"] == {"queued": 1, "sending": 0, "sent": 1, "failed": 1}
    assert (body["page"], body["per_page"], body["total"], body["pages"]) == (1, 2, 3, 2)
    newest, middle = body["items"]
    assert (newest["recipient"], newest["status"], newest["attempts"]) == ("person2@example.org", "queued", 1)
    assert "451 4.7.1 greylisted, come back later" in newest["last_error"] and newest["next_attempt_at"]
    assert (middle["recipient"], middle["status"], middle["sent_at"]) == ("person1@example.org", "failed", None)
    assert middle["last_error"].endswith("refused it for good: 550 5.1.1 no such mailbox here")
    assert middle["subject"] == "Your badge #1"
    [oldest] = client.get(f"/api/v1/events/{event.id}/mail?per_page=2&page=2", headers=make.token(event.owner)).json[
        "items"
    ]
    assert (oldest["recipient"], oldest["status"], oldest["last_error"]) == ("person0@example.org", "sent", None)
    assert oldest["sent_at"] and oldest["attempts"] == 1


def test_only_the_events_organizers_see_it(client, make):
    event = make.event()
    path = f"/api/v1/events/{event.id}/mail"
    assert client.get(path).status_code == 401
    assert client.get(path, headers=make.token(make.user(email="stranger@example.org"))).status_code == 403


def test_a_bad_page_is_refused_naming_the_field(client, make):
    event = make.event()
    answer = client.get(f"/api/v1/events/{event.id}/mail?per_page=1000", headers=make.token(event.owner))
    assert answer.status_code == 422 and "per_page" in answer.text


def test_every_email_about_a_registration_is_in_its_events_list(client, make):
    """Self-registrations and anonymous ones too, not only what an organizer's request sent."""
    event = make.event(title="Platform Night")
    make.registration(event, name="Ada Lovelace", email="ada@example.org")
    client.post(f"/api/v1/events/{event.id}/registrations", json={"name": "Bob", "email": "bob@example.org"})
    listed = client.get(f"/api/v1/events/{event.id}/mail", headers=make.token(event.owner)).json
    assert sorted(item["recipient"] for item in listed["items"]) == ["ada@example.org", "bob@example.org"]


def test_organizers_list_the_emails_in_one_state_with_the_counts_of_all(client, make, use_smtp):
    event = make.event()
    queue_emails(3, event_id=event.id)
    use_smtp.refuse["person1@example.org"] = "550 5.1.1 no such mailbox here"
    deliver_mail()
    db.session.commit()
    path = f"/api/v1/events/{event.id}/mail"

    failed = client.get(path, query_string={"status": "failed"}, headers=make.token(event.owner)).json

    assert [item["recipient"] for item in failed["items"]] == ["person1@example.org"] and failed["total"] == 1
    assert failed["counts"] == {"queued": 0, "sending": 0, "sent": 2, "failed": 1}
    bad = client.get(path, query_string={"status": "lost"}, headers=make.token(event.owner))
    assert bad.status_code == 422 and "status" in bad.json["errors"]
