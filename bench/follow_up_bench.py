"""`make bench`: the "people you met" emails of a 5,000-person event rendered, queued and delivered to a local SMTP
sink by one and by two mail workers, and the door's check-in rate alone and while the workers send (issue 13),
on SQLite and PostgreSQL.

For each database: migrate; seed one event with BENCH_FOLLOW_UP_ATTENDEES confirmed attendees and connections
between them averaging BENCH_FOLLOW_UP_CONNECTIONS each (bench/people_dataset.py, the directory bench's data:
realistic profiles, mixed sharing choices, a few removed sides and a few hundred blocks), and a second event happening
now with a paired door station (bench/dataset.py). Then, in a process of its own, add one exchange at the event per
connection (so each is "met there"), tags and notes on a third of the sides, and check everyone in. Then:

- render: composing the emails of the first BENCH_FOLLOW_UP_RENDER_SAMPLE attendees (their summary through the
  visibility policy, text, HTML, the vCard file of their connections), nothing written;
- 1 worker, then 2 workers (the outbox and the follow-up run emptied in between): worker processes doing what
  `flask mail work` does, the follow-up job (claim a chunk, render, build each MIME message, write it to the outbox,
  a chunk per transaction) and then delivery (one SMTP connection a batch) to an aiosmtpd server in this process,
  until every email has arrived; each arrives exactly once;
- the door: the app under gunicorn as `make run` starts it (its own mail worker off), POST /api/v1/checkins at
  BENCH_DOOR_RATE scans/s (open loop: the conference's peak, docs/scale.md), alone and then while two workers send
  the whole event's follow-ups again.

Target (issue 13): every follow-up rendered and delivered in under 50 s for 5,000 (at least 100 messages/s), and the
door's rate unchanged while the workers send. The main figure is CPU ms per email (time.process_time of the
workers): the machine's other load changes it less than the wall time.

    python bench/follow_up_bench.py                the benchmark (prints a table, exits 1 on a missed target)
    python bench/follow_up_bench.py measure ID     (internal) render timing inside the app; prints JSON
    python bench/follow_up_bench.py work ID        (internal) one mail worker: the follow-up job, then delivery
    python bench/follow_up_bench.py reset          (internal) empty the outbox and the follow-up runs

Knobs (environment): BENCH_FOLLOW_UP_ATTENDEES (5000), BENCH_FOLLOW_UP_CONNECTIONS (20 per attendee),
BENCH_FOLLOW_UP_RENDER_SAMPLE (500), BENCH_FOLLOW_UP_WORKERS ("1,2": the worker counts timed),
BENCH_FOLLOW_UP_PROFILE (a file: the render step's cProfile statistics go there, and the job's of one worker to
FILE.work; read them with `python -m pstats FILE`), BENCH_DOOR_RATE (50; 0 leaves the door out), BENCH_DOOR_BADGES (6000),
BENCH_DATABASES ("sqlite,postgresql"), BENCH_POSTGRES_URL, BENCH_CONNECTIONS, BENCH_WARMUP, BENCH_DURATION (see
bench/checkin_bench.py).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import checkin_bench
from harness import DATABASES, PYTHON, Gunicorn, log, migrated, postgres_reachable, run_json
from mail_bench import Sink

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

ATTENDEES = int(os.environ.get("BENCH_FOLLOW_UP_ATTENDEES", "5000"))
PER_ATTENDEE = int(os.environ.get("BENCH_FOLLOW_UP_CONNECTIONS", "20"))
RENDER_SAMPLE = int(os.environ.get("BENCH_FOLLOW_UP_RENDER_SAMPLE", "500"))
PROFILE = os.environ.get("BENCH_FOLLOW_UP_PROFILE")
WORKERS = [int(n) for n in os.environ.get("BENCH_FOLLOW_UP_WORKERS", "1,2").split(",") if n.strip()]
DOOR_RATE = float(os.environ.get("BENCH_DOOR_RATE", "50"))
DOOR_BADGES = int(os.environ.get("BENCH_DOOR_BADGES", "6000"))
TARGET_PER_SECOND = 100.0
#: Rendering must leave room for delivery within the target: at least this many times faster.
RENDER_HEADROOM = 3.0
#: The door "unchanged": its rate within this fraction of the rate alone.
DOOR_TOLERANCE = 0.05
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


def measure(event_id: int) -> dict:
    """Prepare the event's exchanges and check-ins, then time rendering the first RENDER_SAMPLE emails."""
    from sqlalchemy import select

    from netevents import create_app
    from netevents.accounts.models import User
    from netevents.events.models import Event
    from netevents.extensions import db
    from netevents.follow_ups import compose
    from netevents.follow_ups.services import CHUNK as CHUNK_OF_JOB
    from netevents.people.actions import actions_of, events_met_at
    from netevents.people.suggestions import ListedInterests, suggestions_for_each
    from netevents.registrations.models import Registration
    from netevents.summary.services import SUGGESTED, summaries_for_each

    app = create_app()
    with app.app_context():
        event = db.session.get(Event, event_id)
        prepared = prepare(event.id)
        users = db.session.scalars(
            select(User)
            .join(Registration, Registration.user_id == User.id)
            .where(Registration.event_id == event.id)
            .order_by(Registration.id)
            .limit(RENDER_SAMPLE)
        ).all()
        profiler = _profiler()
        statements = _statement_clock(db.engine)
        started, cpu = time.perf_counter(), time.process_time()
        rendered = sizes = 0
        listed = ListedInterests.of_event(event.id)
        for offset in range(0, len(users), CHUNK_OF_JOB):
            chunk = users[offset : offset + CHUNK_OF_JOB]
            # As the job does: a chunk's suggestions and summaries at once, then each person's email.
            suggested = suggestions_for_each(chunk, event.id, limit=SUGGESTED, listed=listed)
            summaries = summaries_for_each(event, chunk, suggested)
            actions = actions_of({event.id} | {i for summary in summaries.values() for i in events_met_at(summary.met)})
            for user in chunk:
                email = compose.people_you_met(event, user, summary=summaries[user.id], actions=actions)
                rendered += 1
                sizes += len(email.text) + len(email.html) + sum(len(a.content) for a in email.attachments)
        render_cpu = time.process_time() - cpu
        render_seconds = time.perf_counter() - started
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(PROFILE)
        db.session.rollback()
        db.session.remove()
        db.engine.dispose()
    return {
        **prepared,
        "rendered": rendered,
        "render_seconds": render_seconds,
        "render_cpu": render_cpu,
        "render_bytes": sizes / max(rendered, 1),
        "render_statements": sorted(statements.items(), key=lambda item: -item[1][1])[:6],
    }


def _statement_clock(engine) -> dict[str, list]:
    """Per kind of SQL statement (its first words), how many ran and the wall seconds from sending each to its
    cursor returning: where rendering waits on the database."""
    from sqlalchemy import event as sa_event

    spent: dict[str, list] = {}
    started: list[float] = []
    sa_event.listen(engine, "before_cursor_execute", lambda *args: started.append(time.perf_counter()))

    def after(_connection, _cursor, statement, *args) -> None:
        kind = spent.setdefault(" ".join(statement.split()[:6])[:70], [0, 0.0])
        kind[0] += 1
        kind[1] += time.perf_counter() - started.pop()

    sa_event.listen(engine, "after_cursor_execute", after)
    return spent


def _profiler():
    if not PROFILE:
        return None
    import cProfile

    profiler = cProfile.Profile()
    profiler.enable()
    return profiler


def work(event_id: int, profile: bool) -> dict:
    """One mail worker as `flask mail work` runs: the follow-up job (sharing the event's run with any other worker),
    then delivery of what is due, again until the run is finished and nothing is left to send."""
    from sqlalchemy import select

    from netevents import create_app
    from netevents.db import utcnow
    from netevents.extensions import db
    from netevents.follow_ups.models import FollowUpKind, FollowUpRun
    from netevents.follow_ups.services import queue_follow_ups
    from netevents.mail.delivery import deliver_due

    app = create_app()
    figures = {"queued": 0, "sent": 0, "failed": 0, "queue_cpu": 0.0, "queue_seconds": 0.0}
    figures |= {"deliver_cpu": 0.0, "deliver_seconds": 0.0}
    profiler = _profiler() if profile else None
    with app.app_context():
        while True:
            started, cpu = time.perf_counter(), time.process_time()
            figures["queued"] += queue_follow_ups(event_id, FollowUpKind.after_event, utcnow())
            figures["queue_seconds"] += time.perf_counter() - started
            figures["queue_cpu"] += time.process_time() - cpu
            db.session.remove()
            started, cpu = time.perf_counter(), time.process_time()
            report = deliver_due()
            figures["deliver_seconds"] += time.perf_counter() - started
            figures["deliver_cpu"] += time.process_time() - cpu
            figures["sent"] += report.sent
            figures["failed"] += report.failed + report.retrying
            finished = db.session.scalar(
                select(FollowUpRun.finished_at).where(
                    FollowUpRun.event_id == event_id, FollowUpRun.kind == FollowUpKind.after_event
                )
            )
            db.session.remove()
            if finished is not None and not report.done:
                break
            if not report.done:
                time.sleep(0.2)  # another worker still holds the run's last chunks
        db.engine.dispose()
    if profiler is not None:
        profiler.disable()
        profiler.dump_stats(f"{PROFILE}.work")
    return figures


def reset() -> dict:
    """Empty the outbox and the follow-up runs: the next workers render and send the whole event again."""
    from sqlalchemy import delete

    from netevents import create_app
    from netevents.extensions import db
    from netevents.follow_ups.models import FollowUpChunk, FollowUpFailure, FollowUpRun
    from netevents.mail.models import OutgoingEmail

    with create_app().app_context():
        for model in (OutgoingEmail, FollowUpFailure, FollowUpChunk, FollowUpRun):
            db.session.execute(delete(model))
        db.session.commit()
        db.engine.dispose()
    return {}


# --- the parent: databases, workers, the door ------------------------------------------------------


def _workers(database, sink: Sink, event_id: int, count: int) -> list[subprocess.Popen]:
    env = database.env(
        NETEVENTS_SMTP_HOST="127.0.0.1",
        NETEVENTS_SMTP_PORT=str(sink.port),
        NETEVENTS_SMTP_SECURITY="none",
        NETEVENTS_RATELIMIT_ENABLED="false",
    )
    return [
        subprocess.Popen(
            [PYTHON, __file__, "work", str(event_id), "profile" if number == 0 else "-"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for number in range(count)
    ]


def _answers(processes: list[subprocess.Popen]) -> list[dict]:
    answers = []
    for process in processes:
        out, err = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"{process.args} failed:\n{err[-3000:]}")
        answers.append(json.loads(out.strip().splitlines()[-1]))
    return answers


def send_all(database, sink: Sink, event_id: int, count: int, expected: int) -> dict:
    """`count` workers render, queue and deliver every follow-up of the event (after emptying the outbox)."""
    run_json([PYTHON, __file__, "reset"], database.env())
    before, doubles_before = sink.received(), sink.doubles()
    started = time.perf_counter()
    answers = _answers(_workers(database, sink, event_id, count))
    seconds = time.perf_counter() - started
    return {
        "workers": count,
        "seconds": seconds,
        "received": sink.received() - before,
        "doubles": sink.doubles() - doubles_before,
        "expected": expected,
        **{key: sum(answer[key] for answer in answers) for key in answers[0]},
    }


def door(database, sink: Sink, event_id: int, expected: int, secrets: list[str], token: str) -> dict:
    """POST /api/v1/checkins at DOOR_RATE, alone and while two workers send the event's follow-ups."""
    half = len(secrets) // 2
    files = {}
    for name, part in (("alone", secrets[:half]), ("busy", secrets[half:])):
        files[name] = database.instance / f"door-{name}.txt"
        files[name].write_text("\n".join(part) + "\n")
    server = Gunicorn(
        "wsgi:app", database.env(NETEVENTS_MAIL_WORKER="0"), database.instance / "gunicorn.log", "/api/v1/events"
    )
    headers = {"Authorization": f"Bearer {token}"}
    try:
        server.wait_ready()
        alone = checkin_bench.drive(
            server, "/api/v1/checkins", headers, files["alone"], f"{server.base_url}/b/", rate=DOOR_RATE
        )
        log(f"{database.label}: door alone {alone['rps']:.1f} scans/s, p99 {alone['p99']:.1f} ms")
        run_json([PYTHON, __file__, "reset"], database.env())
        before = sink.received()
        started = time.perf_counter()
        workers = _workers(database, sink, event_id, 2)
        busy = checkin_bench.drive(
            server, "/api/v1/checkins", headers, files["busy"], f"{server.base_url}/b/", rate=DOOR_RATE
        )
        sending_at_end = sink.received() - before < expected
        answers = _answers(workers)
        sent_seconds = time.perf_counter() - started
        log(
            f"{database.label}: door while 2 workers send {busy['rps']:.1f} scans/s, p99 {busy['p99']:.1f} ms "
            f"({sink.received() - before:,} emails in {sent_seconds:.1f} s)"
        )
    finally:
        server.stop()
    return {
        "alone": alone,
        "busy": busy,
        "sending_throughout": sending_at_end,
        "sent": sum(answer["sent"] for answer in answers),
    }


def bench_database(kind: str, workdir: Path, sink: Sink) -> dict:
    database = migrated(kind, workdir)
    try:
        connections = ATTENDEES * PER_ATTENDEE // 2
        log(f"{database.label}: seeding {ATTENDEES:,} attendees and {connections:,} connections, and a door")
        seeded = run_json(
            [
                PYTHON,
                str(BENCH / "people_dataset.py"),
                "seed",
                str(ATTENDEES),
                str(connections),
                str(database.instance),
            ],
            database.env(BENCH_SCAN_CONNECTIONS="0"),  # exactly ATTENDEES people: none added to meet others
        )
        door_data = run_json(
            [PYTHON, str(BENCH / "dataset.py"), "seed", str(DOOR_BADGES), str(database.instance), "1", "-door"],
            database.env(),
        )
        event_id = seeded["event_id"]
        log(f"{database.label}: exchanges, check-ins, then rendering a sample")
        figures = run_json(
            [PYTHON, str(BENCH / "follow_up_bench.py"), "measure", str(event_id)],
            database.env(NETEVENTS_RATELIMIT_ENABLED="false"),
        )
        run = {"label": database.label, "seed_seconds": seeded["seconds"], "connections": connections, **figures}
        print_row(render_row(run))
        waits = ", ".join(
            f"{kind}… {count}x {seconds * 1000 / max(run['rendered'], 1):.2f} ms/email"
            for kind, (count, seconds) in run["render_statements"]
        )
        log(f"{database.label}: the render's slowest statements (wall): {waits}")
        run["sends"] = []
        for count in WORKERS:
            log(f"{database.label}: {count} worker(s) render, queue and deliver all {figures['checked_in']:,}")
            sent = send_all(database, sink, event_id, count, figures["checked_in"])
            run["sends"].append(sent)
            print_row(send_row(run, sent))
        if DOOR_RATE:
            secrets = Path(door_data["secrets_file"]).read_text().split()
            run["door"] = door(database, sink, event_id, figures["checked_in"], secrets, door_data["token"])
            for row in door_rows(run):
                print(row, flush=True)
        return run
    finally:
        database.drop()


LINE = "-" * 132
HEADER = (
    f"{'database':<11} {'step':<38} {'emails':>7} {'wall s':>7} {'emails/s':>9} {'CPU ms/email':>12} "
    f"{'CPU-bound/s':>11} {'target':>9} {'ratio':>6} {'verdict':>7}"
)


def _row(label: str, step: str, count: int, seconds: float, cpu_ms: float, target: float, ok: bool) -> tuple:
    rate = count / seconds if seconds else 0.0
    ok = ok and rate >= target
    text = (
        f"{label:<11} {step:<38} {count:>7,} {seconds:>7.1f} {rate:>9.0f} {cpu_ms:>12.2f} "
        f"{1000 / cpu_ms if cpu_ms else 0:>11.0f} {'>= ' + format(target, 'g'):>9} {rate / target:>6.2f} "
        f"{'PASS' if ok else 'FAIL':>7}"
    )
    return text, ok


def render_row(run: dict) -> tuple:
    count = run["rendered"]
    return _row(
        run["label"],
        "render (summary, text, HTML, vCard)",
        count,
        run["render_seconds"],
        1000 * run["render_cpu"] / max(count, 1),
        TARGET_PER_SECOND * RENDER_HEADROOM,
        count == min(RENDER_SAMPLE, run["checked_in"]),
    )


def send_row(run: dict, sent: dict) -> tuple:
    count = sent["received"]
    ok = sent["expected"] == sent["queued"] == sent["sent"] == count and not sent["doubles"] and not sent["failed"]
    cpu = sent["queue_cpu"] + sent["deliver_cpu"]
    workers = sent["workers"]
    step = f"render+queue+deliver, {workers} worker{'s' if workers > 1 else ''}"
    return _row(run["label"], step, count, sent["seconds"], 1000 * cpu / max(count, 1), TARGET_PER_SECOND, ok)


def door_rows(run: dict) -> list[str]:
    alone, busy = run["door"]["alone"], run["door"]["busy"]
    change = busy["rps"] / alone["rps"] - 1 if alone["rps"] else float("nan")
    ok = abs(change) <= DOOR_TOLERANCE and not busy["non_2xx"] and run["door"]["sending_throughout"]
    run["door_ok"] = ok
    rows = []
    for name, figures in (("door alone", alone), ("door while 2 workers send", busy)):
        rows.append(
            f"{run['label']:<11} {name:<38} {figures['rps']:>9.1f} scans/s  p50 {figures['p50']:>6.1f} ms  "
            f"p99 {figures['p99']:>7.1f} ms  non-2xx {figures['non_2xx']}"
        )
    rows.append(
        f"{run['label']:<11} {'door change while sending':<38} {100 * change:>+8.1f}%  (target: within "
        f"{100 * DOOR_TOLERANCE:.0f}% at {DOOR_RATE:g} scans/s{'' if run['door']['sending_throughout'] else '; the workers finished before the door did'}) "
        f"{'PASS' if ok else 'FAIL'}"
    )
    return rows


def print_row(row: tuple) -> None:
    print(row[0], flush=True)


def report(runs: list[dict], started_load: str) -> bool:
    all_ok = True
    print()
    print(
        f"netevents follow-up benchmark: {os.cpu_count()} CPUs, one event of {ATTENDEES:,} checked-in attendees "
        f"with ~{PER_ATTENDEE} connections each, delivered to a local SMTP server (aiosmtpd)"
    )
    print(LINE)
    print(HEADER)
    print(LINE)
    for run in runs:
        for text, ok in [render_row(run), *(send_row(run, sent) for sent in run["sends"])]:
            print(text)
            all_ok &= ok
    print(LINE)
    for run in runs:
        if "door" in run:
            for row in door_rows(run):
                print(row)
            all_ok &= run["door_ok"]
    print(LINE)
    for run in runs:
        print(
            f"{run['label']}: seeded in {run['seed_seconds']:.1f} s; {run['exchanges']:,} exchanges, "
            f"{run['checked_in']:,} checked in; render sample {run['render_bytes'] / 1024:.1f} KB of text, HTML and "
            "vCard an email"
        )
        for sent in run["sends"]:
            print(
                f"  {sent['workers']} worker(s): job {sent['queue_cpu']:.1f} s CPU ({1000 * sent['queue_cpu'] / max(sent['queued'], 1):.2f} ms/email), "
                f"in {sent['queue_seconds']:.1f} s; delivery {sent['deliver_cpu']:.1f} s CPU ({1000 * sent['deliver_cpu'] / max(sent['sent'], 1):.2f} ms/email) in {sent['deliver_seconds']:.1f} s; "
                f"received {sent['received']:,}, twice {sent['doubles']}, failed {sent['failed']}"
            )
    print(
        "CPU ms/email: the workers' own CPU time (time.process_time) per email, PostgreSQL's and the SMTP sink's not "
        "included; CPU-bound/s = 1000 / that, what one process could do on a core of its own. "
        f"Load average at the start: {started_load}; at the end: {_loadavg()}. Overall: {'PASS' if all_ok else 'FAIL'}"
    )
    return all_ok


def _loadavg() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    runs = []
    started_load = _loadavg()
    sink = Sink()
    sink.controller.start()
    print(HEADER, flush=True)
    workdir = Path(tempfile.mkdtemp(prefix="netevents-follow-up-bench-"))
    try:
        for kind in DATABASES:
            if kind == "postgresql" and not postgres_reachable():
                continue
            runs.append(bench_database(kind, workdir, sink))
    finally:
        sink.controller.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report(runs, started_load) else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["measure"]:
        print(json.dumps(measure(int(sys.argv[2]))))
    elif sys.argv[1:2] == ["work"]:
        print(json.dumps(work(int(sys.argv[2]), sys.argv[3:4] == ["profile"])))
    elif sys.argv[1:2] == ["reset"]:
        print(json.dumps(reset()))
    else:
        sys.exit(main())
