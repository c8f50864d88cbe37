"""The doors drill of `make drills` (bench/drills.py, docs/drills.md) at a tiny scale: 2 online and 2 offline
stations, 50 badges, on a cluster of its own. It proves the drill runs; the drill at full scale is `make drills`.
It runs in the PostgreSQL pass of `make test` and needs nginx and Redis, as tests/deploy/test_cluster.py does."""

import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import redis

from tests.deploy.test_deploy import nginx_or_skip

ROOT = Path(__file__).resolve().parent.parent.parent
REDIS_URL = os.environ.get("NETEVENTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")

pytestmark = pytest.mark.slow


def test_the_doors_drill_checks_in_every_badge_once_at_a_tiny_scale():
    postgres = os.environ.get("NETEVENTS_TEST_DATABASE_URL")
    if not postgres:
        pytest.skip("runs in the PostgreSQL pass of `make test` (NETEVENTS_TEST_DATABASE_URL)")
    nginx_or_skip()
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        pytest.skip("the web app is not built (make setup)")
    redis_url = urlsplit(REDIS_URL)._replace(path="/4").geturl()
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    env = {
        **os.environ,
        "CLUSTER_POSTGRES_URL": postgres,
        "DRILL_REDIS_URL": redis_url,
        "DRILL_DATABASE_PREFIX": f"netevents_drill_{uuid.uuid4().hex[:8]}",
        "DRILL_BADGES": "50",
        "DRILL_STATIONS": "4",
        "DRILL_OFFLINE_STATIONS": "2",
        "DRILL_OFFLINE_SCANS": "10",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "drills.py"), "doors"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "PASS  exactly 50 check-ins stored: 50" in result.stdout
    assert "Overall: PASS" in result.stdout
