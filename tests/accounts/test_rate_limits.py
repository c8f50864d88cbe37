"""Sign-in limits hold for the host as a whole, whatever the number of workers: the default storage is shared by
every worker process (netevents/ratelimit_storage.py), and Redis shares it between hosts. A client cannot dodge
them with X-Forwarded-For unless the app is told it sits behind that many proxies (NETEVENTS_TRUSTED_PROXIES)."""

import itertools
import os
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
import requests

from netevents.accounts.routes import ACCOUNT_SIGN_IN_LIMIT, AUTH_LIMIT
from netevents.extensions import db
from tests.live_server import gunicorn_server

pytestmark = pytest.mark.slow
REDIS_URL = os.environ.get("NETEVENTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
#: Wrong passwords a minute, per client address (the first of AUTH_LIMIT's limits).
PER_MINUTE = int(AUTH_LIMIT.split()[0])
#: Wrong passwords a minute for one account, from anywhere.
PER_ACCOUNT_PER_MINUTE = int(ACCOUNT_SIGN_IN_LIMIT.split()[0])


def limited_server(database_url, instance_path, *, workers=2, **env):
    # No RATELIMIT_STORAGE_URI from the test's environment: the default is what is tested.
    return gunicorn_server(
        database_url,
        instance_path,
        workers=workers,
        threads=2,
        env={"NETEVENTS_RATELIMIT_ENABLED": "true", "RATELIMIT_STORAGE_URI": "", **env},
    )


def wrong_passwords(base_urls, count, forwarded_for=None, accounts=None):
    """`count` sign-ins with a wrong password, 8 at a time, spread over the servers (and over `accounts`, a new
    address each time by default, so that only the client's limit counts); their statuses."""
    servers = itertools.cycle(base_urls)
    addresses = itertools.cycle(forwarded_for or [None])
    emails = itertools.cycle(accounts or [f"person{n}@example.org" for n in range(count)])

    def attempt(args):
        base_url, address, email = args
        headers = {"X-Forwarded-For": address} if address else {}
        response = requests.post(
            f"{base_url}/api/v1/auth/token",
            json={"email": email, "password": "not her password"},
            headers=headers,
            timeout=30,
        )
        if response.status_code == 429:
            assert response.json()["reason"] == "rate_limited" and int(response.headers["Retry-After"]) > 0
        return response.status_code

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(attempt, [(next(servers), next(addresses), next(emails)) for _ in range(count)]))


def test_eighty_wrong_passwords_hit_the_limit_at_its_number_across_workers(database_url, tmp_path, make):
    make.user(email="olivia@example.org")
    db.session.commit()
    # A different X-Forwarded-For on every request changes nothing: no proxy is trusted by default.
    spoofed = [f"203.0.113.{n}" for n in range(1, 81)]
    with limited_server(database_url, tmp_path, workers=2) as base_url:
        statuses = wrong_passwords([base_url], 80, forwarded_for=spoofed)
    assert statuses.count(401) == PER_MINUTE and statuses.count(429) == 80 - PER_MINUTE


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(database_url, tmp_path, make):
    make.user(email="olivia@example.org")
    db.session.commit()
    with limited_server(database_url, tmp_path, workers=2, NETEVENTS_TRUSTED_PROXIES="1") as base_url:
        first = wrong_passwords([base_url], PER_MINUTE + 5, forwarded_for=["203.0.113.1"])
        second = wrong_passwords([base_url], 5, forwarded_for=["203.0.113.2"])
    assert first.count(401) == PER_MINUTE and first.count(429) == 5
    assert second == [401] * 5


def test_one_account_has_its_own_limit_whatever_addresses_the_guesses_come_from(database_url, tmp_path, make):
    make.user(email="olivia@example.org")
    db.session.commit()
    many_clients = [f"203.0.113.{n}" for n in range(1, 41)]  # each its own client, behind a trusted proxy
    with limited_server(database_url, tmp_path, workers=2, NETEVENTS_TRUSTED_PROXIES="1") as base_url:
        statuses = wrong_passwords([base_url], 40, forwarded_for=many_clients, accounts=["Olivia@Example.org"])
        other = wrong_passwords([base_url], 3, forwarded_for=["203.0.113.99"], accounts=["someone@example.org"])
    assert statuses.count(401) == PER_ACCOUNT_PER_MINUTE and statuses.count(429) == 40 - PER_ACCOUNT_PER_MINUTE
    assert other == [401] * 3


def test_with_redis_two_hosts_share_the_limit(database_url, tmp_path, make):
    if not _redis_available():
        if CI:
            pytest.fail(f"CI needs Redis at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis.Redis.from_url(REDIS_URL).flushdb()
    make.user(email="olivia@example.org")
    db.session.commit()
    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    with (
        limited_server(database_url, tmp_path / "a", RATELIMIT_STORAGE_URI=REDIS_URL) as host_a,
        limited_server(database_url, tmp_path / "b", RATELIMIT_STORAGE_URI=REDIS_URL) as host_b,
    ):
        statuses = wrong_passwords([host_a, host_b], 80)
    assert statuses.count(401) == PER_MINUTE and statuses.count(429) == 80 - PER_MINUTE


def _redis_available() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False
