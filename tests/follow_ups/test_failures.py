"""One person whose follow-up cannot be written: recorded, shown to the organizer, and everyone else's goes on."""

import logging

from sqlalchemy import func, select

from netevents.extensions import db
from netevents.follow_ups import compose
from netevents.follow_ups.models import FollowUpFailure, FollowUpRun
from netevents.follow_ups.services import queue_due_follow_ups
from tests.follow_ups.conftest import AFTER, queued


def test_a_person_whose_email_fails_to_render_is_recorded_and_the_run_goes_on(
    client, make, meetup, monkeypatch, caplog
):
    event, person = meetup
    ada, bob, cy = person("Ada Lovelace"), person("Bob Builder"), person("Cy Young")
    ada.exchange(bob.registration)
    bob.exchange(cy.registration)
    render = compose.render_email

    def failing_for_bob(template, /, **context):
        if context["user"].name == "Bob Builder":
            # An error whose message holds personal data: it must reach neither the log nor the organizer.
            raise RuntimeError(f"template broke on {context['user'].email} ({context['user'].name})")
        return render(template, **context)

    monkeypatch.setattr(compose, "render_email", failing_for_bob)

    with caplog.at_level(logging.INFO, logger="netevents.follow_ups.services"):
        assert queue_due_follow_ups(event.ends_at + AFTER) == 2

    assert set(queued()) == {"ada@example.org", "cy@example.org"}
    run = db.session.scalar(select(FollowUpRun))
    assert run.finished_at is not None and (run.queued, run.failed) == (2, 1)
    assert run.state == "finished with 1 failure"
    logged = caplog.text
    assert f"registration {bob.registration.id} could not be written (RuntimeError" in logged
    assert "finished with 1 failure (2 queued)" in logged
    assert "bob@example.org" not in logged and "Bob" not in logged

    status = client.get(f"/api/v1/events/{event.id}/mail", headers=make.token(event.owner))
    assert status.status_code == 200, status.json
    [follow_ups] = status.json["follow_ups"]
    assert (follow_ups["kind"], follow_ups["state"], follow_ups["queued"], follow_ups["failed"]) == (
        "after_event",
        "finished with 1 failure",
        2,
        1,
    )
    [failure] = follow_ups["failures"]
    assert (failure["registration_id"], failure["name"]) == (bob.registration.id, "Bob Builder")
    assert "could not be written" in failure["reason"] and "RuntimeError" in failure["reason"]
    assert "bob@example.org" not in failure["reason"]

    # Run again (the template fixed or not): nothing new is queued, the failure is recorded once.
    monkeypatch.setattr(compose, "render_email", render)
    assert queue_due_follow_ups(event.ends_at + AFTER) == 0
    assert db.session.scalar(select(func.count()).select_from(FollowUpFailure)) == 1


def test_every_person_failing_still_finishes_the_run(meetup, monkeypatch):
    event, person = meetup
    person("Ada Lovelace")
    person("Ned Noshow", came=False)

    def broken(*_args, **_kwargs):
        raise KeyError("missing")

    monkeypatch.setattr(compose, "render_email", broken)
    assert queue_due_follow_ups(event.ends_at + AFTER) == 0
    run = db.session.scalar(select(FollowUpRun))
    assert run.state == "finished with 2 failures" and queued() == {}


def test_a_run_without_failures_says_finished(client, make, meetup):
    event, person = meetup
    person("Ada Lovelace")
    assert queue_due_follow_ups(event.ends_at + AFTER) == 1
    [follow_ups] = client.get(f"/api/v1/events/{event.id}/mail", headers=make.token(event.owner)).json["follow_ups"]
    assert (follow_ups["state"], follow_ups["failed"], follow_ups["failures"]) == ("finished", 0, [])
