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
