"""'Not you? Cancel this registration': someone registers an address that is not theirs; the email's one-click
link opens a page that says what the button does, and the button cancels (no sign-in)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 800}


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_email_of_a_registration_made_for_someone_else_cancels_it_in_one_click(live_app, launch, shot, viewport):
    organizer = live_app.organizer()
    event = live_app.event(organizer["token"], title="Platform Engineering Night", capacity=50)
    bob = live_app.organizer(name="Bob Builder")
    address = f"carol.{viewport['width']}@example.org"
    live_app.api(
        "POST",
        f"/events/{event['id']}/registrations",
        json={"name": "Carol", "email": address},
        token=bob["token"],
        expect=202,
    )
    body = live_app.mail_to(address, "Registered").get_body(preferencelist=("plain",)).get_content()
    assert "Bob Builder registered this address for Platform Engineering Night." in body
    link = re.search(r"http://\S+/registrations/cancel/\S+", body).group(0)

    page = launch(viewport=viewport)
    page.goto(link)
    expect(page.get_by_role("heading", name="Cancel this registration for Platform Engineering Night?")).to_be_visible()
    shot(page, f"not-you-{viewport['width']}-1-asks")
    page.get_by_role("button", name="Cancel this registration").click()
    expect(page.get_by_role("heading", name="Cancelled")).to_be_visible()
    expect(page.get_by_text(f"{address} is not registered for Platform Engineering Night any more.")).to_be_visible()
    shot(page, f"not-you-{viewport['width']}-2-cancelled")
    live_app.mail_to(address, "Cancelled")
