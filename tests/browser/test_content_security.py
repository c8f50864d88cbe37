"""The app's pages under their Content-Security-Policy, in a real browser: every main screen (home, an event
page, the badge page, the organizer's screens with the printable badge sheet, the door station scanning with
its camera, the join page, the API docs) works without a single violation, and /organize cannot be framed."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_organizer import sign_in
from tests.browser.y4m import write_y4m

pytestmark = pytest.mark.browser

#: Reports every securitypolicyviolation event of every document of the context (popups and blob: pages too).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportCspViolation(
    `${location.href}: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || ""}:${event.lineNumber})`
  );
});
"""


def watch_policy(page) -> list[str]:
    """The violations the page's context reports from now on, and the console's "Content Security Policy" errors."""
    violations: list[str] = []
    context = page.context
    context.expose_binding("reportCspViolation", lambda _source, text: violations.append(text))
    context.add_init_script(REPORT_VIOLATIONS)

    def console(message):
        if "Content Security Policy" in message.text:
            violations.append(f"console: {message.text}")

    page.on("console", console)
    context.on("page", lambda popup: popup.on("console", console))
    return violations


def test_the_main_screens_run_under_the_policy_without_a_violation(live_app, launch, tmp_path):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Staff Engineers Meetup", description="Talks, then networking.")
    ada = live_app.register(event["id"], "Ada Lovelace", company="Analytical Engines")
    soon = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    webinar = live_app.event(
        organizer["token"],
        kind="webinar",
        title="Remote Leadership Webinar",
        venue="",
        online_url="https://meet.example.org/remote-leadership",
        starts_at=soon.isoformat(),
        ends_at=(soon + timedelta(hours=1)).isoformat(),
    )
    margaret = live_app.register(webinar["id"], "Margaret Hamilton")
    station = live_app.station(organizer["token"], event["id"], "Door A")
    live_app.station(organizer["token"], event["id"], "Door B")
    video = write_y4m(tmp_path / "ada.y4m", [live_app.badge_url(ada)], seconds_each=1.5, gap_seconds=2)
    page = launch(video=video)
    violations = watch_policy(page)

    # The attendee's screens: home, the event page, the badge with its QR (a data: image), the join page.
    page.goto("/")
    expect(page.get_by_text("Staff Engineers Meetup").first).to_be_visible()
    page.goto(f"/e/{event['id']}")
    expect(page.get_by_role("heading", name="Staff Engineers Meetup")).to_be_visible()
    page.goto(ada["badge_url"].replace(live_app.base_url, ""))
    expect(page.get_by_text("Ada Lovelace").first).to_be_visible()
    page.goto(f"/j/{margaret['badge_url'].rsplit('/', 1)[1]}")
    expect(page.get_by_role("heading", name="Not open yet")).to_be_visible()
    # Its inline style is allowed by hash: the page is styled, not bare.
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(245, 247, 251)"
    # The pages email links open (unsubscribe, "followed up"), a link gone stale too: styled the same way.
    for link in ("/unsubscribe/no-such-link", "/followed-up/no.such-link"):
        page.goto(link)
        assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(245, 247, 251)", link
    assert violations == []

    # The organizer's screens, and the printable badge sheet (a blob: page, under the app's policy).
    sign_in(page, organizer)
    for tab in ("live", "attendees", "stations", "results", "follow-ups", "details"):
        page.goto(f"/organize/events/{event['id']}/{tab}")
        page.wait_for_load_state("networkidle")
    page.goto(f"/organize/events/{event['id']}/attendees")
    with page.expect_popup() as opened:
        page.get_by_role("button", name="Print badges").click()
    sheet = opened.value
    expect(sheet.get_by_text("Ada Lovelace")).to_be_visible()
    assert sheet.evaluate("getComputedStyle(document.querySelector('.hint')).backgroundColor") == "rgb(238, 243, 255)"
    sheet.close()
    page.goto(f"/organize/events/{event['id']}/stations")
    page.get_by_role("button", name="New pairing code for Door B").click()
    expect(page.get_by_role("img", name="Pairing QR code for Door B")).to_be_visible()
    assert violations == []

    # The door: paired by its link, scanning with the camera (jsQR loaded on demand), the service worker.
    page.goto(station["pairing_url"].replace(live_app.base_url, ""))
    expect(page.get_by_role("heading", name="Door A")).to_be_visible()
    page.get_by_role("button", name="Start scanning").click()
    expect(page.get_by_test_id("door-result")).to_have_attribute("data-result", "accepted", timeout=20000)
    assert violations == []

    # The API docs: Swagger UI from our origin, started by the page's one nonce-allowed script.
    page.goto("/api/docs")
    page.wait_for_load_state("networkidle")
    assert violations == []
    expect(page.get_by_text("Accounts, sign-in and your profile").first).to_be_visible()
    assert page.js_errors == []


FRAME = """([id, src]) => new Promise((resolve) => {
  const frame = Object.assign(document.createElement("iframe"), {id, src});
  frame.addEventListener("load", resolve);
  document.body.append(frame);
})"""


def test_the_organizer_screens_cannot_be_framed(live_app, launch):
    """/organize in a frame stays empty (no sign-in form to click through), even in a frame of the app's own
    origin, which its policy would let a frame load (as it does the API's JSON)."""
    page = launch()
    page.expected_problems.append(
        "violates the following Content Security Policy directive: \"frame-ancestors 'none'\""
    )
    page.goto("/")
    page.evaluate(FRAME, ["organize", "/organize"])
    page.evaluate(FRAME, ["events", "/api/v1/events"])
    expect(page.frame_locator("#events").get_by_text('"items"')).to_be_visible()  # framing works here
    organize = page.frame(url=lambda url: "/organize" in url or url.startswith("chrome-error:"))
    assert organize is None or organize.url.startswith("chrome-error:"), organize and organize.url
    expect(page.frame_locator("#organize").get_by_role("heading", name="Organizer sign-in")).to_have_count(0)

    # The same page, opened as itself, shows the form.
    page.goto("/organize")
    expect(page.get_by_role("heading", name="Organizer sign-in")).to_be_visible()
