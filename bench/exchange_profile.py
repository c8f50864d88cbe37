"""CPU of one exchange against one door scan, in-process: an event of 3,000 registrations (bench/dataset.py), the
door scanning badges and attendees meeting the same people, timed through the test client on a fresh database of
each kind, with an optional cProfile of the exchanges and the SQL statements of each.

    python bench/exchange_profile.py [sqlite|postgresql] [--profile]

Prints CPU ms (time.process_time: this process's, the database server's not included) per door scan and per
exchange (the median of alternating rounds of 50), and their ratio: the rate the app's CPU allows exchanges against the door's.
"""

import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from harness import migrated  # also puts the project on the path

SCANS = 600
ROUND = 50


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("-") else "sqlite"
    workdir = Path(tempfile.mkdtemp(prefix="exchange-profile-"))
    database = migrated(kind, workdir)
    try:
        os.environ.update(database.env())
        import dataset
        from sqlalchemy import event as sa_event

        from netevents import create_app
        from netevents.extensions import db

        app = create_app()
        with app.app_context():
            seeded = dataset.seed(3 * SCANS + 100, database.instance)
        secrets = Path(seeded["secrets_file"]).read_text().split()
        client = app.test_client()
        door = {"Authorization": f"Bearer {seeded['token']}"}
        people = [{"Authorization": f"Bearer {token}"} for token in seeded["scanner_tokens"]]
        base = app.config.get("NETEVENTS_BASE_URL", "http://127.0.0.1:8000")

        def scan(path: str, secret: str, headers: dict) -> None:
            body = {"qr": f"{base}/b/{secret}", "nonce": uuid.uuid4().hex}
            response = client.post(path, json=body, headers=headers)
            assert response.status_code == 200, response.json

        statements: list[str] = []
        with app.app_context():
            sa_event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))

        def run(path: str, part: list[str], who) -> float:
            started = time.process_time()
            for number, secret in enumerate(part):
                scan(path, secret, who(number))
            return (time.process_time() - started) * 1000 / len(part)

        doors, exchanges = [], []
        for offset in range(0, SCANS, ROUND):  # alternating rounds: a busy spell of the machine falls on both
            part = secrets[offset : offset + ROUND]
            doors.append(run("/api/v1/checkins", part, lambda n: door))
            exchanges.append(run("/api/v1/exchanges", part, lambda n: people[n % len(people)]))
        statements.clear()
        scan("/api/v1/checkins", secrets[SCANS], door)
        door_sql = list(statements)
        statements.clear()
        scan("/api/v1/exchanges", secrets[SCANS], people[0])
        exchange_sql = list(statements)
        door_ms, exchange_ms = statistics.median(doors[1:]), statistics.median(exchanges[1:])  # the first warms up
        print(
            f"{database.label}: door {door_ms:.2f} ms CPU/scan ({len(door_sql)} statements), exchange "
            f"{exchange_ms:.2f} ms CPU ({len(exchange_sql)} statements); door/exchange {door_ms / exchange_ms:.2f}"
        )
        if "--sql" in sys.argv:
            for statement in exchange_sql:
                print("  ", " ".join(statement.split())[:200])
        if "--statements" in sys.argv:  # CPU from before a statement is sent to after its cursor returns, by kind
            spent: dict[str, list[float]] = {}
            started: list[float] = []
            with app.app_context():
                sa_event.listen(db.engine, "before_cursor_execute", lambda *args: started.append(time.process_time()))
                sa_event.listen(
                    db.engine,
                    "after_cursor_execute",
                    lambda *args: spent.setdefault(" ".join(args[2].split()[:4])[:60], []).append(
                        time.process_time() - started.pop()
                    ),
                )
            part = secrets[SCANS + 1 : SCANS + 201]
            run("/api/v1/exchanges", part, lambda n: people[n % len(people)])
            for kind, times in spent.items():
                print(f"  {sum(times) * 1000 / len(part):6.3f} ms/exchange  {len(times):4}x  {kind}")
        if "--profile" in sys.argv:
            part = secrets[SCANS + 1 : SCANS + 201]
            profile = cProfile.Profile(time.process_time)
            profile.runcall(lambda: run("/api/v1/exchanges", part, lambda n: people[n % len(people)]))
            pstats.Stats(profile).sort_stats("tottime").print_stats(40)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(60)
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    finally:
        database.drop()


if __name__ == "__main__":
    main()
