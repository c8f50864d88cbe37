"""As an integrator would: generate a Python client from the served OpenAPI document with openapi-python-client
(offline, from the installed package) and run a meetup through that client alone, against the app served by
gunicorn: sign up, create and publish an event, register, pair a door station, scan, scan a batch, read the
attendance. The client raises on any status the document does not declare.
"""

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from tests.live_server import gunicorn_server, mailed_code

PACKAGE = "netevents_client"
#: What an integrator tells the generator: the images and the CSV upload are bytes, the SVG is text.
GENERATOR_CONFIG = {
    "package_name_override": PACKAGE,
    "post_hooks": [],  # no formatting (ruff) of the generated code: nothing here reads it
    "content_type_overrides": {
        "image/svg+xml": "text/plain",
        "image/png": "application/octet-stream",
        "text/csv": "application/octet-stream",
    },
}


@pytest.fixture(scope="module")
def generated(_migrated_app, tmp_path_factory):
    """Generate the client package into a folder on sys.path."""
    folder = tmp_path_factory.mktemp("generated-client")
    document = folder / "openapi.json"
    document.write_bytes(_migrated_app.test_client().get("/api/v1/openapi.json").get_data())
    config = folder / "config.json"
    config.write_text(json.dumps(GENERATOR_CONFIG))
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "openapi_python_client",
            "generate",
            "--path",
            str(document),
            "--meta",
            "none",
            "--config",
            str(config),
            "--output-path",
            str(folder / PACKAGE),
            "--fail-on-warning",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    sys.path.insert(0, str(folder))
    try:
        yield
    finally:
        sys.path.remove(str(folder))
        for name in [name for name in sys.modules if name == PACKAGE or name.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
def base_url(app, database_url, tmp_path):
    with gunicorn_server(database_url, tmp_path, workers=2, threads=2, public=True) as url:
        yield url


def test_a_meetup_through_the_generated_client_alone(generated, base_url, tmp_path):
    # The package exists only once the fixture has generated it, so it is imported here.
    from netevents_client import AuthenticatedClient, Client
    from netevents_client import models as m
    from netevents_client.api.accounts import get_me, redeem_magic_link, signup
    from netevents_client.api.checkin import attendance, check_in, check_in_batch, create_station, pair_station
    from netevents_client.api.events import create_event, update_event
    from netevents_client.api.registrations import list_registrations, register

    anyone = Client(base_url=base_url, raise_on_unexpected_status=True)

    # Sign up, then open the link it emails; the token is what an AuthenticatedClient sends.
    accepted = signup.sync(
        client=anyone,
        body=m.SignUp(email="olivia@example.org", password="correct horse battery", name="Olivia Organizer"),
    )
    assert isinstance(accepted, m.Accepted) and "Check your inbox" in accepted.message
    code = mailed_code(tmp_path, "olivia@example.org", "Finish creating")
    signed_up = redeem_magic_link.sync(client=anyone, body=m.MagicLinkRedeem(code=code))
    assert isinstance(signed_up, m.Token) and signed_up.user.email == "olivia@example.org"
    organizer = AuthenticatedClient(base_url=base_url, token=signed_up.token, raise_on_unexpected_status=True)

    # Create a draft for tonight, then publish it.
    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=30)
    draft = create_event.sync(
        client=organizer,
        body=m.EventInput(
            kind=m.EventKind.MEETUP,
            title="Staff Engineers Meetup",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            timezone=m.TimeZone.EUROPE_BERLIN,
            venue="Tech Hub, Main Hall",
            capacity=50,
        ),
    )
    assert isinstance(draft, m.Event) and draft.status == m.EventStatus.DRAFT and draft.viewer_is_organizer
    event = update_event.sync(draft.id, client=organizer, body=m.EventUpdate(status=m.EventStatus.PUBLISHED))
    assert event.status == m.EventStatus.PUBLISHED and event.starts_at == start
    assert event.organizers[0].role == m.OrganizerRole.OWNER

    # Three people register, without an account: the answer says the badge is on its way by email.
    answers = [
        register.sync(
            event.id,
            client=anyone,
            body=m.RegistrationInput(
                email=f"{name.lower()}@example.org",
                name=name,
                topics=["platforms"],
                contact_sharing=m.ContactSharing.CONNECTIONS,
            ),
        )
        for name in ("Ada", "Grace", "Barbara")
    ]
    assert all(isinstance(a, m.Accepted) for a in answers), answers
    # The organizer's list has their badges.
    listed = list_registrations.sync(event.id, client=organizer)
    assert isinstance(listed, m.RegistrationPage), listed
    people = {p.name: p for p in listed.items}
    ada, grace, barbara = people["Ada"], people["Grace"], people["Barbara"]
    assert all(p.status == m.RegistrationStatus.CONFIRMED for p in people.values())
    assert ada.badge_url.startswith(f"{base_url}/b/")  # absolute: the address in the QR code
    unknown = register.sync(2**31 - 1, client=anyone, body=m.RegistrationInput(email="x@example.org", name="X"))
    assert isinstance(unknown, m.Problem) and unknown.status == 404 and unknown.reason == "not_found"

    # The organizer creates a door station; a phone pairs with its one-time code.
    station = create_station.sync(event.id, client=organizer, body=m.StationInput(name="Door A"))
    assert isinstance(station, m.Station), station
    paired = pair_station.sync(client=anyone, body=m.Pair(code=station.pairing_code))
    assert isinstance(paired, m.Paired), paired
    door = AuthenticatedClient(base_url=base_url, token=paired.token, raise_on_unexpected_status=True)

    # One scan: Ada is let in.
    scanned_at = datetime.now(UTC).replace(microsecond=0)
    answer = check_in.sync(client=door, body=m.ScanInput(qr=ada.badge_url, nonce="n-1", scanned_at=scanned_at))
    assert isinstance(answer, m.ScanAnswer), answer
    assert (answer.result.value, answer.reason, answer.attendee.name) == ("accepted", None, "Ada")

    # A batch made offline: Grace comes in, Ada's badge again is already checked in, then Barbara.
    batch = check_in_batch.sync(
        client=door,
        body=m.BatchInput(
            scans=[
                m.ScanInput(qr=grace.badge_url, nonce="n-2", scanned_at=scanned_at + timedelta(seconds=1)),
                m.ScanInput(qr=ada.badge_url, nonce="n-3", scanned_at=scanned_at + timedelta(seconds=2)),
                m.ScanInput(qr=barbara.badge_url, nonce="n-4", scanned_at=scanned_at + timedelta(seconds=3)),
            ]
        ),
    )
    assert isinstance(batch, m.BatchAnswer), batch
    assert [(r.result.value, r.reason and r.reason.value) for r in batch.results] == [
        ("accepted", None),
        ("rejected", "already_checked_in"),
        ("accepted", None),
    ]
    assert batch.results[1].first_checkin.station_name == "Door A"

    # The organizer reads the attendance.
    counts = attendance.sync(event.id, client=organizer)
    assert isinstance(counts, m.Attendance), counts
    assert (counts.registered, counts.checked_in, counts.inside_now, counts.no_shows) == (3, 3, 3, 0)
    assert [(s.name, s.accepted, s.rejected) for s in counts.stations] == [("Door A", 3, 1)]

    # A made-up token is a problem the client parses, not an exception.
    stranger = AuthenticatedClient(base_url=base_url, token="ne_made-up", raise_on_unexpected_status=True)
    refused = get_me.sync(client=stranger)
    assert isinstance(refused, m.Problem) and refused.status == 401
