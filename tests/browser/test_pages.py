"""What every visit gets, in a real browser against the real server: an unknown address is the app's own
"Page not found" (a 404 that fits a phone), no failed request for a favicon, a meta description, build files
compressed and cached for a year, and the focus kept in place when a sign-in link is sent."""

import re

import pytest
import requests
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_an_unknown_address_is_the_apps_not_found_page(live_app, launch, shot):
    page = launch()
    response = page.goto("/events/nope")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("link", name="upcoming events")).to_be_visible()
    expect(page).to_have_title("Page not found · netevents")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "page-not-found")
    # API clients still get problem details, at the same address and under /api/.
    for path, accept in (("/events/nope", "application/json"), ("/api/v1/nope", "text/html")):
        answer = requests.get(f"{live_app.base_url}{path}", headers={"Accept": accept}, timeout=10)
        assert answer.status_code == 404
        assert answer.headers["Content-Type"] == "application/problem+json"
    assert page.js_errors == []


def test_home_loads_without_failed_requests_and_describes_itself(live_app, launch):
    page = launch()
    failed = []
    page.on(
        "response", lambda response: failed.append((response.status, response.url)) if response.status >= 400 else None
    )
    page.goto("/")
    expect(page.get_by_role("heading", name="Upcoming events")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert failed == []
    description = page.locator('meta[name="description"]').get_attribute("content")
    assert "meetups" in description and len(description) > 50
    icon = page.locator('link[rel="icon"]').get_attribute("href")
    assert requests.get(f"{live_app.base_url}{icon}", timeout=10).headers["Content-Type"].startswith("image/svg+xml")
    favicon = requests.get(f"{live_app.base_url}/favicon.ico", timeout=10)
    assert favicon.status_code == 200 and favicon.headers["Content-Type"].startswith("image/svg+xml")


def test_build_files_are_compressed_and_cached_for_a_year(live_app):
    index = requests.get(f"{live_app.base_url}/", headers={"Accept": "text/html"}, timeout=10)
    assert index.headers["Cache-Control"] == "no-cache"
    script = re.search(r'src="(/static/assets/index-[^"]+\.js)"', index.text).group(1)
    style = re.search(r'href="(/static/assets/index-[^"]+\.css)"', index.text).group(1)
    for path in (script, style):
        for accept, encoding in (("gzip, deflate, br, zstd", "br"), ("gzip", "gzip")):
            response = requests.get(f"{live_app.base_url}{path}", headers={"Accept-Encoding": accept}, timeout=10)
            assert response.status_code == 200
            assert response.headers["Content-Encoding"] == encoding, (path, response.headers)
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
            assert "Accept-Encoding" in response.headers["Vary"]
        identity = requests.get(f"{live_app.base_url}{path}", headers={"Accept-Encoding": "identity"}, timeout=10)
        assert "Content-Encoding" not in identity.headers
        # requests decodes gzip itself: the same bytes either way.
        gz = requests.get(f"{live_app.base_url}{path}", headers={"Accept-Encoding": "gzip"}, timeout=10)
        assert gz.content == identity.content


def test_focus_stays_in_place_when_a_sign_in_link_is_sent(live_app, launch):
    page = launch()
    page.goto("/me")
    page.get_by_label("Email", exact=True).fill("someone-at-example.org")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.locator("#magic-email-error")).to_have_text("Type your email address, like ada@example.org.")
    page.get_by_label("Email", exact=True).fill("someone@example.org")
    expect(page.locator("#magic-email-error")).to_have_count(0)
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_text("a sign-in link is on its way")).to_be_focused()


def test_home_shows_dates_as_chips_what_is_on_now_and_searches(live_app, launch, shot):
    from datetime import UTC, datetime, timedelta

    organizer = live_app.organizer()
    now = datetime.now(UTC).replace(microsecond=0)
    marker = f"m{now.strftime('%H%M%S')}"  # the session's database has other tests' events too
    live_app.event(
        organizer["token"],
        title=f"Running Now Meetup {marker}",
        starts_at=(now - timedelta(minutes=30)).isoformat(),
        ends_at=(now + timedelta(hours=2)).isoformat(),
    )
    live_app.event(
        organizer["token"],
        title=f"Kubernetes Deep Dive {marker}",
        kind="workshop",
        capacity=20,
        starts_at=(now + timedelta(days=3)).isoformat(),
        ends_at=(now + timedelta(days=3, hours=2)).isoformat(),
    )
    page = launch()
    # While the list loads, placeholders show where the cards will be (the answer is held back meanwhile).
    held = []
    page.route("**/api/v1/events?*", lambda route: held.append(route))
    page.goto("/")
    expect(page.locator(".skeleton-card").first).to_be_visible()
    expect(page.get_by_role("status").filter(has_text="Loading events")).to_have_count(1)
    shot(page, "home-loading")
    assert held, "the events request was not held"
    for route in held:
        route.continue_()
    page.unroute("**/api/v1/events?*")

    running = page.get_by_role("link", name=re.compile(f"Running Now Meetup {marker}"))
    expect(running).to_be_visible()
    expect(running.get_by_test_id("happening-now")).to_contain_text("Happening now")
    expect(running.locator(".date-chip .day")).to_have_text(re.compile(r"^\d{1,2}$"))
    later = page.get_by_role("link", name=re.compile(f"Kubernetes Deep Dive {marker}"))
    expect(later.get_by_test_id("happening-now")).to_have_count(0)
    shot(page, "home-events")

    page.get_by_role("searchbox", name="Search events by title or venue").fill(f"kubernetes deep dive {marker}")
    expect(page.get_by_text(f"1 event matches “kubernetes deep dive {marker}”")).to_be_visible()
    expect(running).to_have_count(0)
    expect(later).to_be_visible()
    assert page.url.endswith(f"/?q=kubernetes%20deep%20dive%20{marker}")
    page.reload()  # the search is in the address
    expect(page.get_by_role("searchbox")).to_have_value(f"kubernetes deep dive {marker}")
    expect(later).to_be_visible()
    page.get_by_role("searchbox").fill("no such event anywhere")
    expect(page.get_by_text("No upcoming event matches “no such event anywhere”")).to_be_visible()
    shot(page, "home-search-nothing")
    assert page.js_errors == []
