"""`make bench`: rendering and queuing the "people you met" emails of a 5,000-person event, SQLite and PostgreSQL.

For each database: migrate; seed one event with BENCH_FOLLOW_UP_ATTENDEES confirmed attendees and connections
between them averaging BENCH_FOLLOW_UP_CONNECTIONS each (bench/people_dataset.py, the directory bench's data:
realistic profiles, mixed sharing choices, a few removed sides and a few hundred blocks); then, in a process of
its own, add one exchange at the event per connection (so each is "met there"), tags and notes on a third of the
sides, and check everyone in. Then time, in that process:

- render: composing the emails of the first BENCH_FOLLOW_UP_RENDER_SAMPLE attendees (their summary through the visibility policy, text, HTML, the vCard
  file of their connections), nothing written;
- queue: `queue_follow_ups` as the job runs it: claim, render, build each MIME message and write it to the outbox,
  a chunk per transaction. Each commit also hands its emails to the in-process delivery of mail/services.py
  (a Maildir in the bench's folder) as the code stands, so this figure is render + queue + deliver.

Target (issue 13): at least 100 messages/s render + deliver; rendering alone must be well above that.

    python bench/follow_up_bench.py                the benchmark (prints a table, exits 1 on a missed target)
    python bench/follow_up_bench.py measure        (internal) the timing, inside the app; prints JSON

Knobs (environment): BENCH_FOLLOW_UP_ATTENDEES (5000), BENCH_FOLLOW_UP_CONNECTIONS (20 per attendee),
BENCH_FOLLOW_UP_RENDER_SAMPLE (500), BENCH_FOLLOW_UP_PROFILE (a file: the render step's cProfile statistics go there;
read them with `python -m pstats FILE`),
BENCH_DATABASES ("sqlite,postgresql"), BENCH_POSTGRES_URL (see bench/checkin_bench.py).
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from harness import DATABASES, PYTHON, log, migrated, postgres_reachable, run_json

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

ATTENDEES = int(os.environ.get("BENCH_FOLLOW_UP_ATTENDEES", "5000"))
PER_ATTENDEE = int(os.environ.get("BENCH_FOLLOW_UP_CONNECTIONS", "20"))
RENDER_SAMPLE = int(os.environ.get("BENCH_FOLLOW_UP_RENDER_SAMPLE", "500"))
PROFILE = os.environ.get("BENCH_FOLLOW_UP_PROFILE")
TARGET_PER_SECOND = 100.0
#: Rendering must leave room for delivery within the target: at least this many times faster.
RENDER_HEADROOM = 3.0
CHUNK = 5000


def prepare(event_id: int) -> dict:
    """One exchange at the event per connection, tags and notes on a third of the sides, everyone checked in."""
    from sqlalchemy import insert, select, update

    from netevents.db import utcnow
    from netevents.extensions import db
    from netevents.ledger.models import LedgerEntry
    from netevents.people.models import Connection, ConnectionSide, Exchange
    from netevents.registrations.models import Registration

    now = utcnow()
    pairs = db.session.execute(
        select(Connection.id, Connection.low_id, Connection.high_id).order_by(Connection.id)
    ).all()
    for offset in range(0, len(pairs), CHUNK):
        chunk = pairs[offset : offset + CHUNK]
        entries = [
            {"actor": f"user:{low}", "nonce": f"bench-{cid}", "answer": {}, "recorded_at": now} for cid, low, _ in chunk
        ]
        entry_ids = db.session.scalars(
            insert(LedgerEntry).returning(LedgerEntry.id, sort_by_parameter_order=True), entries
        ).all()
        db.session.execute(
            insert(Exchange),
            [
                {
                    "connection_id": cid,
                    "event_id": event_id,
                    "scanner_id": low,
                    "scanned_id": high,
                    "ledger_entry_id": entry_id,
                    "actions": ["introduced"],
                    "scanned_at": now,
                    "received_at": now,
                }
                for (cid, low, high), entry_id in zip(chunk, entry_ids, strict=True)
            ],
        )
    db.session.execute(
        update(ConnectionSide)
        .where(ConnectionSide.id % 3 == 0, ConnectionSide.removed_at.is_(None))
        .values(tags=["introduced", "asked_advice"], note="Talked about platform teams; send the RFC template.")
    )
    checked_in = db.session.execute(
        update(Registration).where(Registration.event_id == event_id).values(checked_in_at=now)
    ).rowcount
    db.session.commit()
    return {"exchanges": len(pairs), "checked_in": checked_in}


def measure() -> dict:
    from sqlalchemy import func, select

    from netevents import create_app
    from netevents.accounts.models import User
    from netevents.db import utcnow
    from netevents.events.models import Event
    from netevents.extensions import db
    from netevents.follow_ups import compose
    from netevents.follow_ups.models import FollowUpKind
    from netevents.follow_ups.services import CHUNK as CHUNK_OF_JOB
    from netevents.follow_ups.services import queue_follow_ups
    from netevents.mail.models import OutgoingEmail
    from netevents.people.suggestions import suggestions_for_each
    from netevents.registrations.models import Registration
    from netevents.summary.services import SUGGESTED, summaries_for_each

    app = create_app()
    with app.app_context():
        event = db.session.scalar(select(Event).order_by(Event.id.desc()).limit(1))
        prepared = prepare(event.id)
        users = db.session.scalars(
            select(User)
            .join(Registration, Registration.user_id == User.id)
            .where(Registration.event_id == event.id)
            .order_by(Registration.id)
            .limit(RENDER_SAMPLE)
        ).all()
        profiler = None
        if PROFILE:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started, cpu = time.perf_counter(), time.process_time()
        rendered = sizes = 0
        for offset in range(0, len(users), CHUNK_OF_JOB):
            chunk = users[offset : offset + CHUNK_OF_JOB]
            # As the job does: a chunk's suggestions and summaries at once, then each person's email.
            suggested = suggestions_for_each(chunk, event.id, limit=SUGGESTED)
            summaries = summaries_for_each(event, chunk, suggested)
            for user in chunk:
                email = compose.people_you_met(event, user, summary=summaries[user.id])
                rendered += 1
                sizes += len(email.text) + len(email.html) + sum(len(a.content) for a in email.attachments)
        render_cpu = time.process_time() - cpu
        render_seconds = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(PROFILE)
        db.session.rollback()
        before = db.session.scalar(select(func.count()).select_from(OutgoingEmail))
        started, cpu = time.perf_counter(), time.process_time()
        queued = queue_follow_ups(event.id, FollowUpKind.after_event, utcnow())
        queue_seconds, queue_cpu = time.perf_counter() - started, time.process_time() - cpu
        total = db.session.scalar(select(func.count()).select_from(OutgoingEmail)) - before
        average_bytes = db.session.scalar(select(func.avg(func.length(OutgoingEmail.message))))
        db.session.remove()
        db.engine.dispose()
    return {
        **prepared,
        "rendered": rendered,
        "render_seconds": render_seconds,
        "render_cpu": render_cpu,
        "render_bytes": sizes / max(rendered, 1),
        "queued": queued,
        "outbox_rows": total,
        "queue_seconds": queue_seconds,
        "queue_cpu": queue_cpu,
        "message_bytes": float(average_bytes or 0),
    }


def bench_database(kind: str, workdir: Path) -> dict:
    database = migrated(kind, workdir)
    try:
        connections = ATTENDEES * PER_ATTENDEE // 2
        log(f"{database.label}: seeding {ATTENDEES:,} attendees and {connections:,} connections")
        seeded = run_json(
            [
                PYTHON,
                str(BENCH / "people_dataset.py"),
                "seed",
                str(ATTENDEES),
                str(connections),
                str(database.instance),
            ],
            database.env(),
        )
        log(f"{database.label}: exchanges, check-ins, then rendering and queuing every follow-up")
        figures = run_json(
            [PYTHON, str(BENCH / "follow_up_bench.py"), "measure"], database.env(NETEVENTS_RATELIMIT_ENABLED="false")
        )
        return {"label": database.label, "seed_seconds": seeded["seconds"], "connections": connections, **figures}
    finally:
        database.drop()


def report(runs: list[dict]) -> bool:
    all_ok = True
    line = "-" * 121
    print()
    print(
        f"netevents follow-up benchmark: {os.cpu_count()} CPUs, one event of {ATTENDEES:,} checked-in attendees "
        f"with ~{PER_ATTENDEE} connections each, one process"
    )
    print(line)
    print(
        f"{'database':<11} {'step':<34} {'emails':>7} {'seconds':>8} {'emails/s':>9} {'CPU ms/email':>12} "
        f"{'KB/email':>9} {'target':>10} {'verdict':>7}"
    )
    print(line)
    for run in runs:
        render_rate = run["rendered"] / run["render_seconds"]
        queue_rate = run["queued"] / run["queue_seconds"]
        steps = (
            (
                "render (summary, text, HTML, vCard)",
                run["rendered"],
                run["render_seconds"],
                render_rate,
                1000 * run["render_cpu"] / max(run["rendered"], 1),
                run["render_bytes"],
                TARGET_PER_SECOND * RENDER_HEADROOM,
            ),
            (
                "render + queue + deliver (Maildir)",
                run["queued"],
                run["queue_seconds"],
                queue_rate,
                1000 * run["queue_cpu"] / max(run["queued"], 1),
                run["message_bytes"],
                TARGET_PER_SECOND,
            ),
        )
        for name, count, seconds, rate, cpu_ms, size, target in steps:
            ok = rate >= target and count == (
                run["checked_in"] if name.startswith("render +") else min(RENDER_SAMPLE, run["checked_in"])
            )
            all_ok &= ok
            print(
                f"{run['label']:<11} {name:<34} {count:>7,} {seconds:>8.1f} {rate:>9.0f} {cpu_ms:>12.1f} {size / 1024:>9.1f} "
                f"{'>= ' + format(target, 'g'):>10} {'PASS' if ok else 'FAIL':>7}"
            )
    print(line)
    for run in runs:
        print(
            f"{run['label']}: seeded in {run['seed_seconds']:.1f} s; {run['exchanges']:,} exchanges, "
            f"{run['checked_in']:,} checked in; {run['outbox_rows']:,} outbox rows written"
        )
    print(
        "CPU ms/email: this process's CPU time per email (PostgreSQL's own not included): what the machine's other "
        f"load does not change much. Load average at the end: {os.getloadavg()[0]:.1f}. "
        f"Overall: {'PASS' if all_ok else 'FAIL'}"
    )
    return all_ok


def main() -> int:
    runs = []
    workdir = Path(tempfile.mkdtemp(prefix="netevents-follow-up-bench-"))
    try:
        for kind in DATABASES:
            if kind == "postgresql" and not postgres_reachable():
                continue
            runs.append(bench_database(kind, workdir))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report(runs) else 1


if __name__ == "__main__":
    if sys.argv[1:] == ["measure"]:
        print(json.dumps(measure()))
    else:
        sys.exit(main())
