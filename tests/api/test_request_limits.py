"""Limits on a request's size, through a real server: a body over NETEVENTS_MAX_BODY_BYTES is 413 however it is
sent, with a Content-Length or in chunks (Transfer-Encoding: chunked, which the test client does not send), never cut
at the limit; a URL over MAX_URL_LENGTH is 414. Both as problem answers, never gunicorn's HTML."""

import json

import pytest
import requests
from sqlalchemy import func, select

from netevents.extensions import db
from netevents.paths import MAX_URL_LENGTH
from netevents.registrations.models import Registration
from tests.live_server import gunicorn_server

pytestmark = pytest.mark.slow

LIMIT = 1024 * 1024


@pytest.fixture
def live(app, database_url, tmp_path):
    with gunicorn_server(database_url, tmp_path, workers=1, threads=2) as base_url:
        yield base_url


@pytest.fixture
def organizer(make):
    owner = make.user(name="Olivia Organizer")
    event = make.event(owner)
    answer = {"headers": make.token(owner), "event_id": event.id}
    db.session.commit()  # the test's own session must not hold SQLite's write lock while the server works
    return answer


def chunks(body: bytes, size: int = 64 * 1024):
    """A generator body: requests sends it with Transfer-Encoding: chunked and no Content-Length."""
    for start in range(0, len(body), size):
        yield body[start : start + size]


def event_body(padding: int) -> bytes:
    body = json.dumps(
        {
            "kind": "meetup",
            "title": "Padded",
            "starts_at": "2031-05-04T18:00:00+02:00",
            "ends_at": "2031-05-04T20:00:00+02:00",
            "timezone": "Europe/Berlin",
        }
    ).encode()
    return body + b" " * padding


def assert_too_large(response) -> None:
    assert response.status_code == 413, response.text[:300]
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["reason"] == "body_too_large"
    assert str(LIMIT) in response.json()["detail"]


def registrations() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Registration))


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
def test_a_csv_over_the_limit_is_413_not_a_partial_import(live, organizer, chunked):
    rows = b"".join(b"person%d@example.org,Person %d\n" % (i, i) for i in range(40_000))
    body = b"email,name\n" + rows
    assert len(body) > LIMIT
    before = registrations()
    response = requests.post(
        f"{live}/api/v1/events/{organizer['event_id']}/registrations/import?dry_run=true&notify=false",
        headers={**organizer["headers"], "Content-Type": "text/csv"},
        data=chunks(body) if chunked else body,
        timeout=60,
    )
    assert_too_large(response)
    assert registrations() == before


@pytest.mark.parametrize("chunked", [True, False], ids=["chunked", "content-length"])
@pytest.mark.parametrize("body", ["x" * (LIMIT + 10), None], ids=["long string", "padded with spaces"])
def test_json_over_the_limit_is_413_not_malformed_or_accepted(live, organizer, chunked, body):
    data = event_body(LIMIT) if body is None else json.dumps({"title": body}).encode()
    response = requests.post(
        f"{live}/api/v1/events",
        headers={**organizer["headers"], "Content-Type": "application/json"},
        data=chunks(data) if chunked else data,
        timeout=60,
    )
    assert_too_large(response)


def test_a_chunked_body_of_exactly_the_limit_is_read_whole(live, organizer):
    body = event_body(0)
    body += b" " * (LIMIT - len(body))
    response = requests.post(
        f"{live}/api/v1/events",
        headers={**organizer["headers"], "Content-Type": "application/json"},
        data=chunks(body),
        timeout=60,
    )
    assert response.status_code == 201, response.text[:300]


def test_a_chunked_body_over_the_limit_is_413_where_no_body_is_read(live, organizer):
    response = requests.get(
        f"{live}/api/v1/events/{organizer['event_id']}", data=chunks(b"x" * (LIMIT + 1)), timeout=60
    )
    assert_too_large(response)


def url_of_length(base: str, length: int) -> str:
    path = "/api/v1/events?q="
    return base + path + "x" * (length - len(path))


@pytest.mark.parametrize("length", [MAX_URL_LENGTH + 1, 5000, 8000])
def test_a_url_over_the_limit_is_a_414_problem_not_gunicorns_page(live, length):
    response = requests.get(url_of_length(live, length), timeout=30)
    assert response.status_code == 414, response.text[:300]
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["reason"] == "url_too_long"
    assert str(MAX_URL_LENGTH) in response.json()["detail"]


def test_a_url_of_the_limit_is_served(live):
    response = requests.get(url_of_length(live, MAX_URL_LENGTH), timeout=30)
    assert response.status_code != 414, response.text[:300]
    assert response.headers["Content-Type"] in ("application/json", "application/problem+json")


def test_the_test_client_meets_the_same_url_limit(client):
    assert client.get(url_of_length("", MAX_URL_LENGTH + 1)).status_code == 414
    assert client.get(url_of_length("", MAX_URL_LENGTH)).status_code != 414
    long_path = client.get("/api/v1/no/such/" + "p" * MAX_URL_LENGTH)  # before routing's 404
    assert long_path.status_code == 414 and long_path.json["reason"] == "url_too_long"
