"""Registering an address one does not own: the badge carries its owner's own name, the email says who asked and
offers a one-click "Not you? Cancel this registration", and nobody reaches across a block this way."""

import re

from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.events.models import EventOrganizer, OrganizerRole
from netevents.extensions import db
from netevents.people.blocks import block
from netevents.registrations.models import Registration, RegistrationStatus
from tests.mail.reading import html_text, plain_text
from tests.registrations.test_routes import assert_sent_by_email, mails_to, register, registration_of

CANCEL_LINK = re.compile(r"http://\S+/registrations/cancel/[\w.-]+")


def test_an_address_with_an_account_is_registered_under_its_owners_name_not_a_typed_one(client, make):
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    bob = make.user(name="Bob Builder", email="bob@example.org")
    by_stranger, by_bob = make.event(title="First"), make.event(title="Second")

    assert_sent_by_email(register(client, by_stranger, "ada@example.org", name="Made Up", company="Fake Co"))
    assert_sent_by_email(register(client, by_bob, "ADA@example.org", name="Also Made Up", headers=make.token(bob)))

    for event in (by_stranger, by_bob):
        registration = registration_of(event, "ada@example.org")
        assert (registration.name, registration.company) == ("Ada Lovelace", "")
        card = client.get(f"/api/v1/badges/{registration.badge_secret}")
        assert "Made Up" not in card.get_data(as_text=True) and "Fake Co" not in card.get_data(as_text=True)
    assert ada.id != bob.id


def test_registering_oneself_keeps_the_typed_name_and_says_nothing_of_others(client, make, outbox):
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    event = make.event()
    mine = register(client, event, "ada@example.org", name="Ada King", headers=make.token(ada))
    assert mine.status_code == 201 and mine.json["name"] == "Ada King"
    [email] = mails_to(outbox, "ada@example.org")
    assert "Cancel this registration" not in plain_text(email) and not CANCEL_LINK.search(plain_text(email))


def test_the_email_names_who_registered_the_address_and_cancels_in_one_click(client, make, outbox):
    bob = make.user(name="Bob Builder", email="bob@example.org")
    event = make.event(title="Platform Night")
    assert_sent_by_email(register(client, event, "carol@example.org", name="Carol", headers=make.token(bob)))
    [email] = mails_to(outbox, "carol@example.org")
    text = plain_text(email)
    assert "Bob Builder registered this address for Platform Night. Not you, or not wanted?" in text
    assert "Bob Builder" in html_text(email) and "Not you? Cancel this registration" in html_text(email)
    link = CANCEL_LINK.search(text).group(0).removeprefix("http://testserver")

    page = client.get(link)  # opening the link (a mail scanner does) changes nothing
    assert page.status_code == 200 and "Cancel this registration for Platform Night?" in page.get_data(as_text=True)
    assert registration_of(event, "carol@example.org").status == RegistrationStatus.confirmed

    done = client.post(link)
    assert done.status_code == 200 and "not registered for Platform Night any more" in done.get_data(as_text=True)
    assert registration_of(event, "carol@example.org").status == RegistrationStatus.cancelled
    assert client.post(link).status_code == 200  # pressed twice: cancelled once
    assert "Already cancelled" in client.get(link).get_data(as_text=True)
    assert len(mails_to(outbox, "carol@example.org")) == 2  # the registration, then one cancellation


def test_a_registration_asked_for_without_signing_in_says_so_and_how_to_cancel(client, make, outbox):
    event = make.event(title="Platform Night")
    assert_sent_by_email(register(client, event, "carol@example.org", name="Carol"))
    [email] = mails_to(outbox, "carol@example.org")
    assert "Someone registered this address on the page of Platform Night without signing in" in plain_text(
        email
    ) and CANCEL_LINK.search(plain_text(email))


def test_a_cancel_link_does_not_cancel_a_later_registration_or_a_forged_one(client, make, outbox):
    event = make.event()
    assert_sent_by_email(register(client, event, "carol@example.org", name="Carol"))
    link = CANCEL_LINK.search(plain_text(mails_to(outbox, "carol@example.org")[0])).group(0)
    link = link.removeprefix("http://testserver")
    assert client.post(link).status_code == 200
    assert_sent_by_email(register(client, event, "carol@example.org", name="Carol"))  # registered again
    assert client.post(link).status_code == 404
    assert registration_of(event, "carol@example.org").status == RegistrationStatus.confirmed
    assert client.post(link[:-3] + "xyz").status_code == 404


def test_a_blocked_person_cannot_register_the_person_who_blocked_them(client, make, outbox):
    ada = make.user(name="Ada Lovelace", email="ada@example.org")
    bob = make.user(name="Bob Builder", email="bob@example.org")
    block(ada, bob.id)
    db.session.commit()
    event = make.event(owner=bob)

    # The form's answer is the one every address gets; nothing is registered and nothing is sent.
    assert_sent_by_email(register(client, event, "ada@example.org", headers=make.token(bob)))
    imported = client.post(
        f"/api/v1/events/{event.id}/registrations/import",
        headers={**make.token(bob), "Content-Type": "text/csv"},
        data="email,name\ngrace@example.org,Grace\nada@example.org,Ada\n",
    )
    assert imported.status_code == 422 and imported.json["reason"] == "invalid_csv", imported.json
    [problem] = imported.json["rows"]
    assert problem["line"] == 3 and problem["message"].startswith("ada@example.org cannot be registered by you")
    assert "block" not in str(imported.json).lower()
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    assert mails_to(outbox, "ada@example.org") == []

    # Ada registering herself for Bob's event is her choice.
    assert register(client, event, "ada@example.org", headers=make.token(ada)).status_code == 201


def test_an_anonymous_registration_across_a_block_registers_nothing_and_asks_the_person_to_sign_in(
    client, make, outbox
):
    """Signing out does not get round a block: the form answers as always, nobody is registered, and the address
    is told someone asked and how to register, signed in, if it was them."""
    dan = make.user(name="Dan Real", email="dan@example.org")
    cat = make.user(name="Cat Organizer", email="cat@example.org")
    block(dan, cat.id)
    db.session.commit()
    event = make.event(owner=cat, title="Cat's Meetup")

    assert_sent_by_email(register(client, event, "DAN@example.org", name="Dan Walk"))
    assert registration_of(event, "dan@example.org") is None
    attendees = client.get(f"/api/v1/events/{event.id}/registrations", headers=make.token(cat)).json
    assert attendees["items"] == []
    [email] = mails_to(outbox, "dan@example.org")
    text = plain_text(email)
    assert "Someone asked to register this address for Cat's Meetup" in text
    assert "sign in and register" in text and f"/e/{event.id}" in text
    assert "Cat Organizer" not in text and not CANCEL_LINK.search(text)
    assert "Someone asked to register this address" in html_text(email)

    # Asked again the same day: one such email a day, and still nothing registered.
    assert_sent_by_email(register(client, event, "dan@example.org", name="Dan Walk"))
    assert len(mails_to(outbox, "dan@example.org")) == 1
    # Dan, signed in, registers himself: his choice.
    assert register(client, event, "dan@example.org", headers=make.token(dan)).status_code == 201


def test_nobody_registers_a_person_in_a_block_with_any_organizer_of_the_event(client, make, outbox):
    """A co-organizer sees the attendee list too: a block with any organizer keeps a person off it, whoever types
    the address (a third person signed in, the owner's import); the person registers themselves if they want."""
    dan = make.user(name="Dan Real", email="dan@example.org")
    cat = make.user(name="Cat Co", email="cat@example.org")
    bob = make.user(name="Bob Builder", email="bob@example.org")
    event = make.event(title="Olivia's Meetup")
    event.organizers.append(EventOrganizer(user_id=cat.id, role=OrganizerRole.co_organizer))
    block(cat, dan.id)
    db.session.commit()

    assert_sent_by_email(register(client, event, "dan@example.org", headers=make.token(bob)))
    imported = client.post(
        f"/api/v1/events/{event.id}/registrations/import",
        headers={**make.token(event.owner), "Content-Type": "text/csv"},
        data="email,name\ndan@example.org,Dan\n",
    )
    assert imported.status_code == 422 and imported.json["rows"][0]["message"].startswith("dan@example.org cannot")
    assert db.session.scalar(select(func.count()).select_from(Registration)) == 0
    # Bob is in no block with Dan: Dan hears someone asked, and how to register if it was him; no word of Bob.
    [email] = mails_to(outbox, "dan@example.org")
    assert "Someone asked to register this address for Olivia's Meetup" in plain_text(email)
    assert "Bob" not in plain_text(email)
    assert register(client, event, "dan@example.org", headers=make.token(dan)).status_code == 201


def test_its_owner_can_tell_an_account_a_registration_made_from_one_made_before(client, make):
    """Signed in, a person's web app asks before a registration's "list me" undoes an earlier choice of theirs, and
    saves it unasked on an account the registration made: the account and its registration have one creation time,
    and an account made before, however shortly, has an earlier one."""
    older = make.user(name="Grace Hopper", email="grace@example.org")
    event = make.event()
    assert_sent_by_email(register(client, event, "new@example.org", name="Nova Newcomer"))
    assert_sent_by_email(register(client, event, "grace@example.org", name="Grace Hopper"))

    def created(email):
        person = db.session.scalar(select(User).where(User.email == email))
        me = client.get("/api/v1/me", headers=make.token(person)).json
        [registration] = client.get("/api/v1/me/registrations", headers=make.token(person)).json["items"]
        return me["created_at"], registration["created_at"]

    account, registration = created("new@example.org")
    assert account == registration
    account, registration = created("grace@example.org")
    assert account < registration and older.email == "grace@example.org"
