"""`make bench`: the mail worker delivering 5,000 realistic emails (a few KB, an attachment each) to an SMTP
server on this machine (aiosmtpd, in this process), on SQLite and PostgreSQL; and the door's check-in rate
alone and while a worker sends.

For each database: migrate; seed an event with registrations and a paired station (bench/dataset.py); queue
5,000 emails through send_email() and time `deliver_due()` (the worker's code, in a process of its own, one
SMTP connection per batch) until the sink has them all: messages/s and seconds, target >= 100 messages/s,
every email received exactly once. Then the app under gunicorn as `make run` starts it (deploy/gunicorn.conf.py,
its own mail worker turned off so this script decides when one runs): the door driven alone, then 5,000 more
emails queued and a worker sending them while the door is driven again (bench/checkin_bench.py's functions).
The door's figures are reported, not judged (checkin_bench.py judges the door).

Knobs (environment): BENCH_MAIL_MESSAGES (5000), BENCH_DATABASES ("sqlite,postgresql"), BENCH_POSTGRES_URL,
BENCH_CONNECTIONS, BENCH_WARMUP, BENCH_DURATION (as checkin_bench.py). Exits 1 if a target is missed.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller
from sqlalchemy import func, select

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parent.parent)]
import checkin_bench  # noqa: E402 - the door's benchmark, whose functions this one reuses
import harness  # noqa: E402
from checkin_bench import drive  # noqa: E402
from harness import PYTHON, ROOT, Database, Gunicorn, free_port, log, postgres_reachable  # noqa: E402

from netevents import create_app  # noqa: E402
from netevents.extensions import db  # noqa: E402
from netevents.mail.compose import Attachment  # noqa: E402
from netevents.mail.delivery import deliver_due  # noqa: E402
from netevents.mail.models import OutgoingEmail  # noqa: E402
from netevents.mail.services import send_email  # noqa: E402

MESSAGES = int(os.environ.get("BENCH_MAIL_MESSAGES", "5000"))
DATABASES = harness.DATABASES
TARGET_PER_SECOND = 100.0
#: Badges for two door runs: a scan never repeats a badge.
REGISTRATIONS = 15000


class Sink:
    """An SMTP server that counts what it is handed, by Message-ID."""

    def __init__(self) -> None:
        self.port = free_port()
        self.lock = threading.Lock()
        self.message_ids: Counter = Counter()
        self.bytes = 0
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):
        content = envelope.original_content or envelope.content
        start = content.find(b"Message-ID:")
        message_id = content[start : content.find(b"\n", start)].strip() if start >= 0 else b"?"
        with self.lock:
            self.message_ids[message_id] += 1
            self.bytes += len(content)
        return "250 Message accepted for delivery"

    def received(self) -> int:
        with self.lock:
            return sum(self.message_ids.values())

    def doubles(self) -> int:
        with self.lock:
            return sum(count - 1 for count in self.message_ids.values() if count > 1)


# --- the child processes: queue, deliver -----------------------------------------------------------


def queue(count: int, tag: str) -> dict:
    """Queue `count` emails like a registration's: text and HTML bodies, a calendar file and a badge image."""
    started = time.perf_counter()
    picture = os.urandom(2048)  # stands for a badge's PNG: incompressible, base64 in the message
    with create_app().app_context():
        for number in range(count):
            name = f"Attendee {tag} {number}"
            text = f"Hello {name},\n\n" + "You are in: Platform Engineering Night, Hall A, 18:00.\n" * 12
            html = f"<p>Hello {name},</p>" + "<p>You are in: <b>Platform Engineering Night</b>, Hall A.</p>" * 12
            calendar = (
                "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n"
                f"UID:bench-{tag}-{number}@netevents\r\nSUMMARY:Platform Engineering Night\r\n"
                "DTSTART:20311204T180000Z\r\nDTEND:20311204T210000Z\r\nLOCATION:Hall A\r\nEND:VEVENT\r\n"
                "END:VCALENDAR\r\n"
            ).encode()
            send_email(
                f"attendee-{tag}-{number}@example.org",
                f"You are in: Platform Engineering Night ({number})",
                text,
                html=html,
                attachments=(
                    Attachment("event.ics", calendar, "text/calendar"),
                    Attachment("badge.png", picture, "image/png"),
                ),
                dedupe_key=f"bench:{tag}:{number}",
            )
            if number % 500 == 499:
                db.session.commit()
        db.session.commit()
        average_bytes = db.session.scalar(
            select(func.avg(func.length(OutgoingEmail.message))).where(OutgoingEmail.dedupe_key.like(f"bench:{tag}:%"))
        )
    return {"queued": count, "seconds": time.perf_counter() - started, "average_bytes": float(average_bytes or 0)}


def deliver() -> dict:
    """One worker's pass over everything due (netevents.mail.delivery.deliver_due)."""
    with create_app().app_context():
        started = time.perf_counter()
        report = deliver_due()
        return {
            "sent": report.sent,
            "retrying": report.retrying,
            "failed": report.failed,
            "seconds": time.perf_counter() - started,
        }


# --- one database ----------------------------------------------------------------------------------


def child(database: Database, sink: Sink, *args: str) -> subprocess.Popen:
    env = database.env(
        NETEVENTS_SMTP_HOST="127.0.0.1", NETEVENTS_SMTP_PORT=str(sink.port), NETEVENTS_SMTP_SECURITY="none"
    )
    return subprocess.Popen(
        [PYTHON, __file__, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def answer(process: subprocess.Popen) -> dict:
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"{process.args} failed:\n{err[-3000:]}")
    return json.loads(out.strip().splitlines()[-1])


def bench_database(kind: str, workdir: Path, sink: Sink) -> dict:
    database = Database(kind, workdir)
    try:
        log(f"{database.label}: migrating")
        migrated = subprocess.run(
            [str(Path(PYTHON).parent / "flask"), "db", "upgrade"], cwd=ROOT, env=database.env(), capture_output=True
        )
        if migrated.returncode != 0:
            raise RuntimeError(f"flask db upgrade failed:\n{migrated.stderr.decode()[-3000:]}")
        seeded = harness.run_json(
            [PYTHON, str(ROOT / "bench" / "dataset.py"), "seed", str(REGISTRATIONS), str(database.instance)],
            database.env(),
        )
        secrets = Path(seeded["secrets_file"]).read_text().split()
        half = len(secrets) // 2
        for name, part in (("alone", secrets[:half]), ("with-worker", secrets[half:])):
            (database.instance / f"{name}-secrets.txt").write_text("\n".join(part) + "\n")
        deliver_due_first = answer(child(database, sink, "deliver"))  # the seed's own email, out of the way

        queued = answer(child(database, sink, "queue", str(MESSAGES), "alone"))
        log(f"{database.label}: queued {MESSAGES} emails of {queued['average_bytes'] / 1024:.1f} KB on average")
        before = sink.received()
        alone = answer(child(database, sink, "deliver"))
        alone["received"] = sink.received() - before
        log(
            f"{database.label}: {alone['sent']} sent in {alone['seconds']:.1f} s ({alone['sent'] / alone['seconds']:.0f}/s)"
        )

        server = Gunicorn(
            "wsgi:app", database.env(NETEVENTS_MAIL_WORKER="0"), database.instance / "gunicorn.log", "/api/v1/events"
        )
        headers = {"Authorization": f"Bearer {seeded['token']}"}
        try:
            server.wait_ready()
            log(f"{database.label}: the door alone")
            door_alone = drive(
                server, "/api/v1/checkins", headers, database.instance / "alone-secrets.txt", f"{server.base_url}/b/"
            )
            answer(child(database, sink, "queue", str(MESSAGES), "during"))
            log(f"{database.label}: the door while a worker sends {MESSAGES} emails")
            before = sink.received()
            worker = child(database, sink, "deliver")
            door_busy = drive(
                server,
                "/api/v1/checkins",
                headers,
                database.instance / "with-worker-secrets.txt",
                f"{server.base_url}/b/",
            )
            during = answer(worker)
            during["received"] = sink.received() - before
        finally:
            server.stop()
        return {
            "label": database.label,
            "seed_mail": deliver_due_first,
            "alone": alone,
            "during": during,
            "door_alone": door_alone,
            "door_busy": door_busy,
            "average_kb": queued["average_bytes"] / 1024,
        }
    finally:
        database.drop()


def report(runs: list[dict], sink: Sink) -> bool:
    ok = True
    line = "-" * 100
    print()
    print(f"Mail delivery: {MESSAGES} emails to a local SMTP server (aiosmtpd), one worker process")
    print(line)
    print(f"{'database':<12}{'phase':<28}{'sent':>7}{'received':>10}{'seconds':>9}{'msg/s':>9}{'target':>10}  result")
    print(line)
    for run in runs:
        for phase, figures in (("worker alone", run["alone"]), ("while the door is driven", run["during"])):
            rate = figures["sent"] / figures["seconds"]
            passed = figures["sent"] == MESSAGES == figures["received"] and not figures["failed"]
            if phase == "worker alone":
                passed = passed and rate >= TARGET_PER_SECOND
                target = f">= {TARGET_PER_SECOND:.0f}/s"
            else:
                target = "(info)"
            ok = ok and passed
            print(
                f"{run['label']:<12}{phase:<28}{figures['sent']:>7}{figures['received']:>10}"
                f"{figures['seconds']:>9.1f}{rate:>9.0f}{target:>10}  {checkin_bench.verdict(passed)}"
            )
    print(line)
    doubles = sink.doubles()
    ok = ok and doubles == 0
    print(f"Emails received more than once: {doubles} ({checkin_bench.verdict(doubles == 0)})")
    print()
    print("The door (POST /api/v1/checkins, closed loop) alone and while the worker sends")
    print(line)
    print(f"{'database':<12}{'door':<28}{'scans/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'non-2xx':>9}{'change':>9}")
    print(line)
    for run in runs:
        base = run["door_alone"]["rps"]
        for name, figures in (("alone", run["door_alone"]), ("while a worker sends", run["door_busy"])):
            change = f"{100 * (figures['rps'] / base - 1):+.0f}%" if base else "?"
            print(
                f"{run['label']:<12}{name:<28}{figures['rps']:>9.0f}{figures['p50']:>9.1f}{figures['p99']:>9.1f}"
                f"{figures['non_2xx']:>9}{change:>9}"
            )
    print(line)
    print(
        f"Messages average {runs[0]['average_kb']:.1f} KB (text, HTML, a calendar file, a 2 KB image)." if runs else ""
    )
    print("RESULT:", checkin_bench.verdict(ok))
    return ok


def main() -> int:
    if len(sys.argv) > 1:  # a child process
        result = queue(int(sys.argv[2]), sys.argv[3]) if sys.argv[1] == "queue" else deliver()
        print(json.dumps(result))
        return 0
    sink = Sink()
    sink.controller.start()
    runs = []
    workdir = Path(tempfile.mkdtemp(prefix="netevents-mail-bench-"))
    try:
        for kind in DATABASES:
            if kind == "postgresql" and not postgres_reachable():
                continue
            runs.append(bench_database(kind, workdir, sink))
    finally:
        sink.controller.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0 if report(runs, sink) else 1


if __name__ == "__main__":
    sys.exit(main())
