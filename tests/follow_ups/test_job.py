"""The follow-up job: who gets what, once, when due; what the emails say and never say."""

from datetime import timedelta

from sqlalchemy import func, select, update

from netevents.accounts.models import Visibility
from netevents.db import utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.follow_ups.models import FollowUpChunk, FollowUpKind, FollowUpRun
from netevents.follow_ups.services import queue_due_follow_ups
from netevents.mail.models import OutgoingEmail
from netevents.registrations.models import Registration, RegistrationStatus
from tests.follow_ups.conftest import AFTER, attachment, bodies, queued


def test_people_who_came_get_who_they_met_and_no_shows_a_short_note(client, make, meetup):
    event, person = meetup
    ada = person("Ada Lovelace", headline="Staff engineer", company="Analytical", topics=["rust"])
    bob = person("Bob Builder", company="Cranes")
    cy = person("Cy Young")
    person("Dee Dorman", topics=["rust"], directory_opt_in=True)  # came, met nobody: suggested to Ada
    person("Ned Noshow", came=False)
    ada.exchange(bob.registration, note="Ask about cranes", actions=["asked_advice"])
    cy.exchange(ada.registration)  # Cy scanned Ada: Ada met Cy too
    later = make.event(
        event.owner,
        title="Platform Night II",
        starts_at=utcnow() + timedelta(days=30),
        ends_at=utcnow() + timedelta(days=30, hours=2),
    )

    assert queue_due_follow_ups(event.ends_at + AFTER - timedelta(minutes=5)) == 0  # not due yet
    assert queue_due_follow_ups(event.ends_at + AFTER) == 5

    emails = queued()
    assert set(emails) == {"ada@example.org", "bob@example.org", "cy@example.org", "dee@example.org", "ned@example.org"}
    ada_email = emails["ada@example.org"]
    assert ada_email["Subject"] == "The people you met at Platform Night"
    text, html = bodies(ada_email)
    for body in (text, html):
        assert "Bob Builder" in body and "Cranes" in body and "Cy Young" in body
        assert "Ask about cranes" in body and "Your tags: Asked for advice" in body and "asked_advice" not in body
        assert "Dee Dorman" in body  # people you missed but should meet
    assert "You scanned their badge" in text and "They scanned your badge" in text
    vcard = attachment(ada_email)
    assert vcard.count("BEGIN:VCARD") == 2 and "Bob Builder" in vcard and "Ask about cranes" in vcard
    assert ada_email["List-Unsubscribe"].startswith("<http://testserver/unsubscribe/")
    assert ada_email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    ned = emails["ned@example.org"]
    assert ned["Subject"] == "Sorry we missed you at Platform Night"
    text, html = bodies(ned)
    assert "Platform Night II" in text and f"/e/{later.id}" in html
    assert attachment(ned) is None and ned["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_someone_the_door_never_scanned_but_who_met_people_there_came(meetup):
    event, person = meetup
    ada = person("Ada Lovelace")
    eve = person("Eve Entrance", came=False)  # came in while the door looked elsewhere
    ada.exchange(eve.registration)
    queue_due_follow_ups(event.ends_at + AFTER)
    emails = queued()
    assert emails["eve@example.org"]["Subject"] == "The people you met at Platform Night"
    assert "Ada Lovelace" in bodies(emails["eve@example.org"])[0]


def test_the_job_run_again_queues_nothing_new(meetup):
    event, person = meetup
    person("Ada Lovelace")
    person("Ned Noshow", came=False)
    assert queue_due_follow_ups(event.ends_at + AFTER) == 2
    assert queue_due_follow_ups(event.ends_at + AFTER) == 0
    assert queue_due_follow_ups(event.ends_at + AFTER + timedelta(hours=5)) == 0
    follow_ups = OutgoingEmail.dedupe_key.like("follow-up:%")
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail).where(follow_ups)) == 2


def test_cancelled_and_waitlisted_people_and_unpublished_or_old_events_get_nothing(make, meetup):
    event, person = meetup
    person("Ada Lovelace")
    gone, waiting = person("Gus Gone", came=False), person("Wes Waiting", came=False)
    db.session.execute(
        update(Registration).where(Registration.id == gone.registration.id).values(status=RegistrationStatus.cancelled)
    )
    db.session.execute(
        update(Registration)
        .where(Registration.id == waiting.registration.id)
        .values(status=RegistrationStatus.waitlisted)
    )
    db.session.commit()
    assert queue_due_follow_ups(event.ends_at + timedelta(days=8)) == 0  # missed: past the catch-up window
    assert queue_due_follow_ups(event.ends_at + AFTER) == 1
    assert set(queued()) == {"ada@example.org"}


def test_someone_sharing_their_email_with_nobody_is_in_nobodys_email_with_it(meetup):
    event, person = meetup
    ada = person("Ada Lovelace")
    bob = person("Bob Builder", topics=["rust"])
    person("Cy Young", topics=["rust"], directory_opt_in=True)
    for phone in (ada, bob):
        phone.user.sharing = {"email": Visibility.nobody, "phone": Visibility.nobody}
        phone.user.phone = "+49 30 1234567"
    db.session.commit()
    ada.exchange(bob.registration)
    bob.exchange(ada.registration)

    queue_due_follow_ups(event.ends_at + AFTER)

    for to, message in queued().items():
        text, html = bodies(message)
        others = {"ada@example.org", "bob@example.org"} - {to}
        for hidden in [*others, "+49 30 1234567"]:
            assert hidden not in text and hidden not in html and hidden not in (attachment(message) or ""), to


def test_a_blocked_person_does_not_appear(client, meetup):
    event, person = meetup
    ada = person("Ada Lovelace", topics=["rust"])
    bob = person("Bob Builder", topics=["rust"], directory_opt_in=True)
    mal = person("Mal Icious", topics=["rust"], directory_opt_in=True)
    ada.exchange(bob.registration)
    ada.exchange(mal.registration)
    blocked = client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": mal.user.id})
    assert blocked.status_code in (200, 201), blocked.json

    queue_due_follow_ups(event.ends_at + AFTER)

    emails = queued()
    text, html = bodies(emails["ada@example.org"])
    assert "Bob Builder" in text and "Mal Icious" not in text + html + attachment(emails["ada@example.org"])
    assert "Ada Lovelace" not in "".join(bodies(emails["mal@example.org"]))


def test_people_who_turned_follow_ups_off_get_none(client, meetup):
    event, person = meetup
    ada, bob = person("Ada Lovelace"), person("Bob Builder", came=False)
    for phone in (ada, bob):
        response = client.patch("/api/v1/me", headers=phone.headers, json={"email_preferences": {"follow_up": False}})
        assert response.status_code == 200 and response.json["email_preferences"]["follow_up"] is False
    assert queue_due_follow_ups(event.ends_at + AFTER) == 0
    assert queued() == {}


def test_a_chunk_whose_worker_died_is_taken_over_and_the_run_goes_on(meetup):
    event, person = meetup
    ada, bob, _cy = (person(name) for name in ("Ada Lovelace", "Bob Builder", "Cy Young"))
    an_hour_ago = utcnow() - timedelta(hours=1)
    # A worker queued Ada's chunk, claimed Bob's, and died an hour ago before committing it.
    run = FollowUpRun(
        event_id=event.id,
        kind=FollowUpKind.after_event,
        claim="dead",
        claimed_at=an_hour_ago,
        started_at=an_hour_ago,
        done_through=bob.registration.id,
        queued=1,
    )
    db.session.add(run)
    db.session.flush()
    db.session.add_all(
        [
            FollowUpChunk(
                run_id=run.id,
                after_id=0,
                through_id=ada.registration.id,
                claim="dead",
                claimed_at=an_hour_ago,
                finished_at=an_hour_ago,
            ),
            FollowUpChunk(
                run_id=run.id,
                after_id=ada.registration.id,
                through_id=bob.registration.id,
                claim="dead",
                claimed_at=an_hour_ago,
            ),
        ]
    )
    db.session.commit()

    assert queue_due_follow_ups(event.ends_at + AFTER) == 2
    assert set(queued()) == {"bob@example.org", "cy@example.org"}  # Ada's went out before the worker died
    run = db.session.scalar(select(FollowUpRun))
    assert run.finished_at is not None and run.queued == 3 and run.state == "finished"
    assert db.session.scalar(select(func.count()).where(FollowUpChunk.claim == "dead")) == 1  # Ada's only


def test_a_chunk_held_by_a_live_worker_is_left_to_it(meetup):
    event, person = meetup
    ada = person("Ada Lovelace")
    run = FollowUpRun(
        event_id=event.id,
        kind=FollowUpKind.after_event,
        claim="alive",
        claimed_at=utcnow(),
        started_at=utcnow(),
        done_through=ada.registration.id,
    )
    db.session.add(run)
    db.session.flush()
    db.session.add(
        FollowUpChunk(run_id=run.id, after_id=0, through_id=ada.registration.id, claim="alive", claimed_at=utcnow())
    )
    db.session.commit()
    assert queue_due_follow_ups(event.ends_at + AFTER) == 0
    assert db.session.scalar(select(FollowUpRun)).state == "queuing"


def test_the_command_queues_what_is_due_now(app, make, meetup):
    event, person = meetup
    person("Ada Lovelace")
    db.session.execute(
        update(Event)
        .where(Event.id == event.id)
        .values(ends_at=utcnow() - AFTER, starts_at=utcnow() - timedelta(hours=5))
    )
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "queue-follow-ups"])
    assert result.exit_code == 0 and result.output == "1 follow-up email(s) queued.\n", result.output
    assert set(queued()) == {"ada@example.org"}


def test_the_email_gives_a_bingo_result_only_to_people_who_signed_a_square(client, make, meetup):
    event, person = meetup
    ada, bob = person("Ada Lovelace"), person("Bob Builder")
    person("Cy Young")  # has a card, signs nothing
    organizer = make.token(event.owner)
    bingo = f"/api/v1/events/{event.id}/bingo"
    actions = ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge", "a5", "a6", "a7", "a8"]
    assert client.put(bingo, json={"actions": actions, "size": 3}, headers=organizer).status_code == 200
    assert client.post(f"{bingo}/rounds", json={}, headers=organizer).status_code == 201
    ada.exchange(bob.registration, actions=["introduced"])  # Ada signs a square; Cy plays no part

    assert queue_due_follow_ups(event.ends_at + AFTER) == 3
    emails = queued()
    for body in bodies(emails["ada@example.org"]):
        assert "Bingo: you signed 1 of 9 squares" in body
    for body in bodies(emails["cy@example.org"]):
        assert "Bingo" not in body and "0 of 9" not in body


def test_suggestions_in_a_later_chunk_follow_who_is_listed_when_it_is_written(monkeypatch, meetup):
    """A run reads the event's interests once, for ranking; who is shown is read again for each chunk."""
    from netevents.accounts.models import User
    from netevents.follow_ups import services

    event, person = meetup
    dee = person("Dee Dorman", topics=["rust"], directory_opt_in=True)  # registered first: in the first chunk
    person("Ada Lovelace", topics=["rust"], directory_opt_in=True)
    person("Bob Builder", topics=["rust"], directory_opt_in=True)  # the second chunk's people
    person("Cy Young", topics=["rust"], directory_opt_in=True)
    dee_id = dee.registration.user_id
    monkeypatch.setattr(services, "CHUNK", 2)
    claim_chunk, claims = services._claim_chunk, []

    def claim_then_leave_after_the_first(run_id, claim):
        claims.append(run_id)
        if len(claims) == 2:  # Dee leaves the directory while the run is under way
            db.session.execute(update(User).where(User.id == dee_id).values(directory_opt_in=False))
            db.session.commit()
        return claim_chunk(run_id, claim)

    monkeypatch.setattr(services, "_claim_chunk", claim_then_leave_after_the_first)
    assert queue_due_follow_ups(event.ends_at + AFTER) == 4

    emails = queued()
    assert "Dee Dorman" in bodies(emails["ada@example.org"])[0]  # written before she left
    for later in ("bob@example.org", "cy@example.org"):
        text, html = bodies(emails[later])
        assert "Dee Dorman" not in text and "Dee Dorman" not in html
        assert "Ada Lovelace" in text  # the others are still suggested


def test_the_email_gives_an_events_own_actions_in_its_organizers_words(client, make, meetup):
    event, person = meetup
    url = f"/api/v1/events/{event.id}/exchange-actions"
    changed = client.patch(
        url,
        headers=make.token(event.owner),
        json={"custom": ["talked_ai"], "labels": {"talked_ai": "Talked about AI"}},
    )
    assert changed.status_code == 200, changed.json
    ada, bob = person("Ada Lovelace"), person("Bob Builder")
    assert ada.exchange(bob.registration, actions=["talked_ai", "asked_advice"]).status_code == 200
    bob.exchange(ada.registration)

    assert queue_due_follow_ups(event.ends_at + AFTER) == 2

    for body in bodies(queued()["ada@example.org"]):
        assert "Talked about AI" in body and "Asked for advice" in body and "talked_ai" not in body
