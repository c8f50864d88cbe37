"""Journey 3 in a real browser: pair a phone as a door station, scan badges through the real
camera path (Chromium's fake camera playing a video of badge QR codes, decoded by jsQR), keep
working offline and sync once the network is back; lost badge, walk-in, undo."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.y4m import write_y4m

pytestmark = pytest.mark.browser


def door_result(page):
    return page.get_by_test_id("door-result")


CONTRAST = """el => {
  const rgb = (text) => (text.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  let node = el.parentElement, bg = [0, 0, 0, 0];
  while (node) {
    const c = rgb(getComputedStyle(node).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { bg = c; break; }
    node = node.parentElement;
  }
  const ring = rgb(getComputedStyle(el).outlineColor);
  const [a, b] = [lum(ring), lum(bg)].sort((x, y) => y - x);
  return { ratio: (a + 0.05) / (b + 0.05), width: parseFloat(getComputedStyle(el).outlineWidth) };
}"""


def focus_ring_contrast(locator) -> float:
    """The focused element's outline against what is behind it (WCAG 2.2 1.4.11 wants 3:1)."""
    found = locator.evaluate(CONTRAST)
    assert found["width"] >= 2, found
    return found["ratio"]


def pair_by_code(page, code: str):
    page.goto("/door")
    page.get_by_label("Pairing code").fill(code)
    page.get_by_role("button", name="Pair this phone").click()


def test_pair_a_door_phone_by_typing_the_code(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    live_app.register(event["id"], "Ada Lovelace")
    station = live_app.station(organizer["token"], event["id"], "Door A")
    page = launch()

    page.goto("/door")
    expect(page.get_by_role("heading", name="Pair this phone")).to_be_visible()
    shot(page, "door-01-pairing")
    page.get_by_label("Pairing code").fill("WRNG-CODE-00")
    page.get_by_role("button", name="Pair this phone").click()
    expect(page.locator("#field-code-error")).to_contain_text("wrong, used or expired")
    shot(page, "door-02-pairing-wrong-code")

    page.get_by_label("Pairing code").fill(station["pairing_code"].lower())
    expect(page.locator("#field-code-error")).to_have_count(0)  # a new code: the old error goes
    page.get_by_role("button", name="Pair this phone").click()
    expect(page.get_by_role("heading", name="Door A")).to_be_visible()
    expect(page.get_by_text("Staff Engineers Meetup")).to_be_visible()
    expect(page.get_by_text("1 badge ready for offline check-in")).to_be_visible()
    expect(page.get_by_test_id("door-online")).to_contain_text("Online")
    shot(page, "door-03-paired")

    # The pairing survives a reload (the station token is kept on the phone).
    page.reload()
    expect(page.get_by_role("heading", name="Door A")).to_be_visible()
    stations = live_app.api("GET", f"/events/{event['id']}/stations", organizer["token"], expect=200)
    assert stations["items"][0]["status"] == "paired"
    assert page.js_errors == []


def test_check_in_through_the_camera_then_already_checked_in(live_app, launch, shot, tmp_path):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    ada = live_app.register(event["id"], "Ada Lovelace", headline="Staff engineer", company="Analytical Engines")
    station = live_app.station(organizer["token"], event["id"], "Door A")
    video = write_y4m(tmp_path / "ada.y4m", [live_app.badge_url(ada)], seconds_each=1.2, gap_seconds=3)
    page = launch(video=video)

    # The pairing URL (what the organizer's pairing QR holds) pairs the phone at once.
    page.goto(station["pairing_url"].replace(live_app.base_url, ""))
    expect(page.get_by_role("heading", name="Door A")).to_be_visible()
    expect(page.get_by_text("1 badge ready for offline check-in")).to_be_visible()
    page.get_by_role("button", name="Start scanning").click()

    result = door_result(page)
    expect(result).to_have_attribute("data-result", "accepted", timeout=20000)
    expect(result).to_contain_text("Welcome")
    expect(result).to_contain_text("Ada Lovelace")
    expect(page.get_by_test_id("door-announcer")).to_contain_text("Accepted. Welcome, Ada Lovelace!")
    # The result takes the focus, Escape dismisses it, and the focus comes back to the station, not the page.
    expect(result.get_by_role("button", name="Continue")).to_be_focused()
    shot(page, "door-04-accepted")
    page.keyboard.press("Escape")
    expect(result).to_have_count(0)
    expect(page.get_by_role("heading", name="Door A")).to_be_focused()
    expect(page.get_by_test_id("door-last")).to_have_text(re.compile(r"Last: Ada Lovelace — checked in at \d\d:\d\d"))

    # The same badge shown again after a moment: amber, not red: she is inside since her first check-in.
    expect(result).to_have_attribute("data-reason", "already_checked_in", timeout=20000)
    expect(result).to_have_attribute("data-kind", "repeat")
    expect(result).to_contain_text("Already inside")
    expect(result).to_contain_text(re.compile(r"Inside since \d\d:\d\d \(Door A\)"))
    colour = result.evaluate("el => getComputedStyle(el).backgroundColor")
    assert colour == "rgb(245, 179, 1)", colour  # amber, neither the welcome's green nor a refusal's red
    expect(page.get_by_test_id("door-announcer")).to_contain_text(
        re.compile(r"Already inside, nothing to do\. Ada Lovelace is already checked in: \d\d:\d\d at Door A")
    )
    assert focus_ring_contrast(result.get_by_role("button", name="Continue")) >= 3
    shot(page, "door-05-already-checked-in")
    result.get_by_role("button", name="Continue").press("Enter")
    expect(result).to_have_count(0)
    expect(page.get_by_test_id("door-last")).to_have_text(
        re.compile(r"Last: Ada Lovelace — already inside since \d\d:\d\d \(Door A\)")
    )
    expect(page.get_by_test_id("door-counts")).to_contain_text(
        re.compile(r"In: 1 · Already inside: [1-9]\d* · Refused: 0")
    )
    # The paired door is one main landmark, and its focus ring reads on the dark screen.
    expect(page.get_by_role("main")).to_have_count(1)
    page.get_by_role("button", name="Find by name").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert focus_ring_contrast(page.get_by_role("button", name="Find by name")) >= 3

    attendance = live_app.api("GET", f"/events/{event['id']}/attendance", organizer["token"], expect=200)
    assert attendance["checked_in"] == 1
    assert attendance["stations"][0]["accepted"] == 1
    assert attendance["stations"][0]["rejected"] >= 1
    assert page.js_errors == []


def test_offline_door_scans_five_badges_and_syncs_each_once(live_app, launch, shot, tmp_path):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Offline Night")
    people = [
        live_app.register(event["id"], name)
        for name in ("Ada Lovelace", "Grace Hopper", "Katherine Johnson", "Margaret Hamilton", "Radia Perlman")
    ]
    live_app.register(event["id"], "Not Coming")
    station = live_app.station(organizer["token"], event["id"], "Door B")
    video = write_y4m(tmp_path / "five.y4m", [live_app.badge_url(p) for p in people], seconds_each=1, gap_seconds=2.5)
    page = launch(video=video)
    pair_by_code(page, station["pairing_code"])
    expect(page.get_by_text("6 badges ready for offline check-in")).to_be_visible()

    page.context.set_offline(True)
    expect(page.get_by_test_id("door-online")).to_contain_text("Offline")
    page.get_by_role("button", name="Start scanning").click()
    expect(page.get_by_test_id("door-counts")).to_contain_text("In: 5", timeout=60000)
    page.get_by_text("More options").click()
    page.get_by_role("button", name="Stop camera").click()
    page.wait_for_timeout(1000)  # a scan decoded just before the stop is still being stored
    pending = page.get_by_test_id("door-pending")
    expect(pending).to_contain_text(re.compile(r"\d+ waiting to sync"))
    waiting = int(re.match(r"(\d+)", pending.inner_text()).group(1))
    assert waiting >= 5
    shot(page, "door-06-offline-waiting")
    # Nothing reached the server while offline.
    assert live_app.api("GET", f"/events/{event['id']}/attendance", organizer["token"])["checked_in"] == 0

    page.context.set_offline(False)
    expect(page.get_by_test_id("door-online")).to_contain_text("all synced", timeout=20000)
    expect(pending).to_have_count(0)
    shot(page, "door-07-synced")

    attendance = live_app.api("GET", f"/events/{event['id']}/attendance", organizer["token"], expect=200)
    assert attendance["checked_in"] == 5
    assert attendance["inside_now"] == 5
    assert attendance["no_shows"] == 1
    log = live_app.api(
        "GET", f"/events/{event['id']}/checkins", organizer["token"], params={"per_page": 100}, expect=200
    )
    assert log["total"] == waiting  # every scan once, none twice
    accepted = [scan for scan in log["items"] if scan["result"] == "accepted"]
    assert sorted(scan["attendee_name"] for scan in accepted) == sorted(p["name"] for p in people)
    # The scan time is the device's, not the sync's: all scans happened before the sync.
    assert all(scan["scanned_at"] <= scan["received_at"] for scan in log["items"])

    # The live dashboard counts them right.
    dashboard = launch()
    dashboard.goto("/organize")
    dashboard.get_by_label("Email", exact=True).fill(organizer["email"])
    dashboard.get_by_label("Password").fill(organizer["password"])
    dashboard.get_by_role("button", name="Sign in").click()
    expect(dashboard.get_by_role("heading", name="Your events")).to_be_visible()
    dashboard.goto(f"/organize/events/{event['id']}/live")
    stats = dashboard.get_by_test_id("attendance")
    expect(stats.locator('[data-stat="Checked in"] .value')).to_have_text("5")
    expect(stats.locator('[data-stat="Inside now"] .value')).to_have_text("5")
    expect(stats.locator('[data-stat="Not arrived yet"] .value')).to_have_text("1")
    expect(dashboard.get_by_role("cell", name="Door B")).to_be_visible()
    shot(dashboard, "organizer-08-dashboard-after-sync", full_page=True)
    # The attendee list says who came in, where: five in through Door B, one still to check in.
    dashboard.goto(f"/organize/events/{event['id']}/attendees")
    tags = dashboard.get_by_test_id("checkin-tag")
    expect(tags).to_have_count(5)
    for tag in tags.all():
        expect(tag).to_have_text(re.compile(r"✓ In since \d\d:\d\d · Door B"))
    expect(dashboard.get_by_role("button", name=re.compile("^Check in"))).to_have_count(1)
    expect(dashboard.get_by_role("button", name="Check in Not Coming")).to_be_visible()
    assert page.js_errors == [] and dashboard.js_errors == []


def test_lost_badge_walk_in_and_undo(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    grace = live_app.register(event["id"], "Grace Hopper", company="Navy")
    station = live_app.station(organizer["token"], event["id"], "Door A")
    page = launch()
    pair_by_code(page, station["pairing_code"])
    expect(page.get_by_role("heading", name="Door A")).to_be_visible()

    # Lost badge: find by name, check in with one tap.
    page.get_by_role("button", name="Find by name").click()
    page.get_by_label("Name, email or company").fill("grace")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("Not checked in yet")).to_be_visible()
    shot(page, "door-08-find-by-name")
    page.get_by_role("button", name="Check in Grace Hopper").click()
    expect(door_result(page)).to_have_attribute("data-result", "accepted")
    expect(door_result(page)).to_contain_text("Grace Hopper")
    assert live_app.api("GET", f"/events/{event['id']}/attendance", organizer["token"])["checked_in"] == 1
    # Dismissed by keyboard, the focus goes back to "Find by name", not to the page.
    page.keyboard.press("Enter")
    expect(door_result(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Find by name")).to_be_focused()

    # Someone inside is not offered "Check in" again.
    page.get_by_role("button", name="Find by name").click()
    page.get_by_label("Name, email or company").fill("grace")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text(re.compile(r"Checked in \d\d:\d\d at Door A"))).to_be_visible()
    expect(page.get_by_role("button", name="Check in Grace Hopper")).to_have_count(0)
    expect(page.get_by_test_id("search-nothing-to-do")).to_have_text("Already inside")
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name="Find by name")).to_be_focused()

    # A mistaken check-in is undone.
    page.get_by_role("button", name="Undo last").click()
    expect(page.get_by_text("Undone: Grace Hopper is not checked in.")).to_be_visible()
    shot(page, "door-09-undone")
    assert live_app.api("GET", f"/events/{event['id']}/attendance", organizer["token"])["checked_in"] == 0

    # Walk-in: registered and checked in at once, with the field errors shown next to the fields.
    page.get_by_role("button", name="Walk-in").click()
    page.get_by_label("Name").fill("Alan Turing")
    page.get_by_label("Email", exact=True).fill("not-an-email")
    page.get_by_role("button", name="Register and check in").click()
    expect(page.locator("#walkin-email-error")).to_have_text(
        "Type an email address, like ada@example.org: the badge is sent there."
    )
    shot(page, "door-10-walk-in-error")
    page.get_by_label("Email", exact=True).fill("alan@example.org")
    expect(page.locator("#walkin-email-error")).to_have_count(0)
    page.get_by_role("button", name="Register and check in").click()
    expect(page.get_by_role("heading", name="Walk-in registered")).to_be_visible()
    expect(page.get_by_role("img", name="Badge QR code for Alan Turing")).to_be_visible()
    shot(page, "door-11-walk-in-done")
    page.get_by_role("button", name="Back to scanning").click()
    expect(door_result(page)).to_contain_text("Alan Turing")
    attendance = live_app.api("GET", f"/events/{event['id']}/attendance", organizer["token"])
    assert attendance["checked_in"] == 1 and attendance["registered"] == 2

    # Someone registered already is not registered twice: the door checks them in instead.
    page.get_by_role("button", name="Walk-in").click()
    page.get_by_label("Name").fill("Grace Hopper")
    page.get_by_label("Email", exact=True).fill(grace["email"])
    page.get_by_role("button", name="Register and check in").click()
    expect(page.locator("#walkin-email-error")).to_contain_text("is already registered for this event")
    page.get_by_role("button", name="Check them in").click()
    expect(door_result(page)).to_have_attribute("data-result", "accepted")
    expect(door_result(page)).to_contain_text("Grace Hopper")
    attendance = live_app.api("GET", f"/events/{event['id']}/attendance", organizer["token"])
    assert attendance["checked_in"] == 2 and attendance["registered"] == 2
    assert page.js_errors == []


def test_pair_by_scanning_the_pairing_qr_then_get_revoked(live_app, launch, shot, tmp_path):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup")
    station = live_app.station(organizer["token"], event["id"], "Side door")
    video = write_y4m(tmp_path / "pairing.y4m", [station["pairing_url"]], seconds_each=2, gap_seconds=1)
    page = launch(video=video)

    page.goto("/door")
    page.get_by_role("button", name="Scan pairing QR code").click()
    expect(page.get_by_role("heading", name="Side door")).to_be_visible(timeout=20000)
    expect(page.get_by_test_id("door-online")).to_contain_text("Online")

    # The organizer revokes the station: the door says so, in words, and offers to pair again.
    live_app.api("DELETE", f"/stations/{station['id']}", organizer["token"], expect=204)
    page.get_by_text("More options").click()
    page.get_by_role("button", name="Update badge list").click()
    expect(page.get_by_role("alert")).to_contain_text("This station was revoked")
    expect(page.get_by_role("button", name="Pair again")).to_be_visible()
    expect(page.get_by_test_id("door-online")).to_have_text("○ Not paired")
    shot(page, "door-12-revoked")
    assert page.js_errors == []


def find_and_check_in(page, query: str, name: str, state: "re.Pattern | str"):
    page.get_by_role("button", name="Find by name").click()
    page.get_by_label("Name, email or company").fill(query)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text(state)).to_be_visible()
    page.get_by_role("button", name=f"Check in {name}").click()


def test_offline_door_names_the_first_station_and_keeps_the_check_in_window(live_app, launch, shot, tmp_path):
    from datetime import UTC, datetime, timedelta

    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Offline Night")
    ada = live_app.register(event["id"], "Ada Lovelace")
    live_app.register(event["id"], "Grace Hopper")
    door_a = live_app.station(organizer["token"], event["id"], "Door A")
    token_a = live_app.api("POST", "/stations/pair", json={"code": door_a["pairing_code"]}, expect=200)["token"]
    live_app.api("POST", "/checkins", token_a, json={"qr": live_app.badge_url(ada), "nonce": "ada-in"}, expect=200)
    door_b = live_app.station(organizer["token"], event["id"], "Door B")
    video = write_y4m(tmp_path / "ada.y4m", [live_app.badge_url(ada)], seconds_each=1.2, gap_seconds=6)
    page = launch(video=video)
    pair_by_code(page, door_b["pairing_code"])
    expect(page.get_by_text("2 badges ready for offline check-in")).to_be_visible()
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")

    # Offline, find-by-name knows Ada is inside and offers nothing to tap.
    page.context.set_offline(True)
    expect(page.get_by_test_id("door-online")).to_contain_text("Offline")
    page.get_by_role("button", name="Find by name").click()
    page.get_by_label("Name, email or company").fill("ada")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text(re.compile(r"Checked in \d\d:\d\d at Door A"))).to_be_visible()
    expect(page.get_by_role("button", name="Check in Ada Lovelace")).to_have_count(0)
    page.get_by_role("button", name="Close").click()

    # Her badge, scanned offline: amber from the phone's list, naming where she first came in.
    page.get_by_role("button", name="Start scanning").click()
    result = door_result(page)
    expect(result).to_have_attribute("data-reason", "already_checked_in", timeout=20000)
    expect(result).to_have_attribute("data-kind", "repeat")
    expect(result).to_contain_text(re.compile(r"Inside since \d\d:\d\d \(Door A\)"))
    expect(result).to_contain_text("Decided offline")
    shot(page, "door-13-offline-already-checked-in")
    result.click()
    page.get_by_text("More options").click()
    page.get_by_role("button", name="Stop camera").click()
    page.get_by_text("More options").click()

    # A reload while offline keeps the last scan, the counters and the waiting scan.
    expect(page.get_by_test_id("door-pending")).to_have_text("1 waiting to sync")
    page.reload()
    expect(page.get_by_role("heading", name="Door B")).to_be_visible()
    expect(page.get_by_test_id("door-pending")).to_have_text("1 waiting to sync")
    expect(page.get_by_test_id("door-last")).to_have_text(
        re.compile(r"Last: Ada Lovelace — already inside since \d\d:\d\d \(Door A\)")
    )
    expect(page.get_by_test_id("door-counts")).to_contain_text("In: 0 · Already inside: 1 · Refused: 0")
    shot(page, "door-13b-offline-reload")
    page.context.set_offline(False)
    expect(page.get_by_test_id("door-online")).to_contain_text("all synced", timeout=20000)
    expect(page.get_by_text("1 offline scan synced.")).to_be_visible()

    # The organizer moves check-in to later; the door learns the new window while online...
    opens = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=2)
    live_app.api(
        "PATCH",
        f"/events/{event['id']}",
        organizer["token"],
        expect=200,
        json={"checkin_opens_at": opens.isoformat(), "checkin_closes_at": (opens + timedelta(hours=2)).isoformat()},
    )
    page.reload()
    page.wait_for_function(
        "opens => Date.parse(JSON.parse(localStorage.getItem('netevents.station')).station.event.checkin_opens_at) === opens",
        arg=int(opens.timestamp() * 1000),
    )

    # ... and applies it offline: red, saying when check-in opens; the scan still waits for the server.
    page.context.set_offline(True)
    expect(page.get_by_test_id("door-online")).to_contain_text("Offline")
    find_and_check_in(page, "grace", "Grace Hopper", "Not checked in yet")
    expect(result).to_have_attribute("data-reason", "outside_window")
    expect(result).to_contain_text("Check-in not open")
    expect(result).to_contain_text(re.compile(r"Check-in opens at (\d\d \w{3} )?\d\d:\d\d\."))
    expect(page.get_by_test_id("door-pending")).to_have_text("1 waiting to sync")
    shot(page, "door-14-offline-outside-window")
    result.click()
    expect(page.get_by_test_id("door-last")).to_have_text("Last: Grace Hopper — not let in: check-in not open")
    expect(page.get_by_test_id("door-counts")).to_contain_text("In: 0 · Already inside: 1 · Refused: 1")

    page.context.set_offline(False)
    expect(page.get_by_test_id("door-online")).to_contain_text("all synced", timeout=20000)
    log = live_app.api(
        "GET", f"/events/{event['id']}/checkins", organizer["token"], params={"per_page": 100}, expect=200
    )
    graces = [scan for scan in log["items"] if scan["attendee_name"] == "Grace Hopper"]
    assert [(scan["result"], scan["reason"]) for scan in graces] == [("rejected", "outside_window")]
    assert live_app.api("GET", f"/events/{event['id']}/attendance", organizer["token"])["checked_in"] == 1
    assert page.js_errors == []
