"""Scan to meet (/scan) in a real browser: two attendees scan each other's badges through the camera (Chromium's
fake camera playing their badge QR codes), tag what happened, keep a private note, and each sees the other; a code
typed when the camera will not focus; a scan made offline waits on the phone and is sent when the network is back.
Every state is shot at 390x844 and at 1280x800."""

import json
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.y4m import write_y4m

DESKTOP = {"width": 1280, "height": 800}


def event_on_now(live_app) -> tuple[dict, dict]:
    organizer = live_app.organizer()
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    event = live_app.event(
        organizer["token"],
        title="Staff Engineers Meetup",
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=3)).isoformat(),
    )
    live_app.api(
        "PATCH",
        f"/events/{event['id']}/exchange-actions",
        organizer["token"],
        json={"custom": ["pair_programmed"], "labels": {"pair_programmed": "Paired on code"}},
        expect=200,
    )
    return organizer, event


def sign_in(page, live_app, person: dict, path: str = "/scan") -> None:
    """Signed in as the person (their token in the app's session), then at `path`."""
    me = live_app.api("GET", "/me", person["token"], expect=200)
    session = {"token": person["token"], "user": {"id": me["id"], "name": me["name"], "email": me["email"]}}
    page.goto("/")
    page.evaluate("session => localStorage.setItem('netevents.session', session)", json.dumps(session))
    page.goto(path)


def shoot(shot, page, name: str) -> None:
    """The state at phone size, then at desktop size (and back)."""
    shot(page, f"{name}-390")
    page.set_viewport_size(DESKTOP)
    shot(page, f"{name}-1280")
    page.set_viewport_size({"width": 390, "height": 844})


def test_two_attendees_scan_each_other_tag_and_note(live_app, launch, shot, tmp_path):
    _organizer, event = event_on_now(live_app)
    ada = live_app.register(event["id"], "Ada Lovelace", headline="Staff engineer", company="Analytical Engines")
    bob = live_app.register(event["id"], "Bob Builder", headline="SRE", company="Cranes")

    # Ada's phone: its camera sees Bob's badge.
    page = launch(video=write_y4m(tmp_path / "bob.y4m", [live_app.badge_url(bob)], seconds_each=1.2, gap_seconds=2))
    sign_in(page, live_app, ada)
    expect(page.get_by_role("heading", name="Meet people")).to_be_visible()
    expect(page.get_by_text("At Staff Engineers Meetup")).to_be_visible()
    expect(page.get_by_text("Nobody yet.")).to_be_visible()
    shoot(shot, page, "meet-01-ready")

    page.get_by_role("button", name="Scan a badge").click()
    sheet = page.get_by_role("dialog")
    expect(sheet.get_by_role("heading", name="Bob Builder")).to_be_visible(timeout=20000)
    expect(sheet).to_contain_text("You are connected.")
    expect(sheet.get_by_test_id("meet-card")).to_contain_text("SRE · Cranes")
    shoot(shot, page, "meet-02-connected")
    sheet.get_by_role("button", name="Introduced ourselves").click()
    sheet.get_by_role("button", name="Paired on code").click()  # the event's own action, in its organizer's words
    expect(sheet.get_by_role("button", name="✓ Paired on code")).to_have_attribute("aria-pressed", "true")
    sheet.get_by_label("Private note").fill("Ask about the crane telemetry talk")
    shoot(shot, page, "meet-03-tagged")
    sheet.get_by_role("button", name="Save").click()
    expect(sheet).to_have_count(0)
    expect(page.get_by_role("button", name="Scan a badge")).to_be_visible()  # the camera stopped at the scan
    recent = page.get_by_test_id("meet-recent")
    expect(recent).to_contain_text("Bob Builder")
    expect(recent).to_contain_text("You scanned")
    shoot(shot, page, "meet-04-recently-met")

    [seen_by_ada] = live_app.api("GET", "/me/connections", ada["token"], expect=200)["items"]
    assert set(seen_by_ada["tags"]) == {"introduced", "pair_programmed"}
    assert seen_by_ada["note"] == "Ask about the crane telemetry talk"

    # Bob's phone: he sees that Ada scanned him, then scans her badge back.
    other = launch(video=write_y4m(tmp_path / "ada.y4m", [live_app.badge_url(ada)], seconds_each=1.2, gap_seconds=2))
    sign_in(other, live_app, bob)
    recent = other.get_by_test_id("meet-recent")
    expect(recent).to_contain_text("Ada Lovelace")
    expect(recent).to_contain_text("Scanned you")
    shoot(shot, other, "meet-05-scanned-me")
    other.get_by_role("button", name="Scan a badge").click()
    sheet = other.get_by_role("dialog")
    expect(sheet.get_by_role("heading", name="Ada Lovelace")).to_be_visible(timeout=20000)
    expect(sheet).to_contain_text("They scanned your badge too.")
    sheet.get_by_role("button", name="Asked for advice").click()
    sheet.get_by_role("button", name="Done").click()  # a tapped tag is meant: Done keeps it
    expect(sheet).to_have_count(0)
    expect(other.get_by_test_id("meet-recent")).to_contain_text("You scanned")

    [seen_by_bob] = live_app.api("GET", "/me/connections", bob["token"], expect=200)["items"]
    assert (seen_by_bob["other"]["name"], seen_by_bob["i_scanned"], seen_by_bob["scanned_me"]) == (
        "Ada Lovelace",
        True,
        True,
    )
    assert seen_by_bob["note"] == ""  # Ada's note is hers alone
    assert seen_by_bob["tags"] == ["asked_advice"]


def test_typed_codes_refusals_and_an_offline_scan_synced_later(live_app, launch, shot):
    _organizer, event = event_on_now(live_app)
    carol = live_app.register(event["id"], "Carol Coder")
    dave = live_app.register(event["id"], "Dave Designer", company="Pixels")
    erin = live_app.register(event["id"], "Erin Engineer")
    page = launch()
    sign_in(page, live_app, carol, path=f"/me/badge/{carol['id']}")
    expect(page.get_by_text(carol["badge_code"])).to_be_visible()
    shoot(shot, page, "meet-06-my-badge-with-code")
    page.get_by_role("link", name="Scan to meet").click()

    code = page.get_by_label("Camera will not focus? Type the code under their QR code")
    code.fill("abc")
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_role("alert")).to_contain_text("8 letters and digits")
    shoot(shot, page, "meet-07-code-malformed")

    code.fill(carol["badge_code"])
    page.get_by_role("button", name="Connect").click()
    sheet = page.get_by_role("dialog")
    expect(sheet.get_by_role("heading", name="That is your own badge")).to_be_visible()
    shoot(shot, page, "meet-08-own-badge")
    sheet.get_by_role("button", name="Scan another badge").click()

    code.fill("ZZZZ-ZZZZ")
    page.get_by_role("button", name="Connect").click()
    expect(sheet.get_by_role("heading", name="No badge has this code")).to_be_visible()
    sheet.get_by_role("button", name="Scan another badge").click()

    code.fill(dave["badge_code"].lower().replace("-", " "))
    page.get_by_role("button", name="Connect").click()
    expect(sheet.get_by_role("heading", name="Dave Designer")).to_be_visible()
    sheet.get_by_role("button", name="Done").click()
    expect(code).to_have_value("")

    # No network: Erin's code is kept on the phone with its time, tagged and noted while waiting.
    page.context.set_offline(True)
    code.fill(erin["badge_code"])
    page.get_by_role("button", name="Connect").click()
    expect(sheet.get_by_role("heading", name="Saved on this phone")).to_be_visible()
    sheet.get_by_role("button", name="Offered help").click()
    sheet.get_by_label("Private note").fill("Send her the hiring doc")
    shoot(shot, page, "meet-09-offline-sheet")
    sheet.get_by_role("button", name="Save").click()
    queue = page.get_by_test_id("meet-queue")
    expect(queue).to_contain_text("Waiting to be sent (1)")
    expect(queue).to_contain_text(f"Code {erin['badge_code']}")
    expect(queue).to_contain_text("1 tag")
    shoot(shot, page, "meet-10-offline-queued")

    page.context.set_offline(False)
    expect(queue).to_contain_text("Sent 1 waiting scan: 1 recorded.", timeout=15000)
    expect(page.get_by_test_id("meet-recent")).to_contain_text("Erin Engineer")
    shoot(shot, page, "meet-11-synced")

    met = {c["other"]["name"]: c for c in live_app.api("GET", "/me/connections", carol["token"], expect=200)["items"]}
    assert set(met) == {"Dave Designer", "Erin Engineer"}
    assert (
        met["Erin Engineer"]["tags"] == ["offered_help"] and met["Erin Engineer"]["note"] == "Send her the hiring doc"
    )
    # Erin sees that Carol scanned her, at the time of the scan, not of the sync.
    [seen_by_erin] = live_app.api("GET", "/me/connections", erin["token"], expect=200)["items"]
    assert seen_by_erin["scanned_me"] and not seen_by_erin["i_scanned"]
