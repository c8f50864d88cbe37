"""Data for `make bench`, built inside the app (run as a subprocess with DATABASE_URL and
NETEVENTS_INSTANCE_PATH set, after `flask db upgrade`).

    python bench/dataset.py seed N OUT_DIR [STATIONS [TAG]]
                                             a published event happening now, N confirmed registrations,
                                             a paired station (or STATIONS of them) and signed-in attendees who
                                             meet people (one per load connection); writes OUT_DIR/secrets.txt, prints JSON. TAG names the
                                             organizer and the emails, so a database may hold several (drills)
    python bench/dataset.py count-sql SECRETS_FILE TOKEN
                                             SQL statements per scan through the app's test client

The organizer, event, station and one sample registration go through the app's own services.
The other registrations (and their attendee accounts) are bulk-inserted as copies of the sample's
rows, with their own emails, names and random badge secrets from netevents.db.new_secret, so they
are the rows `register()` would have made, only thousands per statement.
"""

import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

from harness import columns_of, event_now, scanners  # also puts the project on the path
from sqlalchemy import event as sa_event
from sqlalchemy import insert, select, update

from netevents import create_app
from netevents.accounts.models import User
from netevents.accounts.services import issue_access_token
from netevents.checkin.stations import create_station, pair_station
from netevents.db import new_secret, utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.registrations.badge_codes import new_badge_code
from netevents.registrations.models import Registration, RegistrationStatus

CHUNK = 5000
SCANNERS = int(os.environ.get("BENCH_CONNECTIONS", "32"))


def seed(count: int, out_dir: Path, stations: int = 1, tag: str = "") -> dict:
    started = time.perf_counter()
    organizer, event, sample = event_now(
        "Benchmark Meetup", hours=3, organizer_email=f"bench-organizer{tag}@example.org"
    )
    user_template = columns_of(sample.user, "id", "email", "name")
    registration_template = columns_of(sample, "id", "user_id", "name", "email", "badge_secret", "badge_code")
    assert registration_template["status"] == RegistrationStatus.confirmed

    secrets = [sample.badge_secret]
    for offset in range(0, count - 1, CHUNK):
        numbers = range(offset + 1, min(offset + 1 + CHUNK, count))
        now = utcnow()
        users = [
            {
                **user_template,
                "email": f"attendee{n}{tag}@example.org",
                "name": f"Attendee {n}",
                "created_at": now,
                "updated_at": now,
            }
            for n in numbers
        ]
        user_ids = db.session.scalars(insert(User).returning(User.id, sort_by_parameter_order=True), users).all()
        chunk_secrets = [new_secret() for _ in numbers]
        db.session.execute(
            insert(Registration),
            [
                {
                    **registration_template,
                    "user_id": user_id,
                    "name": user["name"],
                    "email": user["email"],
                    "badge_secret": secret,
                    "badge_code": new_badge_code(),
                    "created_at": now,
                    "updated_at": now,
                }
                for user_id, user, secret in zip(user_ids, users, chunk_secrets, strict=True)
            ],
        )
        secrets.extend(chunk_secrets)
    db.session.execute(
        update(Event).where(Event.id == event.id).values(confirmed_count=Event.confirmed_count + count - 1)
    )
    db.session.commit()

    station_tokens = []
    for number in range(stations):
        station = create_station(event.id, organizer, f"Door {number + 1}")
        db.session.commit()
        station_tokens.append(pair_station(station.pairing_code)[1])
    token = station_tokens[0]
    organizer_token = issue_access_token(organizer)  # the drills send the follow-ups as the organizer
    # Attendees who meet the people whose badges the door scanned: exchanges, one per load connection.
    scanner_tokens = scanners(event, SCANNERS, tag)

    secrets_file = out_dir / "secrets.txt"
    secrets_file.write_text("\n".join(secrets) + "\n")
    confirmed = db.session.scalar(select(Event.confirmed_count).where(Event.id == event.id))
    return {
        "event_id": event.id,
        "token": token,
        "station_tokens": station_tokens,
        "organizer_token": organizer_token,
        "scanner_tokens": scanner_tokens,
        "secrets_file": str(secrets_file),
        "registrations": len(secrets),
        "confirmed_count": confirmed,
        "seconds": time.perf_counter() - started,
    }


def count_sql(secrets_file: Path, token: str) -> dict:
    """Statements the database sees per scan (single scans and one batch), via a cursor-execute hook."""
    from flask import current_app

    secrets = secrets_file.read_text().split()
    statements: list[str] = []
    sa_event.listen(
        db.engine,
        "before_cursor_execute",
        lambda _c, _cur, statement, *_a: statements.append(statement.split()[0].upper()),
    )
    client = current_app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    base_url = current_app.config["BASE_URL"]
    singles = []
    for i, secret in enumerate(secrets[:5]):
        statements.clear()
        answer = client.post(
            "/api/v1/checkins", headers=headers, json={"qr": f"{base_url}/b/{secret}", "nonce": f"count-sql-{i}"}
        ).json
        assert answer["result"] == "accepted", answer
        singles.append(list(statements))
    statements.clear()
    batch = [
        {
            "qr": f"{base_url}/b/{secret}",
            "nonce": f"count-sql-batch-{i}",
            "scanned_at": (utcnow() - timedelta(minutes=5)).isoformat(),
        }
        for i, secret in enumerate(secrets[5:105])
    ]
    answers = client.post("/api/v1/checkins/batch", headers=headers, json={"scans": batch}).json["results"]
    assert all(answer["result"] == "accepted" for answer in answers), answers[:3]
    return {
        "single": len(singles[-1]),
        "single_kinds": singles[-1],
        "batch_of": len(batch),
        "batch_total": len(statements),
    }


if __name__ == "__main__":
    app = create_app()
    with app.app_context():
        if sys.argv[1] == "seed":
            stations, tag = (int(sys.argv[4]) if len(sys.argv) > 4 else 1), (sys.argv[5] if len(sys.argv) > 5 else "")
            result = seed(int(sys.argv[2]), Path(sys.argv[3]), stations, tag)
        else:
            result = count_sql(Path(sys.argv[2]), sys.argv[3])
        db.session.remove()
        db.engine.dispose()
    print(json.dumps(result))
