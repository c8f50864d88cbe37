"""Real-browser tests: the real app under gunicorn (built frontend, migrated SQLite database,
Maildir mail) driven by headless Chromium through Playwright.

Without /usr/bin/chromium the tests are skipped with a message; with CI=true they fail instead.

Against a running `make cluster` instead (nginx, two instances, two mail workers on PostgreSQL and Redis):

    NETEVENTS_BROWSER_CLUSTER=http://127.0.0.1:8080 .venv/bin/pytest tests/browser

The tests then read the cluster's mail from its folder (instance/cluster/mail, or NETEVENTS_BROWSER_CLUSTER_FOLDER).
Screenshots of every screen (390x844) land in test-artifacts/screens/ (gitignored), and every screen
shot is first checked by axe-core: no critical or serious WCAG 2.1 A/AA finding.
"""

import email
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.live_server import gunicorn_server, sign_up

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("NETEVENTS_CHROMIUM", "/usr/bin/chromium"))
SCREENS = ROOT / "test-artifacts" / "screens"
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
#: A running `make cluster` to test instead of a server of the tests' own (docs/deploy.md, "Several hosts").
CLUSTER = os.environ.get("NETEVENTS_BROWSER_CLUSTER", "").rstrip("/")
CLUSTER_FOLDER = Path(os.environ.get("NETEVENTS_BROWSER_CLUSTER_FOLDER", ROOT / "instance" / "cluster"))
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
#: axe-core's rules for WCAG 2.1 levels A and AA; a finding of these impacts fails the screen.
AXE_RUN = """async () => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}});
  return result.violations
    .filter((found) => found.impact === "critical" || found.impact === "serious")
    .map((found) => ({rule: found.id, impact: found.impact, help: found.help,
                      where: found.nodes.slice(0, 3).map((node) => node.target.join(" "))}));
}"""


def assert_accessible(page, screen: str) -> None:
    """axe-core on the screen as it is now: no critical or serious finding. axe is injected through the
    browser's debugging protocol, so the page's Content-Security-Policy stays as strict as it is."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text())
    findings = page.evaluate(AXE_RUN)
    assert not findings, f"axe-core on the {screen} screen: {findings}"


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not CHROMIUM.exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium): real-browser tests cannot run."
        if CI:
            pytest.fail(message + " CI requires them.", pytrace=False)
        pytest.skip(message)
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.fail("The web app is not built: run `make test` (or `cd frontend && npm run build`).", pytrace=False)
    return str(CHROMIUM)


class LiveApp:
    """The running app: its address, its API and its outgoing mail."""

    def __init__(self, base_url: str, instance: Path):
        self.base_url = base_url
        self.instance = instance
        self.http = requests.Session()

    def api(self, method: str, path: str, token: str | None = None, expect: int | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        response = self.http.request(method, f"{self.base_url}/api/v1{path}", headers=headers, timeout=10, **kwargs)
        if expect is not None:
            assert response.status_code == expect, f"{method} {path}: {response.status_code} {response.text}"
        return response.json() if response.content and "json" in response.headers.get("Content-Type", "") else response

    def organizer(self, name="Olivia Organizer", email=None, password="correct horse battery") -> dict:
        email = email or f"olivia.{time.monotonic_ns()}@example.org"
        token = sign_up(self.base_url, self.instance, email, password, name)
        return {"token": token, "email": email, "password": password, "name": name}

    def event(self, token: str, **fields) -> dict:
        from datetime import UTC, datetime, timedelta

        start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
        data = {
            "kind": "meetup",
            "title": "Staff Engineers Meetup",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=3)).isoformat(),
            "timezone": "Europe/Berlin",
            "venue": "Tech Hub, Main Hall",
            "status": "published",
        }
        data.update(fields)
        return self.api("POST", "/events", token, json=data, expect=201)

    def register(self, event_id: int, name: str, email: str | None = None, **fields) -> dict:
        """Register as a person does (the answer only says the badge is emailed), then sign in by email as they
        would: their registration as they see it, with its badge, and their token under "token". The
        confirmation's own sign-in link is left unused for the test."""
        email = email or f"{name.split()[0].lower()}.{time.monotonic_ns()}@example.org"
        self.api("POST", f"/events/{event_id}/registrations", json={"name": name, "email": email, **fields}, expect=202)
        self.mail_to(email, "Registered")
        asked = time.time() - 0.01  # the address may have had sign-in links in earlier tests: wait for this one
        self.api("POST", "/auth/magic-link", json={"email": email, "next": "/me"}, expect=202)
        message = self.mail_to(email, "sign-in link", since=asked).get_body(preferencelist=("plain",)).get_content()
        code = re.search(r"#code=([\w-]+)", message).group(1)
        token = self.api("POST", "/auth/magic-link/redeem", json={"code": code}, expect=200)["token"]
        mine = self.api("GET", "/me/registrations", token, expect=200)["items"]
        (registration,) = [r for r in mine if r["event_id"] == event_id]
        return {**registration, "token": token}

    def badge_url(self, registration: dict) -> str:
        assert registration["badge_url"].startswith(self.base_url), registration["badge_url"]
        return registration["badge_url"]

    def station(self, token: str, event_id: int, name="Door A") -> dict:
        return self.api("POST", f"/events/{event_id}/stations", token, json={"name": name}, expect=201)

    def mail_to(
        self, address: str, subject_contains: str = "", timeout: float = 10, since: float = 0
    ) -> email.message.Message:
        """The newest email to `address` in the Maildir (waits for it); with `since`, one delivered after that time."""
        deadline = time.monotonic() + timeout
        while True:
            found = []
            for folder in ("new", "cur"):
                for path in (
                    (self.instance / "mail" / folder).glob("*") if (self.instance / "mail" / folder).exists() else []
                ):
                    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                    if (
                        address.lower() in str(message["To"]).lower()
                        and subject_contains in str(message["Subject"])
                        and path.stat().st_mtime >= since
                    ):
                        found.append((path.stat().st_mtime, message))
            if found:
                return sorted(found, key=lambda item: item[0])[-1][1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no email to {address} ({subject_contains!r})")
            time.sleep(0.2)

    def magic_link(self, address: str, subject_contains: str = "") -> str:
        message = self.mail_to(address, subject_contains)
        body = message.get_body(preferencelist=("plain",)).get_content()
        return re.search(r"(http\S+/signin#code=\S+)", body).group(1)


@pytest.fixture(scope="session")
def live_app(chromium_path, tmp_path_factory):
    if CLUSTER:
        assert requests.get(f"{CLUSTER}/readyz", timeout=5).ok, f"no ready cluster at {CLUSTER}: `make cluster`"
        yield LiveApp(CLUSTER, CLUSTER_FOLDER)
        return
    instance = tmp_path_factory.mktemp("browser-instance")
    database_url = f"sqlite:///{instance / 'netevents.db'}"
    migrate_env = {
        **os.environ,
        "FLASK_APP": "wsgi",
        "NETEVENTS_INSTANCE_PATH": str(instance),
        "DATABASE_URL": database_url,
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [str(bin_dir / "flask"), "db", "upgrade"], cwd=ROOT, env=migrate_env, check=True, capture_output=True
    )
    with gunicorn_server(
        database_url,
        instance,
        workers=2,
        threads=4,
        public=True,
        env={"NETEVENTS_ACCESS_LOG": str(instance / "access.log")},
    ) as base_url:
        yield LiveApp(base_url, instance)


@pytest.fixture(scope="session")
def playwright_driver(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


#: Reports every Content-Security-Policy violation of every document of a context to the test.
REPORT_POLICY_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.netevents_policy_violation(
    `${location.href}: ${event.effectiveDirective} blocked ${event.blockedURI || "inline"}`
    + ` (${event.sourceFile || ""}:${event.lineNumber})`
  );
});
"""


def _watch(page, context) -> list[str]:
    """What must never happen on any screen: a script error, an error in the console (a resource the network did
    not deliver aside: tests go offline and ask for refusals on purpose), a Content-Security-Policy violation."""
    problems: list[str] = []
    context.expose_binding("netevents_policy_violation", lambda _source, text: problems.append(f"CSP: {text}"))
    context.add_init_script(REPORT_POLICY_VIOLATIONS)

    def console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            problems.append(f"console error at {message.location.get('url', '')}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    return problems


@pytest.fixture
def launch(playwright_driver, chromium_path, live_app):
    """launch(video=None) -> a phone-sized page in a fresh Chromium; `video` feeds its fake camera. When the test
    ends, every page it launched must have run without a script error, a console error or a CSP violation."""
    browsers = []
    watched = []

    def _launch(video: Path | None = None, viewport: dict = PHONE):
        flags = list(CHROMIUM_FLAGS)
        if video is not None:
            flags += [
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ]
        browser = playwright_driver.chromium.launch(executable_path=chromium_path, args=flags, headless=True)
        browsers.append(browser)
        context = browser.new_context(
            viewport=viewport, base_url=live_app.base_url, locale="en-GB", timezone_id="Europe/Berlin"
        )
        if video is not None:
            context.grant_permissions(["camera"], origin=live_app.base_url)
        page = context.new_page()
        page.set_default_timeout(15000)
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.js_errors = errors
        #: What this test provokes on purpose (a refused frame, say): problems containing one of these pass.
        page.expected_problems = []
        watched.append((page, _watch(page, context)))
        return page

    yield _launch
    for browser in browsers:
        browser.close()
    problems = [
        problem
        for page, found in watched
        for problem in found
        if not any(expected in problem for expected in page.expected_problems)
    ]
    assert not problems, "\n".join(problems)


@pytest.fixture
def shot():
    """shot(page, name): check the screen with axe-core, then save a screenshot of it as a person sees it."""
    SCREENS.mkdir(parents=True, exist_ok=True)

    def _shot(page, name: str, full_page: bool = False):
        page.wait_for_timeout(150)  # let transitions and fonts settle
        assert_accessible(page, name)
        page.screenshot(path=str(SCREENS / f"{name}.png"), full_page=full_page)

    return _shot
