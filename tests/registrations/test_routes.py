"""Registrations over HTTP: registering, the confirmation email, the waitlist, the organizer's list and CSV."""

import csv
import io
import re
import threading

import zxingcpp
from icalendar import Calendar
from PIL import Image
from sqlalchemy import func, select

from netevents import signals
from netevents.accounts.models import User, Visibility
from netevents.db import utcnow
from netevents.events.models import Event, EventStatus
from netevents.extensions import db
from netevents.mail.allowance import ANONYMOUS_REGISTRATION_EMAILS_PER_ADDRESS, EVENT_CANCELLED_EMAILS_PER_ADDRESS
from netevents.registrations.models import Registration, RegistrationStatus
from netevents.registrations.routes import REGISTRATION_SENT
from netevents.registrations.waitlist import waitlist_position
from tests.mail.reading import inline_image, recipient


def register(client, event, email, name="Ada Lovelace", headers=None, **fields):
    return client.post(
        f"/api/v1/events/{event.id}/registrations", headers=headers or {}, json={"email": email, "name": name, **fields}
    )


def registration_of(event, email) -> Registration:
    db.session.expire_all()
    return db.session.scalar(
        select(Registration).where(Registration.event_id == event.id, Registration.email == email.lower())
    )


def assert_sent_by_email(response) -> None:
    """The answer to anyone but the signed-in registrant: the same whatever the address (it says nothing of it)."""
    assert response.status_code == 202, response.json
    assert response.json == {"message": REGISTRATION_SENT}


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def statuses(event) -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.scalars(select(Registration).where(Registration.event_id == event.id))
    return {row.email: row.status.value for row in rows}


def confirmed_count(event) -> int:
    db.session.expire_all()
    return db.session.get(Event, event.id).confirmed_count


def mails_to(outbox, address) -> list:
    return [m for m in outbox() if recipient(m) == address]


def sign_in_by_mail(client, message) -> dict:
    body = message.get_body(preferencelist=("plain",)).get_content()
    code = re.search(r"#code=([\w-]+)", body).group(1)
    redeemed = client.post("/api/v1/auth/magic-link/redeem", json={"code": code})
    assert redeemed.status_code == 200
    return {"Authorization": f"Bearer {redeemed.json['token']}"}


# --- registering -----------------------------------------------------------------------------------


def test_register_confirms_and_emails_the_badge_the_calendar_and_a_sign_in_link(client, make, outbox):
    event = make.event(title="Platform Night", capacity=10)
    response = register(
        client,
        event,
        "Ada@Example.org",
        headline="Staff engineer",
        company="Analytical",
        topics=["compilers"],
        contact_sharing="public",
    )
    assert_sent_by_email(response)
    assert confirmed_count(event) == 1

    (mail,) = mails_to(outbox, "ada@example.org")
    assert mail["Subject"] == "Registered: Platform Night"
    attachments = {part.get_filename(): part for part in mail.iter_attachments()}
    assert set(attachments) == {"event.ics"}
    png = inline_image(mail)  # shown in the HTML (tests/mail/test_messages.py reads it closer)
    assert png.get_content_type() == "image/png" and png.get_filename() == "badge-qr.png"
    (code,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png.get_content())))
    assert code.text.startswith("http://testserver/b/")  # absolute: the address the door reads
    secret = code.text.removeprefix("http://testserver/b/")
    assert len(secret) >= 22  # at least 128 bits, URL-safe
    ics = attachments["event.ics"]
    assert ics.get_content_type() == "text/calendar"
    (entry,) = Calendar.from_ical(ics.get_content()).walk("VEVENT")
    assert str(entry["summary"]) == "Platform Night"
    assert entry.decoded("dtstart") == event.starts_at

    # The sign-in link works and signs in as the registrant, who sees the registration.
    headers = sign_in_by_mail(client, mail)
    me = client.get("/api/v1/me", headers=headers)
    assert me.json["email"] == "ada@example.org" and me.json["headline"] == "Staff engineer"
    assert me.json["topics"] == ["compilers"] and me.json["contact_sharing"] == "public"
    (body,) = client.get("/api/v1/me/registrations", headers=headers).json["items"]
    assert body["status"] == "confirmed" and body["waitlist_position"] is None
    assert body["email"] == "ada@example.org" and body["name"] == "Ada Lovelace"
    assert body["event"]["id"] == event.id and body["event"]["title"] == "Platform Night"
    assert body["badge_url"] == f"http://testserver/b/{secret}"
    assert client.get(f"/api/v1/registrations/{body['id']}", headers=headers).status_code == 200


def test_registering_an_address_twice_changes_nothing_and_reminds_its_owner_once_a_day(client, make, outbox):
    event = make.event(capacity=5, title="Platform Night")
    first = register(client, event, "ada@example.org", name="Ada Lovelace", company="Analytical")
    assert_sent_by_email(first)
    registration = registration_of(event, "ada@example.org")
    badge_path = registration.badge_path

    for _ in range(2):  # the same answer as for a new address: a stranger cannot tell it was registered
        assert_sent_by_email(register(client, event, "ADA@Example.org", name="Someone Else", company="Hijack Ltd"))

    assert count(Registration) == 1 and count(User, User.email == "ada@example.org") == 1
    registration = registration_of(event, "ada@example.org")
    assert (registration.name, registration.company) == ("Ada Lovelace", "Analytical")
    assert registration.badge_path == badge_path
    assert confirmed_count(event) == 1
    # One reminder, however often it is asked for that day.
    assert sorted(m["Subject"] for m in outbox()) == [
        "Registered: Platform Night",
        "You are already registered: Platform Night",
    ]
    (reminder,) = [m for m in outbox() if m["Subject"].startswith("You are already")]
    assert f"http://testserver{badge_path}" in reminder.get_body(preferencelist=("plain",)).get_content()


def test_a_signed_in_person_registering_again_is_told_so(client, make):
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    event = make.event()
    headers = make.token(ada)
    assert client.post(f"/api/v1/events/{event.id}/registrations", headers=headers, json={}).status_code == 201
    again = client.post(f"/api/v1/events/{event.id}/registrations", headers=headers, json={})
    assert again.status_code == 409 and again.json["reason"] == "already_registered"
    assert again.json["detail"] == "You are registered for this event already: your badge is under My events."
    assert (
        again.json["registration_id"] == client.get("/api/v1/me/registrations", headers=headers).json["items"][0]["id"]
    )


def test_a_registration_form_does_not_overwrite_someone_elses_profile(client, make):
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    event = make.event()
    response = register(client, event, "ada@example.org", name="Not Ada", headline="Hacked")
    assert_sent_by_email(response)
    db.session.expire_all()
    profile = db.session.get(User, ada.id)
    assert (profile.name, profile.headline) == ("Ada Lovelace", "")


def test_registering_someone_elses_address_reveals_and_copies_nothing_of_their_profile(client, make):
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    ada.company, ada.headline = "SecretCo", "Keeps it to herself"
    db.session.commit()
    event = make.event()

    response = register(client, event, "ada@example.org", name="Typed By A Stranger")

    assert_sent_by_email(response)
    assert "SecretCo" not in response.get_data(as_text=True) and "/b/" not in response.get_data(as_text=True)
    registration = registration_of(event, "ada@example.org")
    assert (registration.company, registration.headline) == ("", "")  # neither typed for them nor copied


def test_the_answer_to_a_stranger_is_the_same_for_a_new_address_an_account_and_a_registered_one(client, make):
    make.user(name="Ada Lovelace", email="ada@example.org")
    event = make.event()
    answers = [
        register(client, event, "new@example.org"),
        register(client, event, "ada@example.org"),
        register(client, event, "ada@example.org"),
    ]
    assert {(a.status_code, a.get_data(as_text=True)) for a in answers} == {(202, answers[0].get_data(as_text=True))}


def test_signed_in_registration_uses_the_account(client, make):
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    event = make.event()
    response = client.post(
        f"/api/v1/events/{event.id}/registrations", headers=make.token(ada), json={"headline": "Principal engineer"}
    )
    assert response.status_code == 201
    assert response.json["email"] == "ada@example.org" and response.json["name"] == "Ada Lovelace"
    db.session.expire_all()
    assert db.session.get(User, ada.id).headline == "Principal engineer"


def test_registering_keeps_the_directory_and_sharing_choices_a_person_made_in_their_profile(client, make):
    """Ticking "list me" for one event must not put back in every directory someone who left them all."""
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    left = client.patch(
        "/api/v1/me", headers=make.token(ada), json={"directory_opt_in": False, "contact_sharing": "nobody"}
    )
    assert left.status_code == 200
    response = client.post(
        f"/api/v1/events/{make.event().id}/registrations",
        headers=make.token(ada),
        json={"headline": "Principal engineer", "directory_opt_in": True, "contact_sharing": "public"},
    )
    assert response.status_code == 201
    me = client.get("/api/v1/me", headers=make.token(ada)).json
    assert (me["directory_opt_in"], me["contact_sharing"]) == (False, "nobody")
    assert me["headline"] == "Principal engineer"  # the profile itself is still edited as they register


def test_a_new_person_makes_their_first_choices_as_they_register(client, make, outbox):
    event = make.event()
    assert_sent_by_email(register(client, event, "grace@example.org", directory_opt_in=True))
    assert db.session.scalar(select(User.directory_opt_in).where(User.email == "grace@example.org")) is True


def test_anonymous_registration_needs_an_email_and_a_name(client, make):
    event = make.event()
    no_email = client.post(f"/api/v1/events/{event.id}/registrations", json={"name": "Ada"})
    assert no_email.status_code == 422 and "email" in no_email.json["errors"]
    no_name = client.post(f"/api/v1/events/{event.id}/registrations", json={"email": "ada@example.org"})
    assert no_name.status_code == 422 and "name" in no_name.json["errors"]
    assert count(Registration) == 0 and count(User, User.email == "ada@example.org") == 0


def test_drafts_are_not_found_and_cancelled_events_are_closed(client, make, outbox):
    draft = make.event(status=EventStatus.draft)
    cancelled = make.event(status=EventStatus.cancelled)
    response = register(client, draft, "ada@example.org")
    assert response.status_code == 404 and response.json["reason"] == "not_found"
    response = register(client, cancelled, "ada@example.org")
    assert response.status_code == 409 and response.json["reason"] == "event_cancelled"
    assert register(client, make.event(), "ada@example.org").status_code == 202
    assert count(Registration) == 1
    assert len(mails_to(outbox, "ada@example.org")) == 1


def test_past_events_are_closed(client, make):
    from datetime import timedelta

    from netevents.db import utcnow

    start = utcnow() - timedelta(days=2)
    event = make.event(starts_at=start, ends_at=start + timedelta(hours=2))
    response = register(client, event, "ada@example.org")
    assert response.status_code == 409 and response.json["reason"] == "event_over"


# --- capacity and the waitlist ---------------------------------------------------------------------


def test_a_full_event_waitlists_in_order_and_tells_people_their_place(client, make, outbox):
    event = make.event(capacity=2)
    for n in range(4):
        assert_sent_by_email(register(client, event, f"p{n}@example.org", name=f"Person {n}"))
    answers = [registration_of(event, f"p{n}@example.org") for n in range(4)]
    assert [a.status.value for a in answers] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [waitlist_position(a) for a in answers] == [None, None, 1, 2]
    assert confirmed_count(event) == 2
    assert client.get(f"/api/v1/events/{event.id}").json["spots_left"] == 0
    (waitlist_mail,) = mails_to(outbox, "p3@example.org")
    assert waitlist_mail["Subject"].startswith("Waitlist:")
    assert "number 2" in waitlist_mail.get_body(preferencelist=("plain",)).get_content()
    assert list(waitlist_mail.iter_attachments()) == []  # no badge until confirmed


def test_cancelling_promotes_the_next_waitlisted_person_and_emails_them(client, make, outbox):
    event = make.event(capacity=1, title="Rust Workshop")
    first = make.registration(event, email="first@example.org")
    make.registration(event, email="second@example.org")
    make.registration(event, email="third@example.org")

    response = client.post(f"/api/v1/registrations/{first.id}/cancel", headers=make.token(first.user))

    assert response.status_code == 200
    assert response.json["status"] == "cancelled" and response.json["badge_url"] is None
    assert statuses(event) == {
        "first@example.org": "cancelled",
        "second@example.org": "confirmed",
        "third@example.org": "waitlisted",
    }
    assert confirmed_count(event) == 1
    promoted_mail = [m for m in mails_to(outbox, "second@example.org") if m["Subject"] == "You are in: Rust Workshop"]
    assert len(promoted_mail) == 1
    assert {p.get_filename() for p in promoted_mail[0].iter_attachments()} == {"event.ics"}
    assert inline_image(promoted_mail[0]).get_filename() == "badge-qr.png"
    assert sorted(m["Subject"] for m in mails_to(outbox, "first@example.org")) == [
        "Cancelled: your registration for Rust Workshop",
        "Registered: Rust Workshop",
    ]
    assert not [m for m in mails_to(outbox, "third@example.org") if m["Subject"].startswith("You are in")]

    twice = client.post(f"/api/v1/registrations/{first.id}/cancel", headers=make.token(first.user))
    assert twice.status_code == 409 and twice.json["reason"] == "already_cancelled"
    assert statuses(event)["third@example.org"] == "waitlisted"


def test_cancelling_a_waitlisted_registration_promotes_nobody(client, make):
    event = make.event(capacity=1)
    make.registration(event, email="first@example.org")
    waiting = make.registration(event, email="second@example.org")
    make.registration(event, email="third@example.org")
    assert (
        client.post(f"/api/v1/registrations/{waiting.id}/cancel", headers=make.token(waiting.user)).status_code == 200
    )
    assert statuses(event) == {
        "first@example.org": "confirmed",
        "second@example.org": "cancelled",
        "third@example.org": "waitlisted",
    }
    assert confirmed_count(event) == 1


def test_cancellations_are_announced_after_the_commit_with_whether_they_freed_a_seat(client, make, heard):
    event = make.event(capacity=1)
    confirmed, waiting = make.registration(event), make.registration(event)
    cancels = [(f"/api/v1/registrations/{r.id}/cancel", make.token(r.user)) for r in (waiting, confirmed)]
    with heard(signals.registration_cancelled) as cancelled:
        for url, headers in cancels:
            assert client.post(url, headers=headers).status_code == 200
        url, headers = cancels[0]
        assert client.post(url, headers=headers).status_code == 409  # already cancelled: nothing to announce
    assert [(payload["registration_id"], payload["freed_seat"]) for _sender, payload in cancelled] == [
        (waiting.id, False),
        (confirmed.id, True),
    ]


def test_raising_the_capacity_promotes_from_the_waitlist(client, make, outbox):
    event = make.event(capacity=1)
    for n in range(4):
        make.registration(event, email=f"p{n}@example.org")
    response = client.patch(f"/api/v1/events/{event.id}", headers=make.token(event.owner), json={"capacity": 3})
    assert response.status_code == 200
    assert response.json["confirmed_count"] == 3 and response.json["spots_left"] == 0
    assert statuses(event) == {
        "p0@example.org": "confirmed",
        "p1@example.org": "confirmed",
        "p2@example.org": "confirmed",
        "p3@example.org": "waitlisted",
    }
    promoted = [recipient(m) for m in outbox() if m["Subject"].startswith("You are in")]
    assert sorted(promoted) == ["p1@example.org", "p2@example.org"]
    # Lifting the limit takes everyone in.
    client.patch(f"/api/v1/events/{event.id}", headers=make.token(event.owner), json={"capacity": None})
    assert set(statuses(event).values()) == {"confirmed"} and confirmed_count(event) == 4


def test_without_a_waitlist_a_full_event_refuses(client, make, outbox):
    event = make.event(capacity=1, waitlist_enabled=False)
    assert register(client, event, "first@example.org").status_code == 202
    response = register(client, event, "second@example.org")
    assert response.status_code == 409 and response.json["reason"] == "event_full"
    assert count(Registration) == 1
    assert count(User, User.email == "second@example.org") == 0
    assert mails_to(outbox, "second@example.org") == []


def test_registering_again_after_cancelling_reuses_the_row_with_a_new_badge(client, make):
    event = make.event()
    assert_sent_by_email(register(client, event, "ada@example.org"))
    first = registration_of(event, "ada@example.org")
    first_id, first_badge = first.id, first.badge_path
    client.post(f"/api/v1/registrations/{first_id}/cancel", headers=make.token(first.user))
    assert_sent_by_email(register(client, event, "ada@example.org"))
    again = registration_of(event, "ada@example.org")
    assert again.id == first_id and again.status == RegistrationStatus.confirmed and again.cancelled_at is None
    assert again.badge_path != first_badge
    assert confirmed_count(event) == 1


# --- one registration ------------------------------------------------------------------------------


def test_a_registration_is_seen_and_changed_by_its_owner_and_organizers_only(client, make):
    event = make.event()
    registration = make.registration(event, name="Ada Lovelace")
    owner, organizer = make.token(registration.user), make.token(event.owner)
    stranger = make.token(make.user(name="Mallory"))
    url = f"/api/v1/registrations/{registration.id}"
    assert client.get(url, headers=owner).status_code == 200
    assert client.get(url, headers=organizer).json["email"] == registration.email
    assert client.get(url, headers=stranger).status_code == 404
    assert client.get(url).status_code == 401
    assert client.patch(url, headers=stranger, json={"name": "Mallory"}).status_code == 404
    assert client.post(f"{url}/cancel", headers=stranger).status_code == 404
    changed = client.patch(url, headers=owner, json={"name": "Ada King", "company": "Analytical Engines"})
    assert changed.status_code == 200 and changed.json["name"] == "Ada King"
    assert statuses(event)[registration.email] == "confirmed"


def test_a_cancelled_registration_cannot_be_edited(client, make):
    registration = make.registration(make.event())
    headers = make.token(registration.user)
    client.post(f"/api/v1/registrations/{registration.id}/cancel", headers=headers)
    response = client.patch(f"/api/v1/registrations/{registration.id}", headers=headers, json={"name": "New"})
    assert response.status_code == 409 and response.json["reason"] == "registration_cancelled"


def test_my_registrations_lists_mine_newest_event_first(client, make):
    from datetime import timedelta

    from netevents.db import utcnow

    owner = make.user()
    soon = utcnow().replace(microsecond=0) + timedelta(days=1)
    later = soon + timedelta(days=30)
    early = make.event(owner, title="Soon", starts_at=soon, ends_at=soon + timedelta(hours=2))
    late = make.event(owner, title="Later", starts_at=later, ends_at=later + timedelta(hours=2))
    mine_early = make.registration(early, email="ada@example.org")
    make.registration(late, email="ada@example.org")
    make.registration(late, email="someone.else@example.org")
    headers = make.token(mine_early.user)
    response = client.get("/api/v1/me/registrations", headers=headers)
    assert response.status_code == 200 and response.json["total"] == 2
    assert [r["event"]["title"] for r in response.json["items"]] == ["Later", "Soon"]
    assert {r["email"] for r in response.json["items"]} == {"ada@example.org"}
    paged = client.get("/api/v1/me/registrations?per_page=1&page=2", headers=headers)
    assert [r["event"]["title"] for r in paged.json["items"]] == ["Soon"] and paged.json["pages"] == 2
    assert client.get("/api/v1/me/registrations").status_code == 401


# --- the organizer's list and CSV export -----------------------------------------------------------


def attendees(client, event, headers, **query):
    response = client.get(f"/api/v1/events/{event.id}/registrations", headers=headers, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_organizer_list_searches_filters_and_pages(client, make):
    event = make.event(capacity=3)
    for name, email, company in [
        ("Ada Lovelace", "ada@example.org", "Analytical"),
        ("Grace Hopper", "grace@navy.example", "Navy"),
        ("Barbara Liskov", "barbara@mit.example", "MIT"),
        ("Alan Turing", "alan@example.org", "Bletchley"),
        ("Katherine Johnson", "katherine@nasa.example", "NASA"),
    ]:
        make.registration(event, name=name, email=email, company=company)
    headers = make.token(event.owner)

    everyone = attendees(client, event, headers)
    assert everyone["total"] == 5
    assert [r["name"] for r in everyone["items"]] == sorted(r["name"] for r in everyone["items"])
    assert [r["name"] for r in attendees(client, event, headers, q="grace")["items"]] == ["Grace Hopper"]
    assert [r["name"] for r in attendees(client, event, headers, q="NASA")["items"]] == ["Katherine Johnson"]
    by_email = attendees(client, event, headers, q="@example.org")["items"]
    assert sorted(r["name"] for r in by_email) == ["Ada Lovelace", "Alan Turing"]
    waiting = attendees(client, event, headers, status="waitlisted")["items"]
    assert sorted(r["name"] for r in waiting) == ["Alan Turing", "Katherine Johnson"]
    page = attendees(client, event, headers, per_page=2, page=3)
    assert page["pages"] == 3 and len(page["items"]) == 1
    assert client.get(f"/api/v1/events/{event.id}/registrations?per_page=101", headers=headers).status_code == 422
    assert client.get(f"/api/v1/events/{event.id}/registrations?status=nope", headers=headers).status_code == 422


def test_organizers_list_who_came_and_who_did_not(client, make):
    event = make.event(title="Platform Night")
    came, stayed_away = make.registration(event, name="Ada Lovelace"), make.registration(event, name="Ned Noshow")
    came.checked_in_at = utcnow()
    db.session.commit()
    headers = make.token(event.owner)
    assert [r["name"] for r in attendees(client, event, headers, checked_in="true")["items"]] == ["Ada Lovelace"]
    no_shows = attendees(client, event, headers, checked_in="false", status="confirmed")["items"]
    assert [r["id"] for r in no_shows] == [stayed_away.id]
    bad = client.get(f"/api/v1/events/{event.id}/registrations?checked_in=1", headers=headers)
    assert bad.status_code == 422 and "checked_in" in bad.text


def test_only_organizers_see_the_attendee_list(client, make):
    event = make.event()
    attendee = make.registration(event)
    url = f"/api/v1/events/{event.id}/registrations"
    assert client.get(url).status_code == 401
    assert client.get(url, headers=make.token(attendee.user)).status_code == 403
    assert client.get(f"{url}?format=csv", headers=make.token(attendee.user)).status_code == 403


def test_csv_export_has_everyone_and_neutralises_formulas(client, make):
    event = make.event()
    make.registration(
        event,
        name='=HYPERLINK("http://evil.example","click")',
        email="evil@example.org",
        company="+1-555 Corp",
        headline="@SUM(A1:A9)",
    )
    make.registration(
        event, name="Ada Lovelace", email="ada@example.org", company="-Analytical", headline='Staff, "quoted" engineer'
    )
    response = client.get(f"/api/v1/events/{event.id}/registrations?format=csv", headers=make.token(event.owner))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert f'filename="event-{event.id}-attendees.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert list(rows[0]) == [
        "id",
        "name",
        "email",
        "headline",
        "company",
        "status",
        "source",
        "registered_at",
        "cancelled_at",
    ]
    by_email = {row["email"]: row for row in rows}
    assert set(by_email) == {"evil@example.org", "ada@example.org"}
    evil = by_email["evil@example.org"]
    assert evil["name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert evil["company"] == "'+1-555 Corp" and evil["headline"] == "'@SUM(A1:A9)"
    ada = by_email["ada@example.org"]
    assert ada["company"] == "'-Analytical" and ada["headline"] == 'Staff, "quoted" engineer'
    assert ada["status"] == "confirmed" and ada["source"] == "online" and ada["cancelled_at"] == ""
    for row in rows:
        for value in row.values():
            assert value[:1] not in ("=", "+", "-", "@"), row


def test_csv_export_is_complete_when_the_request_context_is_gone(app, make):
    """As under gunicorn: the request has its own app context, torn down (session closed) before the
    server reads the streamed body. (The tests' own app context would otherwise keep the session.)"""
    event = make.event()
    for n in range(30):
        make.registration(event, name=f"Person {n:02}", email=f"p{n}@example.org")
    url, headers = f"/api/v1/events/{event.id}/registrations?format=csv", make.token(event.owner)
    result = {}

    def download():
        try:
            response = app.test_client().get(url, headers=headers)
            result["status"], result["body"] = response.status_code, response.get_data(as_text=True)
        except Exception as error:
            result["error"] = error

    thread = threading.Thread(target=download)
    thread.start()
    thread.join(timeout=60)
    assert "error" not in result, result.get("error")
    assert result["status"] == 200
    rows = list(csv.DictReader(io.StringIO(result["body"])))
    assert [row["name"] for row in rows] == [f"Person {n:02}" for n in range(30)]


def test_csv_export_honours_search_and_status(client, make):
    event = make.event(capacity=1)
    make.registration(event, name="Ada Lovelace", email="ada@example.org")
    make.registration(event, name="Grace Hopper", email="grace@example.org")
    response = client.get(
        f"/api/v1/events/{event.id}/registrations?format=csv&status=waitlisted", headers=make.token(event.owner)
    )
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [row["email"] for row in rows] == ["grace@example.org"]


def test_registration_list_and_single_registration_never_show_the_badge_secret_to_strangers(client, make):
    event = make.event()
    registration = make.registration(event)
    public = client.get(f"/api/v1/events/{event.id}").get_data(as_text=True)
    assert registration.badge_secret not in public
    assert registration.email not in public
    assert registration.status == RegistrationStatus.confirmed


def test_registering_oneself_takes_from_the_profile_only_what_is_shared_with_someone(client, make):
    """Organizers see the registration: a headline kept to oneself stays out of it unless typed into the form."""
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    ada.headline, ada.company = "Secret headline", "Analytical"
    ada.headline_visibility = Visibility.nobody
    db.session.commit()
    event = make.event()
    response = client.post(f"/api/v1/events/{event.id}/registrations", headers=make.token(ada), json={})
    assert response.status_code == 201
    assert (response.json["headline"], response.json["company"]) == ("", "Analytical")


def test_an_address_gets_a_few_emails_a_day_from_registrations_strangers_make(client, make, outbox):
    """Anyone may type anyone's address: registrations nobody signed in for mail it at most a few times a day
    (badges and "already registered" reminders together); past that it is registered without an email."""
    events = [make.event(title=f"Event {n}") for n in range(ANONYMOUS_REGISTRATION_EMAILS_PER_ADDRESS + 2)]
    for event in events:
        assert_sent_by_email(register(client, event, "victim@example.org", name="Claim at evil.example"))
    assert_sent_by_email(register(client, events[0], "victim@example.org"))  # a reminder would be one more
    assert len(mails_to(outbox, "victim@example.org")) == ANONYMOUS_REGISTRATION_EMAILS_PER_ADDRESS
    assert count(Registration) == len(events)  # registered all the same: seen once they sign in
    # Registering oneself, signed in, is not counted.
    victim = db.session.scalar(select(User).where(User.email == "victim@example.org"))
    mine = client.post(f"/api/v1/events/{make.event().id}/registrations", headers=make.token(victim), json={})
    assert mine.status_code == 201
    assert len(mails_to(outbox, "victim@example.org")) == ANONYMOUS_REGISTRATION_EMAILS_PER_ADDRESS + 1


def test_an_address_gets_at_most_ten_event_cancelled_emails_a_day(client, make, outbox):
    """Whoever could put an address on events could cancel them all, each email with a title they wrote."""
    owner = make.user(name="Olivia Owner")
    events = [make.event(owner, title=f"Event {n}") for n in range(EVENT_CANCELLED_EMAILS_PER_ADDRESS + 1)]
    for event in events:
        make.registration(event, name="Vic Tim", email="victim@example.org", notify=False)
    for event in events:
        cancelled = client.patch(f"/api/v1/events/{event.id}", headers=make.token(owner), json={"status": "cancelled"})
        assert cancelled.status_code == 200, cancelled.json
    told = [m for m in mails_to(outbox, "victim@example.org") if m["Subject"].startswith("Event cancelled")]
    assert len(told) == EVENT_CANCELLED_EMAILS_PER_ADDRESS
    assert statuses(events[-1])["victim@example.org"] == "confirmed"  # the event says cancelled on My events


def test_someone_signed_in_registering_another_address_counts_on_its_daily_emails_too(client, make, outbox):
    bob = make.user(name="Bob Builder", email="bob@example.org")
    events = [make.event(title=f"Event {n}") for n in range(ANONYMOUS_REGISTRATION_EMAILS_PER_ADDRESS + 1)]
    for event in events[:-1]:
        assert_sent_by_email(register(client, event, "victim@example.org"))
    by_bob = register(client, events[-1], "victim@example.org", headers=make.token(bob))
    assert_sent_by_email(by_bob)
    assert len(mails_to(outbox, "victim@example.org")) == ANONYMOUS_REGISTRATION_EMAILS_PER_ADDRESS
    assert count(Registration) == len(events)
