"""Every HTML answer carries the app's strict same-origin Content-Security-Policy (nothing inline but the
styles and the one docs script it names), cannot be framed and sends no Referer; API answers are not sniffed.
The real-browser proof that the app runs under this policy is tests/browser/test_content_security.py."""

import base64
import hashlib
import re

import pytest

from netevents.headers import content_security_policy

STRICT = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def policy_of(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


def inline_styles_allowed(response) -> None:
    """Each inline <style> of the page is allowed by its hash, and nothing else inline is."""
    policy = policy_of(response)
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    for style in re.findall(r"<style>(.*?)</style>", response.get_data(as_text=True), flags=re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["style-src"].split()


def assert_page_headers(response) -> dict[str, str]:
    assert response.mimetype == "text/html"
    policy = policy_of(response)
    for directive, value in STRICT.items():
        assert policy[directive].split()[0] == value, (directive, policy)
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    inline_styles_allowed(response)
    return policy


@pytest.fixture
def built_app(app, tmp_path):
    """The web app's pages served from a stand-in build (the real one is for the browser tests)."""
    (tmp_path / "index.html").write_text('<!doctype html><div id="app"></div><script src="/static/a.js"></script>')
    app.config["FRONTEND_DIST"] = tmp_path
    return app


@pytest.mark.parametrize("path", ["/", "/organize", "/organize/events/1/live", "/door", "/e/1", "/b/some-secret"])
def test_the_web_apps_pages_have_the_strict_policy(client, built_app, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = assert_page_headers(response)
    assert policy["script-src"] == "'self'"  # the app has no inline script


def test_the_join_page_and_the_badge_sheet_allow_their_own_styles_only(client, make):
    event = make.event()
    registration = make.registration(event)
    join = client.get(f"/j/{registration.badge_secret}")  # a meetup: the page says to show the badge instead
    assert join.status_code == 200
    assert_page_headers(join)
    sheet = client.get(f"/api/v1/events/{event.id}/badges/sheet.html", headers=make.token(event.owner))
    assert sheet.status_code == 200
    assert_page_headers(sheet)


def test_the_api_docs_run_their_one_script_by_a_fresh_nonce(client):
    nonces = []
    for _ in range(2):
        response = client.get("/api/docs")
        policy = assert_page_headers(response)
        [nonce] = re.findall(r"'nonce-([^']+)'", policy["script-src"])
        assert f'<script nonce="{nonce}">' in response.get_data(as_text=True)
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_api_answers_are_not_sniffed_and_carry_no_page_policy(client):
    response = client.get("/api/v1/events")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in response.headers


def test_the_policy_names_no_other_origin():
    policy = content_security_policy(["'sha256-x'"], "n0nce")
    sources = {source for part in policy.split(";") for source in part.split()[1:]}
    assert sources <= {"'self'", "'none'", "data:", "blob:", "'sha256-x'", "'nonce-n0nce'"}
