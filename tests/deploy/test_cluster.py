"""`make cluster` (scripts/cluster.py --check): nginx in front of two app instances and two mail workers on one
PostgreSQL database and Redis; requests through nginx reach both instances, the rate limits are one count across
them and an email queued by one is delivered once by one of the workers. It runs in the PostgreSQL pass of
`make test` (on that server, in a database of its own that it drops), and needs nginx and Redis; in CI all three
are required."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from tests.conftest import CI
from tests.deploy.test_deploy import nginx_or_skip
from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_URL = os.environ.get("NETEVENTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = pytest.mark.slow


def test_the_cluster_serves_from_both_instances_and_shares_limits_and_mail(tmp_path):
    postgres = os.environ.get("NETEVENTS_TEST_DATABASE_URL")
    if not postgres:
        pytest.skip("runs in the PostgreSQL pass of `make test` (NETEVENTS_TEST_DATABASE_URL)")
    nginx_or_skip()
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.skip("the web app is not built (make setup)")
    redis_url = urlsplit(REDIS_URL)._replace(path="/3").geturl()  # a database of its own: the check empties it
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if CI:
            pytest.fail(f"CI needs Redis at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    command = [
        sys.executable,
        str(ROOT / "scripts" / "cluster.py"),
        "--check",
        "--drop",
        "--port", str(free_port()),
        "--app-ports", str(free_port()), str(free_port()),
        "--postgres", postgres,
        "--database", f"netevents_cluster_{uuid.uuid4().hex[:8]}",
        "--redis", redis_url,
        "--folder", str(tmp_path / "cluster"),
        "--workers", "1",
    ]  # fmt: skip
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS: both instances answer through nginx" in result.stdout
