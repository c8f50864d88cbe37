"""The registration service called directly, and the waitlist under real concurrency (threads, one
session and connection each), which must hold on SQLite and on PostgreSQL."""

import threading

import pytest
from sqlalchemy import func, select

from netevents.accounts.services import delete_account
from netevents.errors import DomainError
from netevents.events.models import Event
from netevents.events.services import lock_event
from netevents.extensions import db
from netevents.mail.models import OutgoingEmail
from netevents.registrations import services
from netevents.registrations.models import Registration, RegistrationStatus
from netevents.registrations.waitlist import fill_free_spots, waitlist_position
from tests.mail.reading import recipient


def status_counts(event_id: int) -> dict[str, int]:
    db.session.expire_all()
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event_id).group_by(Registration.status)
    ).all()
    return {status.value: number for status, number in rows}


def stored_confirmed_count(event_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Event, event_id).confirmed_count


def test_register_returns_the_waitlist_position(make):
    event = make.event(capacity=1)
    make.registration(event)
    second = services.register(event.id, {"email": "b@example.org", "name": "B"}, signed_in=None)
    third = services.register(event.id, {"email": "c@example.org", "name": "C"}, signed_in=None)
    db.session.commit()
    assert (second.status, second.waitlist_position) == (RegistrationStatus.waitlisted, 1)
    assert (third.status, third.waitlist_position) == (RegistrationStatus.waitlisted, 2)
    assert waitlist_position(third) == 2


def test_fill_free_spots_promotes_first_come_first_served(make):
    event = make.event(capacity=1)
    make.registration(event, email="a@example.org")
    waiting = [make.registration(event, email=f"w{n}@example.org") for n in range(3)]
    locked = lock_event(event.id)
    locked.capacity = 3
    promoted = fill_free_spots(locked)
    db.session.commit()
    assert [r.id for r in promoted] == [waiting[0].id, waiting[1].id]
    assert all(r.promoted_at is not None for r in promoted)
    assert stored_confirmed_count(event.id) == 3
    assert fill_free_spots(lock_event(event.id)) == []


def test_a_person_leaving_gives_their_seat_to_the_waitlist(make, outbox):
    event = make.event(capacity=1)
    leaving = make.registration(event, email="leaving@example.org")
    make.registration(event, email="next@example.org")
    delete_account(leaving.user)
    db.session.commit()
    assert status_counts(event.id) == {"confirmed": 1}
    assert stored_confirmed_count(event.id) == 1
    assert [recipient(m) for m in outbox() if m["Subject"].startswith("You are in")] == ["next@example.org"]


def test_a_refused_registration_queues_no_email(make):
    event = make.event(capacity=1, waitlist_enabled=False)
    make.registration(event)
    before = db.session.scalar(select(func.count()).select_from(OutgoingEmail))
    with pytest.raises(DomainError) as refused:
        services.register(event.id, {"email": "late@example.org", "name": "Late"}, signed_in=None)
    assert refused.value.code == "event_full"
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == before


# --- concurrency: real threads, each with its own app context (so its own session and connection) --------


def run_concurrently(app, calls) -> list:
    """Run each call in its own thread and app context, all released at once; return their results."""
    db.session.rollback()  # the test's own transaction would hold SQLite's write lock
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        with app.app_context():
            client = app.test_client()
            barrier.wait()
            try:
                results[index] = call(client)
            except BaseException as error:  # reported by the test, not lost in the thread
                results[index] = error
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors
    return results


def test_twenty_people_registering_at_once_for_five_seats(app, make):
    event = make.event(capacity=5)
    event_id = event.id

    def registrant(n):
        return lambda client: client.post(
            f"/api/v1/events/{event_id}/registrations", json={"email": f"p{n}@example.org", "name": f"Person {n}"}
        )

    responses = run_concurrently(app, [registrant(n) for n in range(20)])

    assert [r.status_code for r in responses] == [202] * 20, [r.json for r in responses if r.status_code != 202]
    assert status_counts(event_id) == {"confirmed": 5, "waitlisted": 15}
    waiting = db.session.scalars(
        select(Registration).where(Registration.status == RegistrationStatus.waitlisted).order_by(Registration.id)
    ).all()
    assert [waitlist_position(r) for r in waiting] == list(range(1, 16))
    assert stored_confirmed_count(event_id) == 5
    assert db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 20


def test_concurrent_cancellations_promote_exactly_as_many_as_they_free(app, make):
    event = make.event(capacity=6)
    registrations = [make.registration(event, email=f"p{n}@example.org") for n in range(16)]
    confirmed, waiting = registrations[:6], registrations[6:]
    leaving = confirmed[:4] + waiting[:2]  # four seats freed; two waitlisted people leave too
    tokens = {r.id: make.token(r.user) for r in leaving}

    def cancel(registration_id):
        return lambda client: client.post(
            f"/api/v1/registrations/{registration_id}/cancel", headers=tokens[registration_id]
        )

    responses = run_concurrently(app, [cancel(r.id) for r in leaving])

    assert [r.status_code for r in responses] == [200] * len(leaving), [r.json for r in responses]
    assert status_counts(event.id) == {"cancelled": 6, "confirmed": 6, "waitlisted": 4}
    assert stored_confirmed_count(event.id) == 6
    # First come, first served among those who stayed, whatever order the cancellations ran in.
    confirmed_now = db.session.scalars(
        select(Registration.id).where(Registration.status == RegistrationStatus.confirmed).order_by(Registration.id)
    ).all()
    assert confirmed_now == [r.id for r in confirmed[4:] + waiting[2:6]]
    for registration in waiting[2:6]:  # each newly confirmed person is told exactly once
        told = db.session.scalar(
            select(func.count())
            .select_from(OutgoingEmail)
            .where(OutgoingEmail.to_address == registration.email, OutgoingEmail.subject.like("You are in:%"))
        )
        assert told == 1, registration.email


def test_the_same_registration_cancelled_twice_at_once_frees_one_seat(app, make):
    event = make.event(capacity=1)
    first = make.registration(event)
    make.registration(event)
    make.registration(event)
    url, headers = f"/api/v1/registrations/{first.id}/cancel", make.token(first.user)

    responses = run_concurrently(app, [lambda client: client.post(url, headers=headers)] * 4)

    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    assert {r.json["reason"] for r in responses if r.status_code == 409} == {"already_cancelled"}
    assert status_counts(event.id) == {"cancelled": 1, "confirmed": 1, "waitlisted": 1}
    assert stored_confirmed_count(event.id) == 1


def test_registrations_racing_a_cancellation_are_refused_or_told(app, make):
    event = make.event(capacity=50)
    event_id, owner_headers = event.id, make.token(event.owner)

    def registrant(n):
        return lambda client: client.post(
            f"/api/v1/events/{event_id}/registrations", json={"email": f"p{n}@example.org", "name": f"Person {n}"}
        )

    def cancel(client):
        return client.patch(f"/api/v1/events/{event_id}", headers=owner_headers, json={"status": "cancelled"})

    calls = [registrant(n) for n in range(12)]
    calls.insert(6, cancel)
    responses = run_concurrently(app, calls)

    assert responses[6].status_code == 200
    refused = [r for r in responses if r.status_code == 409]
    assert all(r.json["reason"] == "event_cancelled" for r in refused)
    assert sorted(r.status_code for r in responses) == sorted(
        [200] + [202] * (12 - len(refused)) + [409] * len(refused)
    )
    # Everyone who got in before the cancellation was told it is off.
    registered = db.session.scalars(select(Registration.email).where(Registration.event_id == event_id)).all()
    told = db.session.scalars(
        select(OutgoingEmail.to_address).where(OutgoingEmail.subject.like("Event cancelled:%"))
    ).all()
    assert sorted(told) == sorted(registered)
