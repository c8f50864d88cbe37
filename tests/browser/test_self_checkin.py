"""Self check-in in a real browser: the organizer makes a poster for the entrance and prints it; an attendee opens
the poster's URL on their phone (what the phone's camera does with its QR code), signs in by email and is checked in;
a stranger is told they are not registered; the replaced print says so."""

import time

import pytest
from playwright.sync_api import expect

from tests.browser.test_organizer import sign_in

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 800}


def test_an_attendee_checks_in_by_the_entrance_poster(live_app, launch, shot):
    olivia = live_app.organizer(name="Olivia Organizer")
    event = live_app.event(olivia["token"], title="Staff Engineers Meetup")
    ada = live_app.register(event["id"], "Ada Lovelace")

    # The organizer makes the poster on the Stations tab and prints it.
    page = launch()
    sign_in(page, olivia)
    page.goto(f"/organize/events/{event['id']}/stations")
    expect(page.get_by_text("No posters yet")).to_be_visible()
    page.get_by_label("Poster name").fill("Main entrance")
    page.get_by_role("button", name="Make poster").click()
    fresh = page.get_by_test_id("fresh-poster")
    expect(fresh).to_contain_text("ready to print")
    expect(fresh).to_contain_text("shown only this once")
    expect(page.get_by_test_id("poster")).to_contain_text("Main entrance")
    fresh.scroll_into_view_if_needed()
    shot(page, "poster-01-made")
    fresh.get_by_role("link", name="Print poster").click()
    expect(page.get_by_text("Scan to check yourself in")).to_be_visible()
    expect(page.locator(".poster-event")).to_have_text("Staff Engineers Meetup")
    poster_url = page.locator(".poster-url").inner_text()
    assert poster_url.startswith(f"{live_app.base_url}/p/"), poster_url
    shot(page, "poster-02-print-page", full_page=True)
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    shot(page, "poster-03-as-printed", full_page=True)
    page.emulate_media(media="screen")

    # Ada's phone opens the poster's URL signed out: she signs in by email and comes back checked in.
    phone = launch()
    phone.goto(poster_url)
    expect(phone.get_by_role("heading", name="Check yourself in")).to_be_visible()
    shot(phone, "poster-04-attendee-signed-out")
    asked = time.time() - 0.01
    phone.get_by_label("Your email").fill(ada["email"])
    phone.get_by_role("button", name="Email me a sign-in link").click()
    expect(phone.get_by_role("status")).to_contain_text("sign-in link is on its way")
    link = live_app.mail_to(ada["email"], "sign-in link", since=asked).get_body(preferencelist=("plain",)).get_content()
    phone.goto(next(word for word in link.split() if "/signin#code=" in word))
    result = phone.get_by_test_id("self-result")
    expect(result).to_have_attribute("data-result", "accepted")
    expect(result).to_contain_text("You are checked in")
    expect(result).to_contain_text("Welcome, Ada Lovelace!")
    expect(result).to_contain_text("Main entrance")
    expect(phone.get_by_role("heading", name="Staff Engineers Meetup")).to_be_visible()
    expect(phone.get_by_role("link", name="My badge")).to_have_attribute("href", f"/me/badge/{ada['id']}")
    expect(phone.get_by_role("link", name="Meet people: scan a badge")).to_have_attribute("href", "/scan")
    shot(phone, "poster-05-checked-in")

    # Scanning the poster again: already inside, since when and where.
    phone.reload()
    expect(result).to_have_attribute("data-result", "repeat")
    expect(result).to_contain_text("You are already checked in")
    expect(result).to_contain_text("Main entrance")
    shot(phone, "poster-06-already-inside")

    # The door's counts and scan log have it, under the poster's name.
    attendance = live_app.api("GET", f"/events/{event['id']}/attendance", olivia["token"], expect=200)
    assert attendance["checked_in"] == 1
    [at_poster] = [s for s in attendance["stations"] if s["kind"] == "poster"]
    assert (at_poster["name"], at_poster["accepted"], at_poster["rejected"]) == ("Main entrance", 1, 1)
    page.goto(f"/organize/events/{event['id']}/stations")
    expect(page.get_by_test_id("poster")).to_contain_text("1 checked in · 1 refused or repeated")

    # Someone signed in but not registered is told so, with the way to register.
    sam = live_app.organizer(name="Sam Stranger")
    stranger = launch()
    stranger.goto("/")
    stranger.evaluate(
        "session => localStorage.setItem('netevents.session', JSON.stringify(session))",
        {"token": sam["token"], "user": {"id": 0, "name": sam["name"], "email": sam["email"]}},
    )
    stranger.goto(poster_url)
    refused = stranger.get_by_test_id("self-result")
    expect(refused).to_have_attribute("data-result", "rejected")
    expect(refused).to_contain_text("You are not registered")
    expect(stranger.get_by_role("link", name="Register for this event")).to_have_attribute("href", f"/e/{event['id']}")
    expect(stranger.get_by_text("Signed in as Sam Stranger")).to_be_visible()
    shot(stranger, "poster-07-not-registered")
    # Registered with another email: signing out offers the sign-in that brings her back here.
    stranger.get_by_role("button", name="Sign out").click()
    expect(stranger.get_by_role("heading", name="Check yourself in")).to_be_visible()

    # The organizer replaces the poster: the old print says it was replaced.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Replace Main entrance with a new print").click()
    expect(page.get_by_test_id("fresh-poster")).to_be_visible()
    phone.goto(poster_url)
    expect(result).to_have_attribute("data-result", "rejected")
    expect(result).to_contain_text("This poster was replaced")
    shot(phone, "poster-08-replaced")

    # The same screens on a laptop.
    desk = launch(viewport=DESKTOP)
    sign_in(desk, olivia)
    desk.goto(f"/organize/events/{event['id']}/stations")
    expect(desk.get_by_test_id("poster")).to_be_visible()
    shot(desk, "poster-09-stations-desktop", full_page=True)
    desk.goto(f"/organize/events/{event['id']}/posters/{at_poster['station_id']}/print")
    expect(desk.get_by_role("button", name="Replace and print")).to_be_visible()  # another tab: not kept here
    shot(desk, "poster-10-print-not-kept-desktop")
    desk.get_by_role("button", name="Replace and print").click()
    expect(desk.get_by_text("Scan to check yourself in")).to_be_visible()
    shot(desk, "poster-11-print-desktop", full_page=True)
    desk.evaluate(
        "session => localStorage.setItem('netevents.session', JSON.stringify(session))",
        {"token": ada["token"], "user": {"id": 0, "name": "Ada Lovelace", "email": ada["email"]}},
    )
    desk.goto(desk.locator(".poster-url").inner_text())
    expect(desk.get_by_test_id("self-result")).to_have_attribute("data-result", "repeat")
    shot(desk, "poster-12-already-inside-desktop")
