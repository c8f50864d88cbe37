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
    page.get_by_label("Email", exact=True).fill("someone@example.org")
    page.get_by_role("button", name="Email me a sign-in link").click()
    expect(page.get_by_text("a sign-in link is on its way")).to_be_focused()
