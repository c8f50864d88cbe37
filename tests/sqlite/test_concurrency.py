"""SQLite out of the box, under load: the real app in several gunicorn worker processes, a freshly
migrated SQLite file, and many people registering and signing up at the same moment. No answer may
be a 5xx, SQLite must never say "database is locked", and the database must hold exactly what the
2xx answers promised (and the Maildir exactly one email per registration)."""

import mailbox
import os
import random
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests import live_server
from tests.live_server import ROOT, gunicorn_server, server_log

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(os.environ.get("NETEVENTS_TEST_DATABASE_URL")),
        reason="about SQLite's single writer; the PostgreSQL pass has its own races",
    ),
]

CAPACITY = 15
REGISTRATIONS_PER_EVENT = 80
SIGNUPS = 40


def migrate(instance_path):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(NETEVENTS_INSTANCE_PATH=str(instance_path), FLASK_APP="wsgi")
    subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=environment,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return instance_path / "netevents.db"


def mail_delivered(database) -> bool:
    with sqlite3.connect(database) as connection:
        return connection.execute("SELECT count(*) FROM outgoing_email WHERE status != 'sent'").fetchone()[0] == 0


def test_many_processes_many_writers_no_lost_or_locked_writes(tmp_path):
    database = migrate(tmp_path)
    assert database.exists()
    with gunicorn_server(f"sqlite:///{database}", tmp_path, workers=4, threads=4) as base_url:
        token = live_server.sign_up(base_url, tmp_path, "olivia@example.org", "a long enough password", "Olivia")
        headers = {"Authorization": f"Bearer {token}"}
        event_ids = []
        for title in ("Rust Workshop", "Platform Night"):
            created = requests.post(
                f"{base_url}/api/v1/events",
                headers=headers,
                timeout=30,
                json={
                    "kind": "workshop",
                    "title": title,
                    "starts_at": "2031-05-04T18:00:00+02:00",
                    "ends_at": "2031-05-04T21:00:00+02:00",
                    "timezone": "Europe/Berlin",
                    "venue": "Hall A",
                    "capacity": CAPACITY,
                    "status": "published",
                },
            )
            assert created.status_code == 201, created.text
            event_ids.append(created.json()["id"])

        def register(n):
            event_id = event_ids[n % 2]
            return (
                "register",
                event_id,
                requests.post(
                    f"{base_url}/api/v1/events/{event_id}/registrations",
                    timeout=60,
                    json={"email": f"person{n}@example.org", "name": f"Person {n}"},
                ),
            )

        def sign_up(n):
            return (
                "signup",
                None,
                requests.post(
                    f"{base_url}/api/v1/auth/signup",
                    timeout=60,
                    json={
                        "email": f"member{n}@example.org",
                        "password": "a long enough password",
                        "name": f"Member {n}",
                    },
                ),
            )

        calls = [(register, n) for n in range(2 * REGISTRATIONS_PER_EVENT)] + [(sign_up, n) for n in range(SIGNUPS)]
        random.Random(7).shuffle(calls)  # interleave the two kinds, the same way every run
        with ThreadPoolExecutor(max_workers=16) as pool:
            answers = list(pool.map(lambda call: call[0](call[1]), calls))
        # The server's mail worker (deploy/gunicorn.conf.py) delivers what the requests queued.
        deadline = time.monotonic() + 60
        while not mail_delivered(database) and time.monotonic() < deadline:
            time.sleep(0.2)
        log = server_log(tmp_path)

    statuses = Counter(response.status_code for _, _, response in answers)
    assert not [code for code in statuses if code >= 500], (statuses, log[-3000:])
    assert all(200 <= code < 300 for code in statuses), statuses  # every one of them was a valid request
    assert not [r for _, _, r in answers if "database is locked" in r.text]
    assert "database is locked" not in log and "Traceback" not in log, log[-3000:]

    assert {response.status_code for kind, _, response in answers if kind == "register"} == {202}
    with sqlite3.connect(database) as connection:
        rows = Counter(connection.execute("SELECT event_id, status FROM registration").fetchall())
        counts = dict(connection.execute("SELECT id, confirmed_count FROM event").fetchall())
        users = connection.execute("SELECT count(*) FROM user_account").fetchone()[0]
        mail = Counter(row[0] for row in connection.execute("SELECT status FROM outgoing_email"))
    for event_id in event_ids:
        assert rows[(event_id, "confirmed")] == CAPACITY
        assert rows[(event_id, "waitlisted")] == REGISTRATIONS_PER_EVENT - CAPACITY
        assert counts[event_id] == CAPACITY
    assert sum(rows.values()) == 2 * REGISTRATIONS_PER_EVENT
    assert users == 1 + 2 * REGISTRATIONS_PER_EVENT + SIGNUPS
    # One email per registration (badge or waitlist place) and per sign-up (its link), each delivered once.
    assert mail == {"sent": 2 * REGISTRATIONS_PER_EVENT + SIGNUPS + 1}
    assert len(mailbox.Maildir(tmp_path / "mail", create=False)) == 2 * REGISTRATIONS_PER_EVENT + SIGNUPS + 1
