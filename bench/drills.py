"""`make drills`: the cluster (scripts/cluster.py: nginx, two app instances, two mail workers, one PostgreSQL and
Redis) at the doors of a 2,000-person event, and while things break. Each drill prints a table and its verdicts;
the script exits 1 if a target is missed. docs/drills.md says what each proves and gives the measured figures.

    .venv/bin/python bench/drills.py                    all four, each on a cluster of its own
    .venv/bin/python bench/drills.py doors kill         some of them (doors, kill, postgres, smtp)
    .venv/bin/python bench/drills.py doors --running    doors and kill against a running `make cluster`

1. doors: 20 stations and 2,000 badges through nginx. 15 stations scan online (one keep-alive connection each,
   bench/loadgen.py, a door retrying on a connection error, 502, 503 or 504 with the same nonce), 10% of their
   scans repeated badges; 5 stations come back from offline with 100 queued scans each (POST /checkins/batch)
   during the burst. Targets: exactly 2,000 check-ins stored and 2,000 "accepted" answers, no 5xx; p50/p99 shown.
2. kill: the same burst, and `kill -9` of one app instance (its gunicorn master and workers) when a quarter of it
   is through. Targets: exactly 2,000 check-ins; every scan a door saw acknowledged is stored; each of them sent
   again with its nonce gets the same answer.
3. postgres: the same burst on a PostgreSQL server of the drill's own (bench/postgres_server.py: initdb in a
   temporary folder, a free port), really stopped (`pg_ctl stop --mode fast`) in the middle for POSTGRES_OUTAGE
   seconds and started again; the machine's shared server is not touched. Reported:
   failed requests (503s) and the time to recover. Targets: exactly 2,000 check-ins, acknowledged scans stored,
   service back within 10 s of the database, the same app processes before and after (no restart).
4. smtp: the workers send an event's follow-up emails to an SMTP server (aiosmtpd, in this process) that goes
   down after the first 50 and comes back 5 s later. Target: every email delivered exactly once.

Knobs (environment): DRILL_BADGES (2000), DRILL_STATIONS (20), DRILL_OFFLINE_STATIONS (5),
DRILL_OFFLINE_SCANS (100 each), DRILL_REPEATS (0.10), DRILL_MAIL_BADGES (300), POSTGRES_OUTAGE (5 s),
CLUSTER_POSTGRES_URL (the server), DRILL_REDIS_URL (redis://127.0.0.1:6379/4), DRILL_DATABASE_PREFIX
(netevents_drill: the databases are <prefix>_<drill>).
"""

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psycopg
import requests

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path[:0] = [str(BENCH), str(ROOT / "scripts"), str(ROOT)]
import cluster as cluster_script  # noqa: E402 - scripts/cluster.py, `make cluster`
from harness import PYTHON, free_port, log, run_json  # noqa: E402
from postgres_server import PostgresServer  # noqa: E402

BADGES = int(os.environ.get("DRILL_BADGES", "2000"))
STATIONS = int(os.environ.get("DRILL_STATIONS", "20"))
OFFLINE_STATIONS = int(os.environ.get("DRILL_OFFLINE_STATIONS", "5"))
OFFLINE_SCANS = int(os.environ.get("DRILL_OFFLINE_SCANS", "100"))
REPEATS = float(os.environ.get("DRILL_REPEATS", "0.10"))
MAIL_BADGES = int(os.environ.get("DRILL_MAIL_BADGES", "300"))
OUTAGE = float(os.environ.get("POSTGRES_OUTAGE", "5"))
REDIS_URL = os.environ.get("DRILL_REDIS_URL", "redis://127.0.0.1:6379/4")
DATABASE_PREFIX = os.environ.get("DRILL_DATABASE_PREFIX", "netevents_drill")
RECOVERY_TARGET_S = 10.0
DRILLS = ("doors", "kill", "postgres", "smtp")


# --- the cluster --------------------------------------------------------------------------------------------


class Stage:
    """A cluster to drill on: one this script starts (and stops, dropping its database), or a running one."""

    def __init__(self, name: str, running: bool, postgres: str | None = None, extra_env: dict | None = None):
        self.name = name
        self.running = running
        self.folder = Path(tempfile.mkdtemp(prefix=f"netevents-drill-{name}-"))
        if running:
            args = argparse.Namespace(
                port=8080,
                app_ports=[8001, 8002],
                postgres=cluster_script.DEFAULT_POSTGRES,
                database="netevents_cluster",
                redis=cluster_script.DEFAULT_REDIS,
                folder=cluster_script.ROOT / "instance" / "cluster",
                workers=2,
                drop=False,
            )
        else:
            args = argparse.Namespace(
                port=free_port(),
                app_ports=[free_port(), free_port()],
                postgres=postgres or cluster_script.DEFAULT_POSTGRES,
                database=f"{DATABASE_PREFIX}_{name}",
                redis=REDIS_URL,
                folder=self.folder / "cluster",
                workers=2,
                drop=True,
            )
        os.environ.update(extra_env or {})  # the cluster's environment() starts from this process's
        self.cluster = cluster_script.Cluster(args)
        self.base_url = self.cluster.base_url

    def __enter__(self) -> "Stage":
        if not self.running:
            log(f"{self.name}: starting a cluster on {self.base_url} ({self.cluster.folder})")
            # A database left by an interrupted drill would hold its check-ins: start from nothing.
            self.cluster.drop_database()
            try:
                self.cluster.up()
            except BaseException:
                self.cluster.stop()
                raise
        elif not cluster_script.ready(self.base_url):
            raise SystemExit(f"No cluster answers at {self.base_url}: start one with `make cluster`.")
        return self

    def __exit__(self, *_exc) -> None:
        if not self.running:
            self.cluster.stop()
            self.cluster.drop_database()
        # Its seeded badge secrets, the cluster's key and logs: nothing to keep once the figures are printed.
        shutil.rmtree(self.folder, ignore_errors=True)

    def seed(self, badges: int, stations: int) -> dict:
        """An event happening now with `badges` confirmed registrations and `stations` paired stations."""
        env = {**self.cluster.environment(), "NETEVENTS_INSTANCE_PATH": str(self.folder)}
        tag = f"-{self.name}-{int(time.time())}"
        seeded = run_json(
            [PYTHON, str(BENCH / "dataset.py"), "seed", str(badges), str(self.folder), str(stations), tag], env
        )
        seeded["secrets"] = Path(seeded["secrets_file"]).read_text().split()
        return seeded

    def sql(self, statement: str, *params) -> list[tuple]:
        url = self.cluster.server_url().rsplit("/", 1)[0] + f"/{self.cluster.args.database}"
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as connection:
            cursor = connection.execute(statement, params)
            return cursor.fetchall() if cursor.description else []

    def app_pid(self, number: int) -> int:
        if not self.running:
            return dict(self.cluster.processes)[f"app{number}"].pid
        port = self.cluster.args.app_ports[number - 1]
        listing = subprocess.run(["ss", "-ltnpH", f"sport = :{port}"], capture_output=True, text=True).stdout
        pids = sorted(
            int(part.split("=")[1]) for part in listing.replace(")", ",").split(",") if part.startswith("pid=")
        )
        if not pids:
            raise SystemExit(f"Cannot find the process serving port {port} (ss shows no owner)")
        return os.getpgid(pids[0])

    def app_processes(self) -> set[int]:
        """The app instances' processes (gunicorn masters and workers), to tell a restart."""
        masters = {self.app_pid(number) for number in (1, 2)}
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                except OSError:
                    continue
                if int(entry.name) in masters or parent in masters:
                    found.add(int(entry.name))
        return found

    def access_lines(self) -> int:
        path = self.cluster.folder / "nginx-access.log"
        with open(path, "rb") as handle:
            return sum(1 for _ in handle)


# --- the doors ----------------------------------------------------------------------------------------------


class Doors:
    """The burst at the doors: online stations through bench/loadgen.py, offline stations' batches in threads."""

    def __init__(self, stage: Stage, seeded: dict):
        self.stage = stage
        self.seeded = seeded
        secrets = list(seeded["secrets"])
        random.Random(15).shuffle(secrets)
        offline_count = OFFLINE_STATIONS * OFFLINE_SCANS
        self.offline = [secrets[i * OFFLINE_SCANS : (i + 1) * OFFLINE_SCANS] for i in range(OFFLINE_STATIONS)]
        online = secrets[offline_count:]
        # 10% of all scans are a badge scanned again (a second door, a person unsure it worked), later in the line.
        repeats = random.Random(16).sample(online, round(REPEATS * len(online)))
        self.scans = list(online)
        rng = random.Random(17)
        for secret in repeats:
            first = self.scans.index(secret)
            self.scans.insert(rng.randint(first + 1, len(self.scans)), secret)
        self.repeats = len(repeats)
        tokens = seeded["station_tokens"]
        self.online_tokens = tokens[OFFLINE_STATIONS:]
        self.offline_tokens = tokens[:OFFLINE_STATIONS]
        self.batches: list[dict] = []
        self.answers: list[dict] = []
        self.figures: dict = {}

    def run(self, during=None) -> None:
        """The burst; `during()` is called in a thread of its own while it lasts (a drill's fault)."""
        folder = self.stage.folder
        (folder / "door-secrets.txt").write_text("\n".join(self.scans) + "\n")
        spec = {
            "host": "127.0.0.1",
            "port": self.stage.cluster.args.port,
            "path": "/api/v1/checkins",
            "connection_headers": [{"Authorization": f"Bearer {token}"} for token in self.online_tokens],
            "secrets_file": str(folder / "door-secrets.txt"),
            "qr_prefix": f"{self.stage.base_url}/b/",
            "connections": len(self.online_tokens),
            "warmup": 0,
            "duration": 600,
            "retry": True,
            "answers_file": str(folder / "door-answers.jsonl"),
        }
        threads = [
            threading.Thread(target=self.send_batch, args=(number, token, scans), daemon=True)
            for number, (token, scans) in enumerate(zip(self.offline_tokens, self.offline, strict=True))
        ]
        if during is not None:
            threads.append(threading.Thread(target=during, daemon=True))
        log(
            f"{self.stage.name}: {len(self.online_tokens)} stations scanning {len(self.scans)} times "
            f"({self.repeats} repeats), {len(self.offline_tokens)} coming back with {OFFLINE_SCANS} queued scans each"
        )
        client = subprocess.Popen(
            [PYTHON, str(BENCH / "loadgen.py")], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
        )
        assert client.stdin is not None
        client.stdin.write(json.dumps(spec))
        client.stdin.close()
        for thread in threads:
            thread.start()
        output = client.stdout.read() if client.stdout else ""
        if client.wait() != 0:
            raise SystemExit("the load client failed")
        for thread in threads:
            thread.join(timeout=120)
        self.figures = json.loads(output)
        self.answers = [json.loads(line) for line in (folder / "door-answers.jsonl").read_text().splitlines()]

    def send_batch(self, number: int, token: str, secrets: list[str]) -> None:
        """One station back from offline: its queued scans in one request, sent again (same body) until answered."""
        time.sleep(0.5 + 0.4 * number)  # they come back one by one during the burst
        now = time.time()
        scans = [
            {
                "qr": f"{self.stage.base_url}/b/{secret}",
                "nonce": f"offline-{number}-{i}",
                "scanned_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - 600 + 3 * i)),
            }
            for i, secret in enumerate(secrets)
        ]
        body = {"scans": scans}
        headers = {"Authorization": f"Bearer {token}"}
        failures, started = Counter(), time.perf_counter()
        while True:
            try:
                answer = requests.post(
                    f"{self.stage.base_url}/api/v1/checkins/batch", json=body, headers=headers, timeout=60
                )
            except requests.ConnectionError as error:
                failures[type(error).__name__] += 1
                time.sleep(0.2)
                continue
            if answer.status_code in (502, 503, 504):
                failures[answer.status_code] += 1
                time.sleep(0.5)
                continue
            break
        self.batches.append(
            {
                "station": number,
                "token": token,
                "body": body,
                "status": answer.status_code,
                "answer": answer.json() if answer.headers.get("Content-Type", "").startswith("application/") else {},
                "seconds": time.perf_counter() - started,
                "failures": dict(failures),
            }
        )

    # --- what the doors were told, and what is stored ---

    def accepted_answers(self) -> int:
        online = sum(
            1 for a in self.answers if a["status"] == 200 and json.loads(a["body"]).get("result") == "accepted"
        )
        offline = sum(
            1
            for batch in self.batches
            for result in batch["answer"].get("results", [])
            if result["result"] == "accepted"
        )
        return online + offline

    def acknowledged(self) -> list[str]:
        """Badges a door saw acknowledged (a 2xx answer, checked in now or before)."""
        online = [a["secret"] for a in self.answers if 200 <= a["status"] < 300]
        offline = [
            scan["qr"].rsplit("/", 1)[1]
            for batch in self.batches
            if batch["status"] == 200
            for scan, result in zip(batch["body"]["scans"], batch["answer"]["results"], strict=True)
            if result["result"] in ("accepted", "duplicate") or result.get("reason") == "already_checked_in"
        ]
        return online + offline

    def stored(self) -> tuple[int, set[str]]:
        rows = self.stage.sql(
            "SELECT badge_secret FROM registration WHERE event_id = %s AND checked_in_at IS NOT NULL",
            self.seeded["event_id"],
        )
        return len(rows), {row[0] for row in rows}

    def replay(self) -> tuple[int, list[str]]:
        """Every acknowledged scan sent again with its nonce (as a door that never heard the answer would): how many,
        and those answered otherwise than the first time."""
        differ = []
        with requests.Session() as session:
            tokens = self.online_tokens
            for answer in self.answers:
                if not 200 <= answer["status"] < 300:
                    continue
                scan = {key: answer[key] for key in ("qr", "nonce", "scanned_at")}
                again = session.post(
                    f"{self.stage.base_url}/api/v1/checkins",
                    json=scan,
                    headers={"Authorization": f"Bearer {tokens[answer['connection'] % len(tokens)]}"},
                    timeout=30,
                )
                if again.status_code != answer["status"] or again.json() != json.loads(answer["body"]):
                    differ.append(f"{answer['nonce']}: {answer['body'][:200]} then {again.text[:200]}")
            for batch in self.batches:
                again = session.post(
                    f"{self.stage.base_url}/api/v1/checkins/batch",
                    json=batch["body"],
                    headers={"Authorization": f"Bearer {batch['token']}"},
                    timeout=60,
                )
                if again.status_code != batch["status"] or again.json() != batch["answer"]:
                    differ.append(f"batch of station {batch['station']}: {again.text[:200]}")
        return sum(1 for a in self.answers if 200 <= a["status"] < 300) + len(self.batches), differ

    def five_xx(self) -> int:
        statuses = Counter({int(code): count for code, count in self.figures["statuses"].items()})
        for batch in self.batches:
            for code, count in batch["failures"].items():
                if isinstance(code, int):
                    statuses[code] += count
            statuses[batch["status"]] += 1
        return sum(count for code, count in statuses.items() if code >= 500)

    def row(self, name: str) -> dict:
        figures = self.figures
        stored, _ = self.stored()
        batch_seconds = max((batch["seconds"] for batch in self.batches), default=float("nan"))
        return {
            "drill": name,
            "scans": figures["requests"] + OFFLINE_STATIONS * OFFLINE_SCANS,
            "seconds": figures["seconds"],
            "rps": figures["rps"],
            "p50": figures["p50"],
            "p99": figures["p99"],
            "max": figures["max"],
            "batch_s": batch_seconds,
            "5xx": self.five_xx(),
            "conn_errors": sum(figures["errors"].values())
            + sum(c for b in self.batches for k, c in b["failures"].items() if not isinstance(k, int)),
            "accepted": self.accepted_answers(),
            "stored": stored,
        }


# --- the drills ----------------------------------------------------------------------------------------------


def counted(doors: Doors) -> list[tuple[str, bool]]:
    row = doors.row("")
    return [
        (f"exactly {BADGES:,} check-ins stored: {row['stored']:,}", row["stored"] == BADGES),
        (f"exactly {BADGES:,} scans answered 'accepted': {row['accepted']:,}", row["accepted"] == BADGES),
        (
            f"every batch answered 200: {[batch['status'] for batch in doors.batches]}",
            len(doors.batches) == OFFLINE_STATIONS and all(batch["status"] == 200 for batch in doors.batches),
        ),
    ]


def acknowledged_stored(doors: Doors) -> list[tuple[str, bool]]:
    acknowledged = doors.acknowledged()
    _, stored = doors.stored()
    lost = [secret for secret in acknowledged if secret not in stored]
    replayed, differ = doors.replay()
    for line in differ[:5]:
        log(f"answered otherwise: {line}")
    return [
        (
            f"every scan a door saw acknowledged is stored: {len(acknowledged):,} acknowledged, {len(lost)} lost",
            not lost,
        ),
        (
            f"sent again with the same nonce, {replayed:,} acknowledged scans/batches: {len(differ)} answered otherwise",
            not differ,
        ),
    ]


def drill_doors(running: bool) -> tuple[dict, list[tuple[str, bool]]]:
    with Stage("doors", running) as stage:
        doors = Doors(stage, stage.seed(BADGES, STATIONS))
        doors.run()
        row = doors.row("1 doors open")
        return row, [*counted(doors), (f"no 5xx answers: {row['5xx']}", row["5xx"] == 0)]


def drill_kill(running: bool) -> tuple[dict, list[tuple[str, bool]]]:
    with Stage("kill", running) as stage:
        doors = Doors(stage, stage.seed(BADGES, STATIONS))
        victim = stage.app_pid(1)
        start_lines = stage.access_lines()
        killed: dict = {}

        def kill() -> None:
            while stage.access_lines() - start_lines < len(doors.scans) // 4:
                time.sleep(0.05)
            os.killpg(victim, signal.SIGKILL)  # the instance's master and workers, as a host losing power
            killed["after"] = stage.access_lines() - start_lines
            log(f"kill: kill -9 of app instance 1 (process group {victim})")

        doors.run(during=kill)
        row = doors.row("2 kill -9 one app instance")
        row["note"] = (
            f"instance 1 killed after {killed.get('after', 0)} requests; {row['5xx']} answers 502 "
            f"and {row['conn_errors']} connection errors, each sent again"
        )
        checks = [(f"an instance was killed mid-burst: {'yes' if killed else 'no'}", bool(killed))]
        return row, [*checks, *counted(doors), *acknowledged_stored(doors)]


def drill_postgres(running: bool) -> tuple[dict, list[tuple[str, bool]]]:
    if running:
        raise SystemExit("The postgres drill starts its own cluster on a PostgreSQL server of its own; drop --running.")
    with PostgresServer() as server, Stage("postgres", running, postgres=server.url) as stage:
        doors = Doors(stage, stage.seed(BADGES, STATIONS))
        before = stage.app_processes()
        start_lines = stage.access_lines()
        outage: dict = {}

        def cut() -> None:
            while stage.access_lines() - start_lines < len(doors.scans) // 4:
                time.sleep(0.05)
            server.stop()
            outage["cut"] = time.time()
            log(f"postgres: the server stopped for {OUTAGE:g} s")
            time.sleep(OUTAGE)
            server.start()
            outage["back"] = time.time()
            log("postgres: the server started again")

        doors.run(during=cut)
        after = stage.app_processes()
        row = doors.row(f"3 PostgreSQL restarted, {OUTAGE:g} s")
        back = outage.get("back", 0.0)
        # Recovered: the first scan answered (2xx) after the database is back; doors retry every 0.5 s on a 503.
        recovery = min((a["at"] for a in doors.answers if a["at"] >= back and a["status"] < 300), default=999) - back
        away = (doors.figures["last_failure_at"] or back) - (doors.figures["first_failure_at"] or back)
        row["note"] = (
            f"{row['5xx']} answers 503 and {row['conn_errors']} connection errors over {away:.1f} s; "
            f"first scan served {recovery:.1f} s after the database came back"
        )
        checks = [
            (
                f"the database server stopped mid-burst for {OUTAGE:g} s, then started: {'yes' if outage.get('back') else 'no'}",
                "back" in outage,
            ),
            (
                f"failed requests while it was away: {row['5xx']} answers 5xx, {row['conn_errors']} connection "
                f"errors (reported; each sent again by its door)",
                True,
            ),
            (
                f"scans served again {recovery:.1f} s after the database came back (target < {RECOVERY_TARGET_S:g} s)",
                recovery < RECOVERY_TARGET_S,
            ),
            (
                f"no app restart: the same {len(before)} app processes before and after",
                before == after and bool(before),
            ),
        ]
        return row, [*checks, *counted(doors), *acknowledged_stored(doors)]


def drill_smtp(running: bool) -> tuple[dict, list[tuple[str, bool]]]:
    if running:
        raise SystemExit("The smtp drill starts its own cluster (its workers send to this script's SMTP server).")
    from aiosmtpd.controller import Controller
    from mail_bench import Sink

    sink = Sink()
    port = sink.port
    smtp = {
        "NETEVENTS_SMTP_HOST": "127.0.0.1",
        "NETEVENTS_SMTP_PORT": str(port),
        "NETEVENTS_SMTP_SECURITY": "none",
        "NETEVENTS_MAIL_RETRY_SECONDS": "1",
    }
    with Stage("smtp", running, extra_env=smtp) as stage:
        seeded = stage.seed(MAIL_BADGES, 1)
        for key in smtp:
            os.environ.pop(key)
        # Half came; the event is over (follow-ups are sent once it is).
        stage.sql(
            "UPDATE registration SET checked_in_at = now() - interval '2 hours' WHERE id IN "
            "(SELECT id FROM registration WHERE event_id = %s ORDER BY id LIMIT %s)",
            seeded["event_id"],
            MAIL_BADGES // 2,
        )
        stage.sql(
            "UPDATE event SET starts_at = now() - interval '4 hours', ends_at = now() - interval '1 hour' WHERE id = %s",
            seeded["event_id"],
        )
        before = stage.sql("SELECT count(*) FROM outgoing_email")[0][0]
        sink.controller.start()
        started = time.perf_counter()
        answer = requests.post(
            f"{stage.base_url}/api/v1/events/{seeded['event_id']}/follow-up",
            headers={"Authorization": f"Bearer {seeded['organizer_token']}"},
            timeout=120,
        )
        queued = answer.json().get("queued", 0) if answer.status_code == 200 else 0
        log(f"smtp: follow-ups queued: {queued} (HTTP {answer.status_code}) in {time.perf_counter() - started:.1f} s")
        deadline = time.monotonic() + 60
        while sink.received() < min(50, queued) and time.monotonic() < deadline:
            time.sleep(0.02)
        sink.controller.stop()
        down_at = sink.received()
        log(f"smtp: the SMTP server stopped after {down_at} emails; back in 5 s")
        time.sleep(5)
        sink.controller = Controller(sink, hostname="127.0.0.1", port=port)
        sink.controller.start()
        back = time.perf_counter()
        deadline = time.monotonic() + 120
        while sink.received() < queued and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(3)  # a second delivery of any would land now
        sink.controller.stop()
        statuses = dict(
            stage.sql("SELECT status, count(*) FROM outgoing_email GROUP BY status")  # type: ignore[arg-type]
        )
        emails = stage.sql("SELECT count(*) FROM outgoing_email")[0][0] - before
        row = {
            "drill": "4 SMTP down mid-send",
            "scans": 0,
            "note": f"{queued} emails, {down_at} before the cut, all in {time.perf_counter() - started:.1f} s "
            f"({time.perf_counter() - back:.1f} s after it came back)",
        }
        received, doubles = sink.received(), sink.doubles()
        return row, [
            (
                f"follow-ups queued: {queued} (HTTP {answer.status_code}), {emails} rows in the outbox",
                queued > 0 and answer.status_code == 200,
            ),
            (f"the SMTP server went down mid-send: after {down_at} of {queued}", 0 < down_at < queued),
            (
                f"every email delivered once: {received} received for {queued} queued, {doubles} twice",
                received == queued and doubles == 0,
            ),
            (f"outbox statuses: {statuses}", all(status in ("sent",) for status in statuses)),
        ]


# --- the table ------------------------------------------------------------------------------------------------


def report(results: list[tuple[dict, list[tuple[str, bool]]]]) -> bool:
    line = "-" * 122
    print()
    print(
        f"netevents drills: {os.cpu_count()} CPUs shared with other work, cluster = nginx + 2 app instances "
        f"(2 gunicorn workers each) + 2 mail workers, one PostgreSQL, Redis; {BADGES:,} badges, "
        f"{STATIONS - OFFLINE_STATIONS} online + {OFFLINE_STATIONS} offline stations"
    )
    print(line)
    print(
        f"{'drill':<28} {'scans':>6} {'s':>6} {'scans/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7} "
        f"{'batch s':>7} {'5xx':>5} {'conn err':>8} {'accepted':>8} {'stored':>7}"
    )
    print(line)
    for row, _ in results:
        if row.get("scans"):
            print(
                f"{row['drill']:<28} {row['scans']:>6} {row['seconds']:>6.1f} {row['rps']:>8.0f} {row['p50']:>7.1f} "
                f"{row['p99']:>7.1f} {row['max']:>7.0f} {row['batch_s']:>7.2f} {row['5xx']:>5} {row['conn_errors']:>8} "
                f"{row['accepted']:>8} {row['stored']:>7}"
            )
        else:
            print(f"{row['drill']:<28} {row.get('note', '')}")
    print(line)
    passed = True
    for row, checks in results:
        print(f"{row['drill']}:" + (f" ({row['note']})" if row.get("note") and row.get("scans") else ""))
        for text, ok in checks:
            passed &= ok
            print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    print(f"Overall: {'PASS' if passed else 'FAIL'}")
    return passed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("drills", nargs="*", metavar="DRILL", help=f"some of: {', '.join(DRILLS)} (all)")
    parser.add_argument("--running", action="store_true", help="against the running `make cluster` (doors, kill)")
    args = parser.parse_args()
    chosen = args.drills or list(DRILLS)
    unknown = [name for name in chosen if name not in DRILLS]
    if unknown:
        parser.error(f"unknown drill {unknown}: choose from {', '.join(DRILLS)}")
    runs = {"doors": drill_doors, "kill": drill_kill, "postgres": drill_postgres, "smtp": drill_smtp}
    results = []
    for name in chosen:
        results.append(runs[name](args.running))
    return 0 if report(results) else 1


if __name__ == "__main__":
    sys.exit(main())
