"""Layout checks: every screen fits a 360 px phone without sideways scrolling, and still reads
well on a laptop (screenshots in test-artifacts/screens/laptop-*)."""

import json

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SMALL_PHONE = {"width": 360, "height": 740}
LAPTOP = {"width": 1280, "height": 800}


def signed_in(page, organizer):
    """Put the organizer's session where the app keeps it (what signing in does)."""
    page.goto("/")
    session = {"token": organizer["token"], "user": {"id": 0, "name": organizer["name"], "email": organizer["email"]}}
    page.evaluate("session => localStorage.setItem('netevents.session', JSON.stringify(session))", session)


def test_screens_fit_a_small_phone_and_a_laptop(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(
        organizer["token"],
        title="A Rather Long Event Title About Growing Through Your Professional Network",
        description="Talks, then networking.",
    )
    ada = live_app.register(
        event["id"],
        "Ada Lovelace-Byron With A Long Double-Barrelled Name",
        email="ada.lovelace.with.a.long.address@analytical-engines.example.org",
        company="Analytical Engines",
    )
    station = live_app.station(organizer["token"], event["id"], "Main entrance, left door")
    screens = [
        "/",
        f"/e/{event['id']}",
        "/me",
        "/signin",
        "/organize/new",
        ada["badge_url"],
        f"/organize/events/{event['id']}/live",
        f"/organize/events/{event['id']}/attendees",
        f"/organize/events/{event['id']}/stations",
        f"/organize/events/{event['id']}/details",
        "/door",
    ]

    phone = launch(viewport=SMALL_PHONE)
    signed_in(phone, organizer)
    for path in screens:
        phone.goto(path)
        phone.wait_for_load_state("networkidle")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= SMALL_PHONE["width"], f"{path} scrolls sideways on a 360 px phone ({width} px wide)"

    laptop = launch(viewport=LAPTOP)
    signed_in(laptop, organizer)
    for name, path in [
        ("events", "/"),
        ("event", f"/e/{event['id']}"),
        ("dashboard", f"/organize/events/{event['id']}/live"),
        ("attendees", f"/organize/events/{event['id']}/attendees"),
    ]:
        laptop.goto(path)
        laptop.wait_for_load_state("networkidle")
        shot(laptop, f"laptop-{name}")
    laptop.goto("/door")
    laptop.get_by_label("Pairing code").fill(station["pairing_code"])
    laptop.get_by_role("button", name="Pair this phone").click()
    expect(laptop.get_by_role("heading", name="Main entrance, left door")).to_be_visible()
    shot(laptop, "laptop-door")
    assert phone.js_errors == [] and laptop.js_errors == [], json.dumps(phone.js_errors + laptop.js_errors)
