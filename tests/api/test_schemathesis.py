"""Property-based tests from the app's own OpenAPI document: schemathesis generates valid and invalid
requests for every operation; no answer may be a 5xx, and every answer must match what the spec says.

Requests carry an organizer's token and, when valid, the ids of real objects of that organizer's
world, so the authenticated paths get past 401 and 404 and are exercised for real.
"""

import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from netevents import config, create_app
from netevents.db import utcnow
from netevents.extensions import db

# Both generation phases: the coverage phase (every boundary value, every missing or extra field, every
# unexpected method: a few thousand requests over the 43 operations) and the fuzzing phase (max_examples per
# operation, below). Together about 30 s on a 2-core machine, 10 s of it the coverage phase.
CONFIG = schemathesis.Config.from_dict({"phases": {"coverage": {"enabled": True}}})


def _load_schema():
    # The document does not depend on the database, so it is read at collection time from an app of
    # its own; the requests go to the test's app (and its database) through `app=` below. (Loading
    # it from a fixture, schemathesis.pytest.from_fixture, does not work with pytest 9.)
    instance = Path(tempfile.mkdtemp(prefix="netevents-openapi-"))
    spec_app = create_app(config.TestConfig(instance, f"sqlite:///{instance / 'unused.db'}"))
    try:
        return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", spec_app, config=CONFIG)
    finally:
        shutil.rmtree(instance, ignore_errors=True)


@pytest.fixture
def organizer_world(client, make):
    """Alice organizes a published event with a co-organizer, a station, a check-in and a waitlist."""
    alice = make.user(name="Alice Organizer", email="alice@example.org")
    soon = utcnow().replace(microsecond=0) + timedelta(minutes=30)
    event = make.event(alice, capacity=2, starts_at=soon, ends_at=soon + timedelta(hours=3))
    alice_headers = make.token(alice)
    carol = make.user(name="Carol Co", email="carol@example.org")
    client.post(f"/api/v1/events/{event.id}/organizers", headers=alice_headers, json={"email": carol.email})
    registrations = [make.registration(event) for _ in range(3)]
    station = client.post(f"/api/v1/events/{event.id}/stations", headers=alice_headers, json={"name": "Door A"}).json
    scan = client.post(
        "/api/v1/checkins",
        headers=alice_headers,
        json={"registration_id": registrations[0].id, "nonce": "world-1", "event_id": event.id},
    ).json
    path_values = {
        "event_id": event.id,
        "registration_id": registrations[0].id,
        "user_id": carol.id,
        "station_id": station["id"],
        "scan_id": scan["id"],
        "secret": registrations[0].badge_secret,
    }
    db.session.commit()
    return {"alice": alice, "path_values": path_values}


schema = _load_schema()


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_api_matches_its_openapi_document(case, app, organizer_world, make):
    # Valid requests address the world's real objects; invalid ones keep their generated path values,
    # which must be refused cleanly too.
    if case.meta is not None and case.meta.generation.mode.is_positive:
        for name, value in organizer_world["path_values"].items():
            if name in case.path_parameters:
                case.path_parameters[name] = value
    headers = make.token(organizer_world["alice"])  # fresh: a generated sign-out must not end the run
    case.call_and_validate(
        app=app, headers=headers, checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
    )
