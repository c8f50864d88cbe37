"""Several gunicorn worker processes, one badge, many simultaneous scans: exactly one wins."""

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from netevents.extensions import db
from tests.checkin.conftest import badge
from tests.live_server import gunicorn_server, server_log

pytestmark = pytest.mark.slow


@pytest.fixture
def live(app, database_url, tmp_path):
    with gunicorn_server(database_url, tmp_path, workers=4, threads=4) as base_url:
        yield base_url


def test_8_threads_scanning_one_badge_100_times_accept_exactly_once(live, door, make, tmp_path):
    qr = badge(make.registration(door.event, name="Ada"))
    db.session.commit()  # the test's own session must not hold SQLite's write lock while the server works
    session_per_thread = {}

    def scan(i):
        session = session_per_thread.setdefault(i % 8, requests.Session())
        return session.post(
            f"{live}/api/v1/checkins", headers=door.headers, json={"qr": qr, "nonce": f"race-{i}"}, timeout=30
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(scan, range(100)))
    statuses = [r.status_code for r in responses]
    assert statuses == [200] * 100, statuses
    results = [r.json()["result"] for r in responses]
    reasons = {r.json()["reason"] for r in responses if r.json()["result"] == "rejected"}
    assert results.count("accepted") == 1
    assert reasons == {"already_checked_in"}
    log = server_log(tmp_path)
    assert "database is locked" not in log and "Traceback" not in log


def test_the_same_scan_sent_by_8_threads_at_once_is_one_scan(live, door, make, client):
    qr = badge(make.registration(door.event, name="Ada"))
    db.session.commit()  # the test's own session must not hold SQLite's write lock while the server works

    def scan(_):
        return requests.post(
            f"{live}/api/v1/checkins", headers=door.headers, json={"qr": qr, "nonce": "one-and-the-same"}, timeout=30
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(scan, range(40)))
    assert {r.status_code for r in responses} == {200}
    answers = {r.json()["id"] for r in responses}
    assert len(answers) == 1
    assert {r.json()["result"] for r in responses} == {"accepted"}
    log = client.get(f"/api/v1/events/{door.event.id}/checkins", headers=make.token(door.event.owner)).json
    assert log["total"] == 1


def test_older_offline_scans_racing_each_other_leave_the_earliest_arrival(live, door, make):
    from datetime import timedelta

    from netevents.db import utcnow

    ada = make.registration(door.event, name="Ada")
    qr = badge(ada)
    online_at = utcnow().replace(microsecond=0) - timedelta(minutes=1)
    db.session.commit()
    first = requests.post(
        f"{live}/api/v1/checkins",
        headers=door.headers,
        json={"qr": qr, "nonce": "online", "scanned_at": online_at.isoformat()},
        timeout=30,
    )
    assert first.json()["result"] == "accepted"

    def upload(minutes_earlier):
        scanned_at = (online_at - timedelta(minutes=minutes_earlier)).isoformat()
        return requests.post(
            f"{live}/api/v1/checkins/batch",
            headers=door.headers,
            json={"scans": [{"qr": qr, "nonce": f"offline-{minutes_earlier}", "scanned_at": scanned_at}]},
            timeout=30,
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        responses = list(pool.map(upload, range(1, 17)))
    assert {r.status_code for r in responses} == {200}
    assert {r.json()["results"][0]["reason"] for r in responses} == {"already_checked_in"}
    db.session.refresh(ada)
    assert ada.checked_in_at == online_at - timedelta(minutes=16) and ada.inside is True
