"""What the benchmarks share: fresh databases, the app migrated and seeded in them, gunicorn started as `make run`
starts it, CPU accounting, and (inside the app, for the seeding scripts) an event happening now with a sample
registration to copy in bulk.

    bench/checkin_bench.py, bench/directory_bench.py      drive the servers (outside the app)
    bench/dataset.py, bench/people_dataset.py             seed a database (inside it: `event_now`, `columns_of`)
"""

import http.client
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from sqlalchemy import inspect  # noqa: E402

from netevents.accounts.models import User  # noqa: E402
from netevents.accounts.services import issue_access_token, sign_up  # noqa: E402
from netevents.db import new_secret, utcnow  # noqa: E402
from netevents.events.models import Event, EventKind, EventStatus  # noqa: E402
from netevents.events.services import create_event  # noqa: E402
from netevents.extensions import db  # noqa: E402
from netevents.registrations.models import Registration  # noqa: E402
from netevents.registrations.services import register  # noqa: E402

DATABASES = [name.strip() for name in os.environ.get("BENCH_DATABASES", "sqlite,postgresql").split(",") if name.strip()]
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- databases -------------------------------------------------------------------------------------


class Database:
    """A fresh database for one pass, and the environment the app needs to use it."""

    def __init__(self, kind: str, workdir: Path):
        self.kind = kind
        self.instance = workdir / kind
        self.instance.mkdir()
        self.pg_name = None
        if kind == "sqlite":
            self.url = f"sqlite:///{self.instance / 'netevents.db'}"
            self.label = "SQLite"
        else:
            import psycopg

            self.pg_name = f"netevents_bench_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(_libpq(POSTGRES_URL), autocommit=True, connect_timeout=5) as connection:
                connection.execute(f'CREATE DATABASE "{self.pg_name}"')
            self.url = _with_database(POSTGRES_URL, self.pg_name)
            self.label = "PostgreSQL"

    def env(self, **extra) -> dict:
        return {
            **os.environ,
            "FLASK_APP": "wsgi",
            "DATABASE_URL": self.url,
            "NETEVENTS_INSTANCE_PATH": str(self.instance),
            **extra,
        }

    def drop(self) -> None:
        if self.pg_name:
            import psycopg

            with psycopg.connect(_libpq(POSTGRES_URL), autocommit=True, connect_timeout=5) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def _libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def _with_database(url: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=name).render_as_string(hide_password=False)


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(_libpq(POSTGRES_URL), connect_timeout=3):
            return True
    except Exception as error:
        log(f"PostgreSQL at {POSTGRES_URL} is not reachable ({error}); skipping the PostgreSQL pass.")
        return False


def run_json(args: list[str], env: dict) -> dict:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- gunicorn --------------------------------------------------------------------------------------


class Gunicorn:
    """gunicorn -c deploy/gunicorn.conf.py APP, as `make run` starts it; only the bind address differs."""

    def __init__(self, app: str, env: dict, log_path: Path, ready_path: str, pythonpath: Path | None = None):
        self.port = free_port()
        self.log_path = log_path
        self.ready_path = ready_path
        env = {
            **env,
            "NETEVENTS_BIND": f"127.0.0.1:{self.port}",
            "NETEVENTS_BASE_URL": env.get("NETEVENTS_BASE_URL", f"http://127.0.0.1:{self.port}"),
        }
        if pythonpath:
            env["PYTHONPATH"] = f"{pythonpath}{os.pathsep}{env.get('PYTHONPATH', '')}"
        self.base_url = env["NETEVENTS_BASE_URL"]
        self.log = open(log_path, "w")  # noqa: SIM115 - the server writes to it until stop() closes it
        self.process = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), app],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 60
        while True:
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", self.ready_path)
                if connection.getresponse().status == 200:
                    break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{self.log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        # Every worker boots (imports the app) on its own; let them all be up before measuring.
        time.sleep(2)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()

    def settings(self) -> str:
        text = self.log_path.read_text()
        workers = text.count("Booting worker")
        worker_class = next(
            (line.split("Using worker: ")[1].strip() for line in text.splitlines() if "Using worker: " in line), "?"
        )
        return f"{workers} workers, {worker_class}"


def drive_load(
    server: "Gunicorn",
    path: str,
    headers: dict,
    secrets_file: Path,
    qr_prefix: str,
    rate: float | None = None,
    *,
    connections: int,
    warmup: float,
    duration: float,
    connection_headers: list[dict] | None = None,
) -> dict:
    """Run bench/loadgen.py in its own process against one endpoint and return its figures, with what the
    server, the client and everything else on the machine (PostgreSQL, other programs) used of the CPU.
    `connection_headers`: connection i sends the i-th (modulo their count) besides `headers`."""
    spec = {
        "host": "127.0.0.1",
        "port": server.port,
        "path": path,
        "headers": headers,
        "secrets_file": str(secrets_file),
        "qr_prefix": qr_prefix,
        "connections": connections,
        "warmup": warmup,
        "duration": duration,
        "rate": rate,
        "connection_headers": connection_headers or [],
    }
    client_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy_before, all_before = machine_cpu()
    server_before = tree_cpu(server.process.pid)
    done = subprocess.run(
        [PYTHON, str(BENCH / "loadgen.py")], input=json.dumps(spec), capture_output=True, text=True, cwd=ROOT
    )
    server_cpu = tree_cpu(server.process.pid) - server_before
    busy_after, all_after = machine_cpu()
    client_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"load client failed:\n{done.stderr[-3000:]}")
    figures = json.loads(done.stdout)
    client_cpu = (client_after.ru_utime + client_after.ru_stime) - (client_before.ru_utime + client_before.ru_stime)
    busy = busy_after - busy_before
    figures["cpu"] = {
        "server": server_cpu,
        "client": client_cpu,
        "other": max(busy - server_cpu - client_cpu, 0.0),
        "capacity": all_after - all_before,
    }
    figures["server_ms_per_request"] = 1000 * server_cpu / max(figures["badges_used"], 1)
    return figures


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / hz, sum(fields[:8]) / hz


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (gunicorn's master and workers)."""
    hz, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += int(fields[11]) + int(fields[12])
    return total / hz


def migrated(kind: str, workdir: Path) -> Database:
    """A fresh database of this kind, migrated to the head (`flask db upgrade`); drop() it when done."""
    database = Database(kind, workdir)
    log(f"{database.label}: migrating")
    done = subprocess.run(
        [str(Path(PYTHON).parent / "flask"), "db", "upgrade"],
        cwd=ROOT,
        env=database.env(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        database.drop()
        raise RuntimeError(f"flask db upgrade failed:\n{done.stderr[-3000:]}")
    return database


def on_each_database(bench: Callable[[str, Path], dict], prefix: str) -> list[dict]:
    """`bench(kind, workdir)` on each of BENCH_DATABASES (PostgreSQL's pass only when its server answers), in a
    scratch folder removed afterwards (kept with BENCH_KEEP set)."""
    runs = []
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        for kind in DATABASES:
            if kind == "postgresql" and not postgres_reachable():
                continue
            runs.append(bench(kind, workdir))
    finally:
        if os.environ.get("BENCH_KEEP"):
            log(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    return runs


# --- inside the app (the seeding scripts) --------------------------------------------------------------


def event_now(
    title: str, hours: int, organizer_email: str = "bench-organizer@example.org"
) -> tuple[User, Event, Registration]:
    """A published meetup that started half an hour ago, its organizer, and one attendee registered through the
    app's own services: the rows that bulk inserts then copy."""
    organizer, _ = sign_up(organizer_email, new_secret(12), "Bench Organizer")
    start = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    event = create_event(
        organizer,
        {
            "kind": EventKind.meetup,
            "title": title,
            "starts_at": start,
            "ends_at": start + timedelta(hours=hours),
            "timezone": "Europe/Berlin",
            "venue": "Hall A",
            "status": EventStatus.published,
        },
    )
    db.session.commit()
    sample = register(
        event.id,
        {"name": "Sample Attendee", "email": organizer_email.replace("bench-organizer", "sample")},
        signed_in=None,
        notify=False,
    )
    db.session.commit()
    return organizer, event, sample


def scanners(event: Event, count: int, tag: str = "") -> list[str]:
    """Access tokens of `count` more attendees of the event, registered through the app's own services: the people
    who meet others in an exchange run, one per load connection. Exchanges are limited per person (600 an hour,
    people/exchange_budget.py), as a room of people scanning each other is, not one person scanning everyone."""
    tokens = []
    for number in range(count):
        registration = register(
            event.id,
            {"name": f"Scanning Attendee {number + 1}", "email": f"scanner{number + 1}{tag}@example.org"},
            signed_in=None,
            notify=False,
        )
        db.session.commit()
        tokens.append(issue_access_token(registration.user))
    db.session.commit()
    return tokens


def columns_of(row, *leave_out: str) -> dict:
    """A row's column values by attribute name, but those left out: a template for bulk inserts."""
    return {attr.key: getattr(row, attr.key) for attr in inspect(row).mapper.column_attrs if attr.key not in leave_out}
