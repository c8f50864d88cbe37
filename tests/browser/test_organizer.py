"""Journey 1 and the organizer's door in a real browser: sign in, create and publish an event,
add a door station and show its pairing QR, manage attendees (search, manual check-in, CSV
import with errors, export), revoke a station, and watch the live dashboard."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def sign_in(page, organizer):
    page.goto("/organize")
    page.get_by_label("Email", exact=True).fill(organizer["email"])
    page.get_by_label("Password").fill(organizer["password"])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Your events")).to_be_visible()


def test_organizer_creates_an_event_and_a_station(live_app, launch, shot):
    organizer = live_app.organizer(name="Olivia Organizer")
    page = launch()

    page.goto("/organize")
    expect(page.get_by_role("heading", name="Organizer sign-in")).to_be_visible()
    page.get_by_label("Email", exact=True).fill(organizer["email"])
    page.get_by_label("Password").fill("wrong password!")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Email or password is wrong")
    shot(page, "organizer-01-sign-in-error")
    sign_in(page, organizer)
    shot(page, "organizer-02-no-events")

    page.get_by_role("link", name="+ New event").click()
    expect(page.get_by_role("heading", name="New event")).to_be_visible()
    page.get_by_label("Title").fill("Staff Engineers Meetup: Growing Through Your Network")
    page.get_by_label("Description").fill("Lightning talks on technical leadership, then structured networking.")
    # Publishing without a venue: the reason shows next to the venue field.
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#field-venue-error")).to_contain_text("venue")
    shot(page, "organizer-03-new-event-error", full_page=True)
    page.get_by_label("Venue").fill("Tech Hub, Main Hall, 12 Market Street")
    expect(page.locator("#field-venue-error")).to_have_count(0)  # fixed: its message goes
    page.get_by_label("Capacity").fill("0")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#field-capacity-error")).to_have_text(
        "Give the number of places (1 to 100,000), or leave it empty for no limit."
    )
    page.get_by_label("Capacity").fill("80")
    page.get_by_role("button", name="Publish").click()

    # A new event opens on its door stations: add one and show its pairing QR.
    expect(page.get_by_role("link", name="Stations", exact=True)).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Published")).to_be_visible()
    page.get_by_label("Station name").fill("Door A")
    page.get_by_role("button", name="Add station").click()
    pairing = page.get_by_test_id("pairing")
    expect(pairing.get_by_role("img", name="Pairing QR code for Door A")).to_be_visible()
    code = page.get_by_test_id("pairing-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{2}", code)
    shot(page, "organizer-04-station-pairing-qr", full_page=True)
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_text("Not paired yet")).to_be_visible()
    shot(page, "organizer-05-stations")

    [event] = live_app.api("GET", "/events", organizer["token"], params={"mine": "true"}, expect=200)["items"]
    assert event["status"] == "published" and event["capacity"] == 80
    assert event["venue"] == "Tech Hub, Main Hall, 12 Market Street"
    # The code shown pairs a door phone.
    live_app.api("POST", "/stations/pair", json={"code": code}, expect=200)
    page.reload()
    expect(page.get_by_text("Paired", exact=True)).to_be_visible()

    # Revoke it.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Revoke Door A").click()
    expect(page.get_by_text("Revoked", exact=True)).to_be_visible()
    stations = live_app.api("GET", f"/events/{event['id']}/stations", organizer["token"], expect=200)
    assert stations["items"][0]["status"] == "revoked"

    # The event list and the details tab.
    page.goto("/organize")
    expect(page.get_by_role("link", name=re.compile("Staff Engineers Meetup"))).to_be_visible()
    shot(page, "organizer-06-events")
    page.goto(f"/organize/events/{event['id']}/details")
    page.get_by_label("Capacity").fill("120")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Changes saved.")).to_be_visible()
    shot(page, "organizer-07-details", full_page=True)
    assert live_app.api("GET", f"/events/{event['id']}", organizer["token"])["capacity"] == 120
    assert page.js_errors == []


def test_attendees_search_check_in_import_and_export(live_app, launch, shot, tmp_path):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    live_app.register(event["id"], "Ada Lovelace", email="ada@example.org", company="Analytical Engines")
    grace = live_app.register(event["id"], "Grace Hopper", email="grace@example.org", company="Navy")
    page = launch()
    sign_in(page, organizer)
    page.goto(f"/organize/events/{event['id']}/attendees")
    expect(page.get_by_text("2 people")).to_be_visible()

    page.get_by_label("Search attendees").fill("grace")
    expect(page.get_by_text("1 person matching “grace”")).to_be_visible()
    page.get_by_role("button", name="Check in Grace Hopper").click()
    expect(page.get_by_text("✓ Welcome, Grace Hopper!")).to_be_visible()
    # The list shows who is in (in words), and offers no second check-in for them.
    tag = page.get_by_test_id("checkin-tag")
    expect(tag).to_have_text(re.compile(r"✓ In since \d\d:\d\d · Organizer Olivia Organizer"))
    expect(page.get_by_role("button", name="Check in Grace Hopper")).to_have_count(0)
    shot(page, "organizer-09-attendees-check-in")

    # Scanned out: "Left", and she can be checked in again.
    live_app.api(
        "POST",
        "/checkins",
        organizer["token"],
        expect=200,
        json={"registration_id": grace["id"], "event_id": event["id"], "nonce": "grace-out", "direction": "exit"},
    )
    page.reload()
    page.get_by_label("Search attendees").fill("grace")
    expect(page.get_by_text("1 person matching “grace”")).to_be_visible()
    expect(tag).to_have_text(re.compile(r"Left · came in \d\d:\d\d · Organizer Olivia Organizer"))
    shot(page, "organizer-13-attendee-left", full_page=True)
    page.get_by_role("button", name="Check in again: Grace Hopper").click()
    expect(page.get_by_text("✓ Welcome, Grace Hopper!")).to_be_visible()
    expect(tag).to_contain_text("✓ In since")

    # CSV import is all or nothing: every bad line is listed, nothing is imported.
    page.get_by_label("Search attendees").fill("")
    page.get_by_text("Import attendees from CSV").click()
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,name\nkatherine@example.org,Katherine Johnson\nnot-an-email,Someone\nada@example.org,Ada Again\n"
    )
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("nothing was imported")
    expect(page.get_by_text(re.compile(r"Line 3 \(email\): 'not-an-email' is not an email address"))).to_be_visible()
    shot(page, "organizer-10-import-errors", full_page=True)
    duplicate = tmp_path / "duplicate.csv"
    duplicate.write_text("email,name\nada@example.org,Ada Again\n")
    page.get_by_label("CSV file").set_input_files(str(duplicate))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text(re.compile(r"Line 2 \(email\): ada@example.org is already registered"))).to_be_visible()
    good = tmp_path / "good.csv"
    good.write_text("email,name,company\nkatherine@example.org,Katherine Johnson,NASA\n")
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 1 attendee: 1 confirmed, 0 waitlisted.", exact=False)).to_be_visible()
    expect(page.get_by_text("3 people")).to_be_visible()

    shot(page, "organizer-11-attendees", full_page=True)
    assert page.js_errors == []


def test_export_attendees_and_scan_log_as_csv(live_app, launch):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    live_app.register(event["id"], "Grace Hopper", email="grace@example.org")
    page = launch()
    sign_in(page, organizer)
    page.goto(f"/organize/events/{event['id']}/attendees")
    with page.expect_download(timeout=8000) as download:
        page.get_by_role("button", name="Export CSV").click()
    exported = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert exported[0][:3] == ["id", "name", "email"]
    assert "grace@example.org" in exported[1]

    page.get_by_role("button", name="Check in Grace Hopper").click()
    expect(page.get_by_text("✓ Welcome, Grace Hopper!")).to_be_visible()
    page.goto(f"/organize/events/{event['id']}/live")
    with page.expect_download(timeout=8000) as download:
        page.get_by_role("link", name="Download the full scan log (CSV)").click()
    scan_log = list(csv.reader(io.StringIO(download.value.path().read_text())))
    assert scan_log[0][:2] == ["id", "scanned_at"]
    assert "Grace Hopper" in scan_log[1]


def test_live_dashboard_refreshes_by_itself(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    people = [live_app.register(event["id"], name) for name in ("Ada Lovelace", "Grace Hopper", "Alan Turing")]
    station = live_app.station(organizer["token"], event["id"], "Door A")
    token = live_app.api("POST", "/stations/pair", json={"code": station["pairing_code"]}, expect=200)["token"]
    page = launch()
    sign_in(page, organizer)
    page.goto(f"/organize/events/{event['id']}")
    stats = page.get_by_test_id("attendance")
    expect(stats.locator('[data-stat="Checked in"] .value')).to_have_text("0")
    expect(stats.locator('[data-stat="Met someone, not checked in"]')).to_have_count(0)
    expect(page.get_by_text("No arrivals yet")).to_be_visible()

    for index, person in enumerate(people[:2]):
        live_app.api(
            "POST", "/checkins", token, json={"qr": live_app.badge_url(person), "nonce": f"n{index}"}, expect=200
        )
    live_app.api("POST", "/checkins", token, json={"qr": "https://elsewhere.example/b/nope", "nonce": "n9"}, expect=200)
    live_app.api("POST", "/checkins", token, json={"qr": live_app.badge_url(people[0]), "nonce": "again"}, expect=200)
    # Ada, checked in, meets Alan, who was not: he came too. Barbara has not arrived.
    met = {"qr": live_app.badge_url(people[2]), "nonce": "met-alan"}
    assert live_app.api("POST", "/exchanges", people[0]["token"], json=met, expect=200)["result"] == "recorded"
    barbara = {"name": "Barbara Liskov", "email": f"barbara.{event['id']}@example.org"}
    live_app.api("POST", f"/events/{event['id']}/registrations", json=barbara, expect=202)

    expect(stats.locator('[data-stat="Checked in"] .value')).to_have_text("2", timeout=12000)
    expect(stats.locator('[data-stat="Inside now"] .value')).to_have_text("2")
    # No capacity, no waitlist: no "Waitlisted" tile; "Registered" says it once.
    expect(stats.locator('[data-stat="Waitlisted"]')).to_have_count(0)
    # The tiles add up: 2 checked in + 1 met someone + 1 not arrived yet = 4 registered.
    expect(stats.locator('[data-stat="Met someone, not checked in"] .value')).to_have_text("1")
    expect(stats.locator('[data-stat="Not arrived yet"] .value')).to_have_text("1")
    expect(stats.locator('[data-stat="Registered"] .value')).to_have_text("4")
    expect(page.get_by_role("img", name=re.compile("2 arrivals"))).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Door A"))
    expect(row).to_contain_text("2")
    expect(row).to_contain_text("2")
    expect(page.get_by_text("Unknown badge")).to_be_visible()
    # A badge shown twice is "Already inside", not a refusal; an unknown badge is refused.
    expect(page.locator(".tag", has_text="Already inside")).to_have_count(1)
    expect(page.locator(".tag", has_text="Refused")).to_have_count(1)
    shot(page, "organizer-12-dashboard", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 800})
    shot(page, "organizer-12b-dashboard-laptop")
    # Each tab has its own title in the browser's tab and history.
    titles = set()
    for tab in ("Live", "Attendees", "Stations", "Details"):
        page.get_by_role("link", name=tab, exact=True).click()
        expect(page.get_by_role("link", name=tab, exact=True)).to_have_attribute("aria-current", "page")
        expect(page).to_have_title(f"{tab} · Staff Engineers Meetup · netevents")
        titles.add(page.title())
    assert len(titles) == 4
    assert page.js_errors == []


def test_dashboard_chart_fills_its_card_on_a_laptop(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Workshop", kind="workshop", capacity=10)
    station = live_app.station(organizer["token"], event["id"], "Door A")
    token = live_app.api("POST", "/stations/pair", json={"code": station["pairing_code"]}, expect=200)["token"]
    for index, name in enumerate(("Ada Lovelace", "Grace Hopper")):
        person = live_app.register(event["id"], name)
        live_app.api("POST", "/checkins", token, json={"qr": live_app.badge_url(person), "nonce": f"n{index}"})
    page = launch(viewport={"width": 1280, "height": 800})
    sign_in(page, organizer)
    page.goto(f"/organize/events/{event['id']}/live")
    stats = page.get_by_test_id("attendance")
    # Limited places: the waitlist tile, and the places next to "Registered".
    expect(stats.locator('[data-stat="Waitlisted"] .value')).to_have_text("0")
    expect(stats.locator('[data-stat="Registered"] .value')).to_have_text("2")
    expect(stats.locator('[data-stat="Registered"] .label')).to_have_text("Registered · 10 places")
    chart = page.get_by_role("img", name=re.compile("2 arrivals"))
    expect(chart).to_be_visible()
    sizes = chart.evaluate(
        """svg => ({
            chart: svg.getBoundingClientRect().width,
            card: svg.closest('.card').clientWidth,
            label: parseFloat(getComputedStyle(svg.querySelector('text')).fontSize),
            scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
        })"""
    )
    assert sizes["chart"] >= sizes["card"] * 0.85, sizes  # fills the card (less its padding)
    assert abs(sizes["scale"] - 1) < 0.02, sizes  # drawn at its own size: 12 px labels stay 12 px
    assert sizes["label"] <= 13, sizes
    shot(page, "laptop-dashboard-chart")
    assert page.js_errors == []


def test_new_event_opens_the_form_under_organize_events_too(live_app, launch, shot):
    """`/organize/events/new` is the create-event form (not an event whose id is "new", a 404)."""
    organizer = live_app.organizer(name="Nora Newevent")
    page = launch()
    sign_in(page, organizer)
    page.goto("/organize/events/new")
    expect(page.get_by_role("heading", name="New event")).to_be_visible()
    expect(page.get_by_label("Title")).to_be_visible()
    shot(page, "organizer-new-event-under-events")
    page.get_by_label("Title").fill("Platform Guild Evening")
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_role("link", name="Stations", exact=True)).to_have_attribute("aria-current", "page")
    [event] = live_app.api("GET", "/events", organizer["token"], params={"mine": "true"}, expect=200)["items"]
    assert event["title"] == "Platform Guild Evening"
