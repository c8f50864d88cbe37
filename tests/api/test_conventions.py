"""API conventions: bad input gets a 4xx problem (RFC 9457) that says what to fix, and changes nothing."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from netevents.extensions import db

START = datetime(2031, 5, 4, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))


def event_json(**fields) -> dict:
    data = {
        "kind": "workshop",
        "title": "Rust Workshop",
        "starts_at": START.isoformat(),
        "ends_at": (START + timedelta(hours=2)).isoformat(),
        "timezone": "Europe/Berlin",
        "venue": "Room 1",
        "capacity": 20,
    }
    data.update(fields)
    return data


def database_snapshot() -> dict[str, int]:
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables
    }


def assert_problem(response, status: int, reason: str | None = None, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = json.loads(response.get_data(as_text=True))
    for key in ("type", "title", "status", "detail", "reason"):
        assert body.get(key) not in (None, ""), f"problem without {key}: {body}"
    assert body["status"] == status
    if reason:
        assert body["reason"] == reason, body
    if field:
        assert field in body.get("errors", {}), body
        assert all(isinstance(m, str) and m for m in body["errors"][field]), body
    return body


@pytest.fixture
def world(client, make):
    """An organizer with a published event with a registration, so 'nothing changed' means something."""
    organizer = make.user(name="Olivia Organizer")
    event = make.event(organizer, capacity=5)
    make.registration(event, email="ada@example.org")
    return {"headers": make.token(organizer), "event_id": event.id}


BAD_EVENT_BODIES = [
    # (body, status, reason, field naming the problem)
    pytest.param(event_json(title=5), 422, "invalid_input", "title", id="wrong-type-string"),
    pytest.param(event_json(capacity="ten"), 422, "invalid_input", "capacity", id="wrong-type-int"),
    pytest.param(event_json(waitlist_enabled="maybe"), 422, "invalid_input", "waitlist_enabled", id="wrong-type-bool"),
    pytest.param(event_json(kind="party"), 422, "invalid_input", "kind", id="unknown-enum"),
    pytest.param(event_json(colour="red"), 422, "invalid_input", "colour", id="unknown-field"),
    pytest.param(event_json(title="x" * 201), 422, "invalid_input", "title", id="long-title"),
    pytest.param(event_json(description="x" * 10_001), 422, "invalid_input", "description", id="long-description"),
    pytest.param(event_json(venue="x" * 301), 422, "invalid_input", "venue", id="long-venue"),
    pytest.param(event_json(title="   "), 422, "invalid_input", "title", id="blank-title"),
    pytest.param(
        event_json(ends_at=(START - timedelta(hours=1)).isoformat()),
        422,
        "ends_before_start",
        "ends_at",
        id="end-before-start",
    ),
    pytest.param(event_json(ends_at=START.isoformat()), 422, "ends_before_start", "ends_at", id="end-equals-start"),
    pytest.param(event_json(capacity=-1), 422, "invalid_input", "capacity", id="negative-capacity"),
    pytest.param(event_json(capacity=0), 422, "invalid_input", "capacity", id="zero-capacity"),
    pytest.param(event_json(capacity=10**30), 422, "invalid_input", "capacity", id="huge-capacity"),
    pytest.param(event_json(starts_at="2031-05-04T18:00:00"), 422, "invalid_input", "starts_at", id="no-offset"),
    pytest.param(event_json(starts_at="next tuesday"), 422, "invalid_input", "starts_at", id="not-a-date"),
    pytest.param(event_json(starts_at="0548-05-06T03:42:49Z"), 422, "invalid_input", "starts_at", id="year-548"),
    pytest.param(event_json(ends_at="7945-06-15T02:30:39Z"), 422, "invalid_input", "ends_at", id="year-7945"),
    pytest.param(event_json(timezone="Mars/Olympus"), 422, "invalid_input", "timezone", id="unknown-zone"),
    pytest.param(event_json(online_url="javascript:alert(1)"), 422, "invalid_input", "online_url", id="bad-url-scheme"),
    pytest.param(
        event_json(checkin_opens_at=(START + timedelta(hours=1)).isoformat(), checkin_closes_at=START.isoformat()),
        422,
        "checkin_window_empty",
        "checkin_closes_at",
        id="checkin-window-backwards",
    ),
    pytest.param(
        {k: v for k, v in event_json().items() if k != "title"}, 422, "invalid_input", "title", id="missing-required"
    ),
]


@pytest.mark.parametrize(("body", "status", "reason", "field"), BAD_EVENT_BODIES)
def test_bad_event_input_is_a_problem_naming_the_field_and_changes_nothing(client, world, body, status, reason, field):
    before = database_snapshot()
    response = client.post("/api/v1/events", headers=world["headers"], json=body)
    assert_problem(response, status, reason, field)
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"capacity": -1}, "capacity", id="capacity"),
        pytest.param(
            {"ends_at": START.isoformat(), "starts_at": (START + timedelta(days=1)).isoformat()},
            "ends_at",
            id="end-before-start",
        ),
        pytest.param({"title": "New", "id": 99}, "id", id="read-only-field"),
        pytest.param({"confirmed_count": 0}, "confirmed_count", id="server-owned-field"),
    ],
)
def test_bad_event_changes_are_refused_whole(client, world, body, field):
    url = f"/api/v1/events/{world['event_id']}"
    before = client.get(url).json
    snapshot = database_snapshot()
    assert_problem(client.patch(url, headers=world["headers"], json=body), 422, field=field)
    assert client.get(url).json == before
    assert database_snapshot() == snapshot


@pytest.mark.parametrize(
    ("body", "field"),
    [
        pytest.param({"email": "ada", "name": "Ada"}, "email", id="bad-email"),
        pytest.param({"email": "a" * 250 + "@example.org", "name": "Ada"}, "email", id="long-email"),
        pytest.param({"email": "new@example.org", "name": "x" * 121}, "name", id="long-name"),
        pytest.param({"email": "new@example.org", "name": "Ada", "topics": "rust"}, "topics", id="topics-not-a-list"),
        pytest.param({"email": "new@example.org", "name": "Ada", "topics": ["x"] * 21}, "topics", id="too-many-topics"),
        pytest.param(
            {"email": "new@example.org", "name": "Ada", "links": [{"label": "x", "url": "ftp://x"}]},
            "links.0.url",
            id="bad-link",
        ),
        pytest.param(
            {"email": "new@example.org", "name": "Ada", "contact_sharing": "everyone"},
            "contact_sharing",
            id="unknown-choice",
        ),
        pytest.param(
            {"email": "new@example.org", "name": "Ada", "status": "confirmed"}, "status", id="cannot-choose-status"
        ),
    ],
)
def test_bad_registrations_are_refused_and_change_nothing(client, world, body, field):
    before = database_snapshot()
    response = client.post(f"/api/v1/events/{world['event_id']}/registrations", json=body)
    assert_problem(response, 422, "invalid_input", field)
    assert database_snapshot() == before


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/auth/signup", "/api/v1/events/{event_id}/registrations"])
@pytest.mark.parametrize("payload", ["{bad json", '{"title": "unterminated', "\xff\xfe", "{'single': 'quotes'}"])
def test_malformed_json_is_400_malformed_json(client, world, path, payload):
    before = database_snapshot()
    response = client.post(
        path.format(**world), headers=world["headers"], data=payload, content_type="application/json"
    )
    body = assert_problem(response, 400, "malformed_json")
    assert "JSON" in body["detail"]
    assert database_snapshot() == before


@pytest.mark.parametrize("payload", ["[1, 2]", '"a string"', "42", "null"])
def test_json_that_is_not_an_object_is_refused(client, world, payload):
    before = database_snapshot()
    response = client.post("/api/v1/events", headers=world["headers"], data=payload, content_type="application/json")
    body = assert_problem(response, 422, "invalid_input")
    assert "JSON object" in body["detail"] and "errors" not in body  # no field is wrong: the body is
    assert database_snapshot() == before


def test_a_body_over_the_limit_is_413(client, world):
    before = database_snapshot()
    huge = json.dumps(event_json(description="x" * (2 * 1024 * 1024)))
    response = client.post("/api/v1/events", headers=world["headers"], data=huge, content_type="application/json")
    body = assert_problem(response, 413, "body_too_large")
    assert "1048576" in body["detail"]
    assert database_snapshot() == before


def test_a_big_csv_upload_is_413_too(client, world):
    before = database_snapshot()
    csv_body = b"email,name\n" + b"someone@example.org,Someone\n" * 80_000  # ~2 MB
    response = client.post(
        f"/api/v1/events/{world['event_id']}/registrations/import",
        headers=world["headers"],
        data=csv_body,
        content_type="text/csv",
    )
    assert_problem(response, 413, "body_too_large")
    assert database_snapshot() == before


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("per_page=101", "per_page"),
        ("per_page=0", "per_page"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("kind=party", "kind"),
        ("starts_after=2031-01-01T10:00:00", "starts_after"),
        ("q=" + "x" * 101, "q"),
    ],
)
def test_bad_query_parameters_are_422_naming_them(client, query, field):
    assert_problem(client.get(f"/api/v1/events?{query}"), 422, "invalid_input", field)


def test_unknown_api_paths_and_methods_are_problems_too(client):
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert body["instance"] == "/api/v1/no-such-thing"
    assert_problem(client.post("/api/v1/events/123/no-such-thing", json={}), 404, "not_found")
    assert_problem(client.get("/api/v1/events/not-a-number"), 404, "not_found")
    assert_problem(client.put("/api/v1/events", json={}), 405, "method_not_allowed")


def test_auth_problems_are_problems(client, world):
    assert_problem(client.get("/api/v1/me"), 401, "unauthorized")
    assert_problem(client.get("/api/v1/me", headers={"Authorization": "Bearer nope"}), 401, "unauthorized")
    assert_problem(client.get("/api/v1/me", headers={"Authorization": "Bearer " + "x" * 5000}), 401, "unauthorized")
    assert_problem(client.get("/api/v1/me", headers={"Authorization": "Basic dXNlcjpwYXNz"}), 401, "unauthorized")


def test_times_leave_with_an_offset(client, world):
    event = client.get(f"/api/v1/events/{world['event_id']}").json
    for key in ("starts_at", "ends_at", "checkin_opens_at", "checkin_closes_at", "created_at", "updated_at"):
        parsed = datetime.fromisoformat(event[key])
        assert parsed.utcoffset() is not None, key


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/events/6469693230",
        "/api/v1/events/6469693230/calendar.ics",
        "/api/v1/registrations/6469693230",
    ],
)
def test_ids_beyond_the_database_range_are_404_on_every_backend(client, world, path):
    assert_problem(client.get(path, headers=world["headers"]), 404, "not_found")
    assert_problem(client.patch(f"/api/v1/registrations/{2**31}", headers=world["headers"], json={}), 404, "not_found")
