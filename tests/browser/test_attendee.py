"""Journey 2 in a real browser: find an event, register (with field errors and the waitlist),
sign in by the emailed link, and show the badge full screen, also with no network."""

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


def test_register_then_open_my_badge_even_offline(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(
        organizer["token"],
        title="Platform Engineering Night",
        capacity=50,
        description="Lightning talks, then structured networking.",
    )
    page = launch()

    page.goto("/")
    expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible()
    shot(page, "attendee-01-events")
    # Its own card: another test of the same live app may have an event of the same title.
    page.locator(f'a[href="/e/{event["id"]}"]').click()
    expect(page.get_by_role("heading", name="Platform Engineering Night")).to_be_visible()
    shot(page, "attendee-02-event", full_page=True)

    # Step one is a name and an email: the button shows without scrolling on a phone.
    register = page.get_by_role("button", name="Register")
    box = register.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, f"the Register button is below the fold: {box}"

    # Errors say what to do, in words, next to the field, which takes the focus; fixing a field clears its error.
    register.click()
    name_error = page.locator("#field-name-error")
    expect(name_error).to_have_text("Type the name to print on the badge (up to 120 characters).")
    expect(page.get_by_label("Name on your badge")).to_be_focused()
    page.get_by_label("Name on your badge").fill("Ada Lovelace")
    expect(name_error).to_have_count(0)
    page.get_by_label("Email", exact=True).fill("ada-at-example.org")
    register.click()
    email_error = page.locator("#field-email-error")
    expect(email_error).to_contain_text("Type an email address, like ada@example.org")
    expect(page.get_by_label("Email", exact=True)).to_be_focused()
    expect(page.get_by_label("Email", exact=True)).to_have_attribute("aria-invalid", "true")
    shot(page, "attendee-03-field-error")
    page.get_by_label("Email", exact=True).press("End")
    page.get_by_label("Email", exact=True).type("x")
    expect(email_error).to_have_count(0)

    page.get_by_label("Email", exact=True).fill("ada@example.org")
    register.click()
    # Not signed in, the badge goes by email (the answer says nothing of the address, which anyone could type);
    # the news takes the focus, and the profile is the next, optional, step.
    registered = page.get_by_role("heading", name="Check your inbox, Ada Lovelace")
    expect(registered).to_be_focused()
    expect(page.get_by_text("is on its way to ada@example.org")).to_be_visible()
    shot(page, "attendee-04-registered")

    # Step two, the profile and sharing choices: kept on this phone until the emailed link proves the address.
    expect(page.get_by_role("heading", name="Help people find you")).to_be_visible()
    page.get_by_label("Headline").fill("Staff engineer")
    page.get_by_label("Company").fill("Analytical Engines")
    page.get_by_label("Topics you care about").fill("Kubernetes, tech leadership")
    page.get_by_label("Everyone at the event").check()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Kept on this phone.")).to_be_focused()
    shot(page, "attendee-04b-profile-kept")

    # Registering the same email again looks the same to whoever typed it; its owner is reminded by email.
    page.reload()
    page.get_by_label("Name on your badge").fill("Ada Lovelace")
    page.get_by_label("Email", exact=True).fill("ada@example.org")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your inbox, Ada Lovelace")).to_be_focused()
    live_app.mail_to("ada@example.org", "You are already registered")

    # The confirmation email's sign-in link opens "My events".
    page.goto(live_app.magic_link("ada@example.org", "Registered"))
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    expect(page.get_by_text("Platform Engineering Night")).to_be_visible()
    shot(page, "attendee-05-my-events")

    # Signed in by the link, the profile from step two is saved; the badge prints the headline too.
    expect(page.get_by_test_id("draft-saved")).to_contain_text("Saved.")
    expect(page.get_by_test_id("directory-question")).to_have_count(0)  # her choice and her profile's agree
    token = page.evaluate("JSON.parse(localStorage['netevents.session']).token")
    me = live_app.api("GET", "/me", token=token, expect=200)
    assert (me["headline"], me["company"], me["topics"], me["contact_sharing"]) == (
        "Staff engineer",
        "Analytical Engines",
        ["Kubernetes", "tech leadership"],
        "public",
    )
    assert page.evaluate("localStorage.getItem('netevents.profileDraft')") is None
    # Changed later in her profile (one place for it, linked from "My events"): a field's error in words, gone once
    # fixed.
    page.get_by_role("link", name="See or change your profile").click()
    expect(page.get_by_role("heading", name="Profile and sharing")).to_be_visible()
    page.get_by_label("A link about you").fill("not a link")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.locator("#field-link-error")).to_contain_text("starting with https://")
    page.get_by_label("A link about you").fill("https://example.org/ada")
    expect(page.locator("#field-link-error")).to_have_count(0)
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Saved. People you meet")).to_be_focused()
    assert live_app.api("GET", "/me", token=token, expect=200)["links"][0]["url"] == "https://example.org/ada"

    page.goto("/me")
    expect(page.get_by_role("heading", name="My profile and sharing")).to_have_count(0)  # no second profile form
    page.get_by_role("link", name="Show badge").click()
    expect(page.get_by_role("img", name="Badge QR code of Ada Lovelace")).to_be_visible()
    expect(page.locator(".name")).to_have_text("Ada Lovelace")
    expect(page.get_by_text("Staff engineer · Analytical Engines")).to_be_visible()
    shot(page, "attendee-06-my-badge")
    badge_path = page.url

    # Held up for others to see, the badge shows only what she shares with everyone: hiding her company takes it off.
    live_app.api("PATCH", "/me", token=token, json={"sharing": {"company": "nobody"}}, expect=200)
    page.reload()
    expect(page.get_by_text("Staff engineer", exact=True)).to_be_visible()
    expect(page.get_by_text("Analytical Engines")).to_have_count(0)
    expect(page.get_by_text("Your badge shows only what you share with everyone")).to_be_visible()
    shot(page, "attendee-06b-my-badge-company-not-shared")

    # Once opened, the badge shows with no network at all (service worker + saved badge).
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.goto(badge_path)
    expect(page.get_by_role("img", name="Badge QR code of Ada Lovelace")).to_be_visible()
    expect(page.get_by_text("Saved on this phone")).to_be_visible()
    shot(page, "attendee-07-my-badge-offline")
    page.context.set_offline(False)
    assert page.js_errors == []


def test_full_workshop_explains_the_waitlist(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], kind="workshop", title="Mentoring Workshop", capacity=1)
    live_app.register(event["id"], "First Person")
    page = launch()

    page.goto(f"/e/{event['id']}")
    expect(page.locator("#waitlist-note")).to_contain_text("This workshop is full")
    expect(page.get_by_text("Full · waitlist open")).to_be_visible()
    page.get_by_label("Name on your badge").fill("Grace Hopper")
    page.get_by_label("Email", exact=True).fill("grace@example.org")
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.get_by_role("heading", name="Check your inbox, Grace Hopper")).to_be_focused()
    shot(page, "attendee-08-waitlisted")
    waitlisted = live_app.mail_to("grace@example.org", "Waitlist")
    assert "number 1" in waitlisted.get_body(preferencelist=("plain",)).get_content()


def test_badge_page_shows_the_public_card(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    registration = live_app.register(
        event["id"],
        "Katherine Johnson",
        headline="Principal engineer",
        company="NASA",
        contact_sharing="public",
        directory_opt_in=True,
        topics=["orbital mechanics", "mentoring"],
        links=[{"label": "Website", "url": "https://example.org/kj"}],
    )
    page = launch()

    page.goto(registration["badge_url"])
    expect(page.get_by_role("heading", name="Katherine Johnson")).to_be_visible()
    expect(page.get_by_text("Principal engineer · NASA")).to_be_visible()
    # Anyone may hold a badge's QR code: what she shares at her events, or with people she meets, is not here.
    expect(page.get_by_text("orbital mechanics")).to_have_count(0)
    expect(page.get_by_role("link", name="Website")).to_have_count(0)
    expect(page.get_by_role("link", name="Scan to meet")).to_be_visible()
    expect(page.get_by_role("link", name="Staff Engineers Meetup")).to_be_visible()
    shot(page, "attendee-09-public-badge", full_page=True)

    page.goto("/b/not-a-real-badge-secret-at-all")
    expect(page.get_by_role("heading", name="Badge not found")).to_be_visible()
    shot(page, "attendee-10-badge-not-found")


def test_webinar_attendee_gets_a_personal_join_link(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(
        organizer["token"],
        kind="webinar",
        title="Remote Leadership Webinar",
        venue="",
        online_url="https://meet.example.org/remote-leadership",
    )
    live_app.register(event["id"], "Margaret Hamilton", email="margaret@example.org")
    page = launch()

    page.goto(live_app.magic_link("margaret@example.org", "Registered"))
    join = page.get_by_role("link", name="Join the webinar")
    expect(join).to_be_visible()
    assert re.search(r"/j/[A-Za-z0-9_-]{16,}$", join.get_attribute("href"))
    shot(page, "attendee-11-webinar-join")
    # The link is served by Flask: inside the window it records attendance and forwards.
    response = live_app.http.get(urljoin(live_app.base_url, join.get_attribute("href")), allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"] == "https://meet.example.org/remote-leadership"


def test_signed_in_registration_saves_the_profile_step_at_once(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Signed-in Meetup")
    person = live_app.organizer(name="Barbara Liskov")  # any account: signed in, registering for herself
    page = launch()
    page.goto("/")
    session = {"token": person["token"], "user": {"id": 0, "name": person["name"], "email": person["email"]}}
    page.evaluate("session => localStorage.setItem('netevents.session', JSON.stringify(session))", session)
    page.goto(f"/e/{event['id']}")
    expect(page.get_by_label("Name on your badge")).to_have_value("Barbara Liskov")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="You are registered, Barbara Liskov!")).to_be_focused()
    expect(page.get_by_role("link", name="Open my badge")).to_have_attribute("href", re.compile(r"^/me/badge/\d+$"))
    page.get_by_label("Headline").fill("Institute professor")
    page.get_by_label("You can mentor in").fill("abstraction, distributed systems")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Saved. People you meet")).to_be_focused()
    me = live_app.api("GET", "/me", token=person["token"], expect=200)
    assert me["headline"] == "Institute professor"
    assert me["mentoring_offered"] == ["abstraction", "distributed systems"]
    shot(page, "attendee-12-signed-in-profile-saved")
    assert page.js_errors == []


def signed_in_as(page, person: dict, name: str) -> None:
    page.goto("/")
    session = {"token": person["token"], "user": {"id": 0, "name": name, "email": person["email"]}}
    page.evaluate("session => localStorage.setItem('netevents.session', JSON.stringify(session))", session)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_someone_registered_already_sees_their_place_and_badge_not_the_form(live_app, launch, shot, viewport):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Registered Already Meetup", capacity=30)
    ada = live_app.register(event["id"], "Ada Lovelace")
    page = launch(viewport=viewport)
    signed_in_as(page, ada, "Ada Lovelace")

    page.goto(f"/e/{event['id']}")
    place = page.get_by_test_id("already-registered")
    expect(place.get_by_role("heading", name="You're registered")).to_be_visible()
    expect(place.get_by_role("link", name="Open my badge")).to_have_attribute("href", f"/me/badge/{ada['id']}")
    expect(page.get_by_label("Name on your badge")).to_have_count(0)  # no form that could only answer 409
    expect(page.get_by_role("button", name="Register")).to_have_count(0)
    shot(page, f"attendee-13-registered-already-{viewport['width']}", full_page=True)

    # Cancelling from here frees the place and brings the form back, for registering again.
    page.once("dialog", lambda dialog: dialog.accept())
    place.get_by_role("button", name="Cancel registration").click()
    expect(page.get_by_role("button", name="Register")).to_be_visible()
    assert live_app.api("GET", f"/registrations/{ada['id']}", ada["token"], expect=200)["status"] == "cancelled"
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="You are registered, Ada Lovelace!")).to_be_focused()
    assert page.js_errors == []


def test_ticking_list_me_while_registering_asks_before_undoing_leaving_every_directory(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Directory Choice Meetup")
    grace = live_app.organizer(name="Grace Hopper")  # an account whose profile keeps her out of every directory
    live_app.api("PATCH", "/me", grace["token"], json={"directory_opt_in": False}, expect=200)
    page = launch()

    page.goto(f"/e/{event['id']}")
    page.get_by_label("Name on your badge").fill("Grace Hopper")
    page.get_by_label("Email", exact=True).fill(grace["email"])
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your inbox, Grace Hopper")).to_be_focused()
    page.get_by_label("Headline").fill("Rear admiral")
    page.get_by_label("List me in the directory of every event I attend").check()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Kept on this phone.")).to_be_focused()

    # Signed in by the confirmation's link: the details are saved, the listing is a question, not a done deal.
    page.goto(live_app.magic_link(grace["email"], "Registered"))
    question = page.get_by_test_id("directory-question")
    expect(question).to_contain_text("your profile keeps you out of every event's directory")
    shot(page, "attendee-14-directory-question")
    me = live_app.api("GET", "/me", grace["token"], expect=200)
    assert (me["headline"], me["directory_opt_in"]) == ("Rear admiral", False)
    # The question waits for her answer: a reload does not lose it.
    page.reload()
    expect(question).to_contain_text("your profile keeps you out of every event's directory")
    question.get_by_role("button", name="Keep me out").click()
    expect(question).to_have_count(0)
    assert live_app.api("GET", "/me", grace["token"], expect=200)["directory_opt_in"] is False
    page.reload()
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    expect(question).to_have_count(0)
    assert page.js_errors == []


def test_a_new_registrant_who_ticks_list_me_is_listed_without_a_question(live_app, launch, shot):
    """An account made by this very registration had no choice before, only the default: nothing to ask. The
    sharing choices say what the badge's public page shows: never the email or link."""
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="First Timers Meetup")
    email = f"hedy-{event['id']}@example.org"
    page = launch()

    page.goto(f"/e/{event['id']}")
    page.get_by_label("Name on your badge").fill("Hedy Lamarr")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="Check your inbox, Hedy Lamarr")).to_be_focused()
    expect(
        page.get_by_text("People at your events (attendees and organizers) see your email and link.")
    ).to_be_visible()
    expect(page.get_by_text("The public page your badge's QR code opens never shows them.")).to_be_visible()
    assert "public card" not in page.locator("main").inner_text()
    page.get_by_label("List me in the directory of every event I attend").check()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Kept on this phone.")).to_be_focused()
    shot(page, "attendee-15-new-registrant-sharing", full_page=True)

    page.goto(live_app.magic_link(email, "Registered"))
    expect(page.get_by_test_id("draft-saved")).to_contain_text("Saved.")
    expect(page.get_by_test_id("directory-question")).to_have_count(0)
    token = page.evaluate("JSON.parse(localStorage['netevents.session']).token")
    assert live_app.api("GET", "/me", token=token, expect=200)["directory_opt_in"] is True
    page.reload()
    expect(page.get_by_role("heading", name="My events")).to_be_visible()
    expect(page.get_by_test_id("directory-question")).to_have_count(0)
    assert live_app.api("GET", "/me", token=token, expect=200)["directory_opt_in"] is True

    page.goto("/me/profile")
    hint = page.get_by_text("The public page your badge's QR code opens shows your name")
    expect(hint).to_contain_text("never your email, phone or link")
    assert "public card" not in page.locator("main").inner_text()
    shot(page, "attendee-16-profile-sharing-hint", full_page=True)
    assert page.js_errors == []


def test_saving_a_headline_after_registering_keeps_how_my_email_and_link_are_shared(live_app, launch, shot):
    # Email shared with everyone, the link with nobody (chosen one by one in the profile): the registration's one
    # choice for both shows none of its options, and saving a headline leaves both as they were, label included.
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Mixed Sharing Meetup")
    erin = live_app.organizer(name="Erin Example")
    links = [{"label": "Blog", "url": "https://erin.example/blog"}]
    sharing = {"email": "everyone", "links": "nobody"}
    live_app.api("PATCH", "/me", erin["token"], json={"links": links, "sharing": sharing}, expect=200)
    page = launch()
    signed_in_as(page, erin, "Erin Example")

    page.goto(f"/e/{event['id']}")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("Your email and link are shared differently now")).to_be_visible()
    for option in ("Everyone at the event", "Only people I meet", "Nobody"):
        expect(page.get_by_label(option, exact=False).first).not_to_be_checked()
    page.get_by_label("Headline").fill("Platform lead")
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Saved", exact=False).first).to_be_visible()
    me = live_app.api("GET", "/me", erin["token"], expect=200)
    assert me["headline"] == "Platform lead"
    assert (me["sharing"]["email"], me["sharing"]["links"]) == ("everyone", "nobody")
    assert me["links"] == links
    shot(page, "attendee-15-mixed-sharing", full_page=True)
    assert page.js_errors == []
