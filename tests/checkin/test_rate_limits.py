"""Badge secrets cannot be guessed at volume: unknown-badge scans and badge look-ups are rate limited,
per device, with counters shared by all workers when Redis is configured."""

import os

import pytest
import redis
import requests

from netevents.extensions import db
from tests.checkin.conftest import badge
from tests.live_server import gunicorn_server

pytestmark = pytest.mark.slow
REDIS_URL = os.environ.get("NETEVENTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def redis_available() -> bool:
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


def limited_server(database_url, tmp_path, storage, workers):
    return gunicorn_server(
        database_url,
        tmp_path,
        workers=workers,
        threads=2,
        env={"NETEVENTS_RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": storage},
    )


def guess_until_limited(base_url, headers, attempts=70):
    statuses = []
    for i in range(attempts):
        response = requests.post(
            f"{base_url}/api/v1/checkins", headers=headers, json={"qr": f"guess-{i:030d}", "nonce": f"g{i}"}, timeout=10
        )
        statuses.append(response.status_code)
        if response.status_code == 429:
            assert response.json()["reason"] == "rate_limited" and response.headers.get("Retry-After")
            assert "unknown badges" in response.json()["detail"]
    return statuses


def test_valid_scans_are_not_limited_but_guessing_is(database_url, tmp_path, door, make):
    people = [badge(make.registration(door.event)) for _ in range(80)]
    db.session.commit()
    with limited_server(database_url, tmp_path, "memory://", workers=1) as base_url:
        for i, qr in enumerate(people):
            response = requests.post(
                f"{base_url}/api/v1/checkins", headers=door.headers, json={"qr": qr, "nonce": f"ok{i}"}, timeout=10
            )
            assert response.status_code == 200 and response.json()["result"] == "accepted"
        statuses = guess_until_limited(base_url, door.headers)
    assert statuses[:60] == [200] * 60
    assert statuses[60:] == [429] * 10


def test_past_the_budget_unknown_badges_are_refused_and_logged_and_the_door_keeps_working(
    database_url, tmp_path, door, make, client
):
    ada, bob, cy = (make.registration(door.event, name=name) for name in ("Ada", "Bob", "Cy"))
    ada_qr, bob_id, cy_qr = badge(ada), bob.id, badge(cy)
    db.session.commit()  # and no reading of them from now on: the test's session would take SQLite's write lock
    with limited_server(database_url, tmp_path, "memory://", workers=1) as base_url:

        def post(path, body):
            return requests.post(f"{base_url}/api/v1/{path}", headers=door.headers, json=body, timeout=10)

        assert guess_until_limited(base_url, door.headers, attempts=62) == [200] * 60 + [429] * 2
        # A phone pointed at a poster does not stop the door: badges we know are answered ...
        known = post("checkins", {"qr": ada_qr, "nonce": "ok-1"})
        assert known.status_code == 200 and known.json()["result"] == "accepted"
        by_name = post("checkins", {"registration_id": bob_id, "nonce": "ok-2"})
        assert by_name.status_code == 200 and by_name.json()["result"] == "accepted"
        # ... and so is an offline batch, scan by scan; its unknown codes are refused, in words.
        batch = post(
            "checkins/batch",
            {"scans": [{"qr": cy_qr, "nonce": "b-1"}, {"qr": "poster-1" * 3, "nonce": "b-2"}]},
        )
        assert batch.status_code == 200
        assert [(r["result"], r["reason"]) for r in batch.json()["results"]] == [
            ("accepted", None),
            ("rejected", "too_many_unknown_badges"),
        ]
        # A refused scan sent again is still refused while the budget is spent, and not logged twice.
        assert post("checkins", {"qr": f"guess-{61:030d}", "nonce": "g61"}).status_code == 429
    owner = make.token(door.event.owner)
    log = client.get(f"/api/v1/events/{door.event.id}/checkins", query_string={"per_page": 100}, headers=owner).json
    reasons = [entry["reason"] for entry in log["items"]]
    # Every refusal is in the scan log: the 60 counted, the 2 refused singles and the batch's one.
    assert (reasons.count("unknown_badge"), reasons.count("too_many_unknown_badges")) == (60, 3)
    assert reasons.count(None) == 3


def test_unknown_badges_in_batches_count_too(database_url, tmp_path, door):
    db.session.commit()
    with limited_server(database_url, tmp_path, "memory://", workers=1) as base_url:
        scans = [{"qr": f"guess-{i:030d}", "nonce": f"b{i}"} for i in range(70)]
        response = requests.post(
            f"{base_url}/api/v1/checkins/batch", headers=door.headers, json={"scans": scans}, timeout=30
        )
        assert response.status_code == 200
        reasons = [r["reason"] for r in response.json()["results"]]
        assert reasons == ["unknown_badge"] * 60 + ["too_many_unknown_badges"] * 10
        single = requests.post(
            f"{base_url}/api/v1/checkins", headers=door.headers, json={"qr": "guess-x" * 4, "nonce": "s"}, timeout=10
        )
        assert single.status_code == 429 and int(single.headers["Retry-After"]) >= 1


def test_badge_lookups_are_limited_per_address(database_url, tmp_path, app):
    db.session.commit()
    with limited_server(database_url, tmp_path, "memory://", workers=1) as base_url:
        statuses = [requests.get(f"{base_url}/api/v1/badges/{'x' * 32}", timeout=10).status_code for _ in range(65)]
    assert statuses[:60] == [404] * 60 and set(statuses[60:]) == {429}


def test_with_redis_the_limit_is_shared_by_all_workers(database_url, tmp_path, door):
    if not redis_available():
        if CI:
            pytest.fail(f"CI needs Redis at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    db.session.commit()
    with limited_server(database_url, tmp_path, REDIS_URL, workers=4) as base_url:
        statuses = guess_until_limited(base_url, door.headers)
    # With per-process memory counters 4 workers would allow up to 240; Redis holds the line at 60.
    assert statuses.count(200) == 60 and statuses.count(429) == 10
