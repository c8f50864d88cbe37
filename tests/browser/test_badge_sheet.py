"""The printed badge sheet in a real browser: a badge is worn in front of everyone, so it prints only the headline
and company each person shares with everyone at the event, as they choose it now, from their profile as it is now."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_organizer import sign_in

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


def test_the_badge_sheet_prints_only_what_each_person_shares_with_everyone(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Badge Night")
    ada = live_app.register(event["id"], "Ada Lovelace", headline="Staff engineer", company="Analytical Engines")
    live_app.register(event["id"], "Bob Builder", headline="Crane operator", company="Cranes")
    # After registering, Ada keeps her company to her connections: it comes off the next print; and she changes
    # her headline in her profile: the next print has the new one.
    live_app.api(
        "PATCH",
        "/me",
        ada["token"],
        json={"headline": "Principal engineer", "sharing": {"company": "connections"}},
        expect=200,
    )

    for viewport, size in ((None, "390x844"), (DESKTOP, "1280x800")):
        page = launch(viewport=viewport) if viewport else launch()
        sign_in(page, organizer)
        page.goto(f"/organize/events/{event['id']}/attendees")
        with page.expect_popup() as opened:
            page.get_by_role("button", name="Print badges").click()
        sheet = opened.value
        ada_badge = sheet.locator(".badge").filter(has_text="Ada Lovelace")
        expect(ada_badge.locator(".headline")).to_have_text("Principal engineer")
        expect(sheet.get_by_text("Staff engineer")).to_have_count(0)
        expect(sheet.get_by_text("Analytical Engines")).to_have_count(0)
        expect(sheet.locator(".badge").filter(has_text="Bob Builder").locator(".headline")).to_have_text(
            "Crane operator · Cranes"
        )
        # On a phone's screen, before printing, no badge is cut off.
        assert sheet.evaluate("document.documentElement.scrollWidth") <= sheet.viewport_size["width"]
        shot(sheet, f"badge-sheet-{size}", full_page=True)
        sheet.close()


def test_the_badge_page_shows_what_the_printed_badge_shows(live_app, launch, shot):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Badge Night")
    ada = live_app.register(event["id"], "Ada Lovelace", headline="Staff engineer", company="Analytical Engines")
    live_app.api("PATCH", "/me", ada["token"], json={"headline": "Principal engineer"}, expect=200)
    page = launch()
    page.goto(ada["badge_url"])
    expect(page.get_by_text("Principal engineer · Analytical Engines")).to_be_visible()
    expect(page.get_by_text("Staff engineer")).to_have_count(0)
