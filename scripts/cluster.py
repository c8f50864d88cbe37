"""`make cluster`: netevents as several hosts would run it, on 127.0.0.1 of this machine.

nginx (deploy/nginx/netevents.conf) in front of two app instances (gunicorn, deploy/gunicorn.conf.py, each on a
port and with an instance folder of its own) and two mail workers (`flask mail work`), all against one PostgreSQL
database (created if missing, migrated once, before any instance starts) and one Redis, where the rate limits
are counted. The instances share only what hosts would share: the database, Redis, NETEVENTS_SECRET_KEY (kept in
the cluster's folder) and the Maildir the workers deliver into. Ctrl-C (or SIGTERM) stops them all, gracefully.

    .venv/bin/python scripts/cluster.py                 # serve until Ctrl-C
    .venv/bin/python scripts/cluster.py --check         # start, prove that nginx reaches both instances, stop

Every answer through nginx carries `X-Netevents-Upstream` (the instance's address), so a client can tell which
instance served it. Logs and the nginx configuration are in instance/cluster/ (`--folder`).
"""

import argparse
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psycopg
import redis
import requests
from psycopg import sql
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SITE = ROOT / "deploy" / "nginx" / "netevents.conf"
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
DEMO_EMAIL = "organizer@demo.netevents.local"  # netevents/cli.py, made by `flask seed-demo`
DEFAULT_POSTGRES = os.environ.get("CLUSTER_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
DEFAULT_REDIS = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/2")


def options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (8080)")
    parser.add_argument("--app-ports", type=int, nargs=2, default=[8001, 8002], help="the two instances' ports")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="a PostgreSQL server (any database on it)")
    parser.add_argument("--database", default="netevents_cluster", help="the cluster's database, created if missing")
    parser.add_argument("--redis", default=DEFAULT_REDIS, help="Redis for the rate limits (started if none answers)")
    parser.add_argument("--folder", type=Path, default=ROOT / "instance" / "cluster", help="logs, keys, Maildir")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes per instance (2)")
    parser.add_argument("--check", action="store_true", help="prove nginx reaches both instances, then stop")
    parser.add_argument("--drop", action="store_true", help="drop the database when stopping (tests)")
    return parser.parse_args()


def say(text: str) -> None:
    print(f"[cluster] {text}", flush=True)


class Cluster:
    def __init__(self, args: argparse.Namespace):
        self.args = args
        self.folder: Path = args.folder.resolve()
        self.processes: list[tuple[str, subprocess.Popen]] = []
        self.base_url = f"http://127.0.0.1:{args.port}"

    # --- the shared services ---------------------------------------------------------------------------------

    def database_url(self) -> str:
        server = make_url(self.args.postgres)
        return server.set(drivername="postgresql+psycopg", database=self.args.database).render_as_string(False)

    def server_url(self) -> str:
        """The server's URL as psycopg takes it (no SQLAlchemy driver name)."""
        return make_url(self.args.postgres).set(drivername="postgresql").render_as_string(False)

    def create_database(self) -> None:
        with psycopg.connect(self.server_url(), autocommit=True, connect_timeout=5) as connection:
            exists = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (self.args.database,)
            ).fetchone()
            if not exists:
                connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.args.database)))
                say(f"created the database {self.args.database}")

    def drop_database(self) -> None:
        with psycopg.connect(self.server_url(), autocommit=True, connect_timeout=5) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.args.database))
            )
        say(f"dropped the database {self.args.database}")

    def ensure_redis(self) -> None:
        try:
            redis.Redis.from_url(self.args.redis, socket_connect_timeout=2).ping()
            return
        except redis.RedisError:
            pass
        server = shutil.which("redis-server")
        if server is None:
            raise SystemExit(f"No Redis answers at {self.args.redis}, and redis-server is not installed.")
        port = redis.connection.parse_url(self.args.redis).get("port", 6379)
        self.start("redis", [server, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"])
        wait_until(lambda: redis.Redis.from_url(self.args.redis, socket_connect_timeout=1).ping(), "Redis", 20)

    def secret_key(self) -> str:
        """One signing key for every instance (links in emails are signed by one, opened on another)."""
        path = self.folder / "secret-key"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(32))
            path.chmod(0o600)
        return path.read_text().strip()

    def environment(self) -> dict[str, str]:
        return {
            **os.environ,
            "FLASK_APP": "wsgi",
            "DATABASE_URL": self.database_url(),
            "RATELIMIT_STORAGE_URI": self.args.redis,
            "NETEVENTS_SECRET_KEY": self.secret_key(),
            "NETEVENTS_BASE_URL": self.base_url,
            "NETEVENTS_TRUSTED_PROXIES": "1",
            "NETEVENTS_MAIL_WORKER": "0",
            "NETEVENTS_MAILDIR": str(self.folder / "mail"),
            "WEB_CONCURRENCY": str(self.args.workers),
        }

    # --- processes -------------------------------------------------------------------------------------------

    def start(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "ab")  # noqa: SIM115 - the process writes to it while it runs
        # A session of its own: Ctrl-C reaches this script only, which stops each process gracefully.
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.processes.append((name, process))
        say(f"started {name} (pid {process.pid}), log in {log.name}")
        return process

    def run_once(self, name: str, command: list[str], env: dict[str, str]) -> None:
        result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        (self.folder / f"{name}.log").write_text(result.stdout + result.stderr)
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
        if result.stdout.strip():
            say(result.stdout.strip())

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()  # gunicorn and the workers finish what is in hand; nginx stops
        deadline = time.monotonic() + 30
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop in time; killing it")
                process.kill()
                process.wait()
        say("stopped")

    # --- nginx -----------------------------------------------------------------------------------------------

    def nginx_config(self) -> Path:
        """deploy/nginx/netevents.conf, listening on 127.0.0.1 in front of this cluster's instances."""
        site = SITE.read_text()
        servers = "".join(f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;\n" for port in self.args.app_ports)
        site, found = re.subn(r"    server 127\.0\.0\.1:8000 [^\n]*\n", servers, site)
        assert found == 1, "deploy/nginx/netevents.conf: the upstream's server line has moved"
        site = re.sub(r"    listen \[::\]:80;\n", "", site)
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.args.port};")
        site = site.replace("/srv/netevents/frontend/dist", str(ROOT / "frontend" / "dist"))
        site = site.replace("/var/log/nginx/netevents.access.log", str(self.folder / "nginx-access.log"))
        # Which instance answered, for the check below and for the drills.
        site = site.replace(
            "    server_tokens off;\n",
            "    server_tokens off;\n    add_header X-Netevents-Upstream $upstream_addr always;\n",
            1,
        )
        if not BROTLI_MODULE.exists():
            site = re.sub(r"\s*brotli_static on;", "", site)
        (self.folder / "site.conf").write_text(site)
        main = self.folder / "nginx.conf"
        temp = self.folder / "nginx-temp"
        temp.mkdir(exist_ok=True)
        main.write_text(
            (f"load_module {BROTLI_MODULE};\n" if BROTLI_MODULE.exists() else "")
            + "daemon off;\n"
            + self.nginx_user()
            + "worker_processes 1;\n"
            + f"pid {self.folder}/nginx.pid;\n"
            + f"error_log {self.folder}/nginx-error.log;\n"
            + "events { worker_connections 1024; }\n"
            + "http {\n"
            + "    include /etc/nginx/mime.types;\n"
            + "".join(
                f"    {kind}_temp_path {temp}/{kind};\n"
                for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
            )
            + f"    include {self.folder}/site.conf;\n"
            + "}\n"
        )
        return main

    @staticmethod
    def nginx_user() -> str:
        """Started as root, nginx's workers would run as `nobody`, who may not read a checkout under a private
        home: they run as the checkout's owner instead."""
        if os.geteuid() != 0:
            return ""
        owner = ROOT.stat()
        return f"user {pwd.getpwuid(owner.st_uid).pw_name} {grp.getgrgid(owner.st_gid).gr_name};\n"

    # --- the whole ---------------------------------------------------------------------------------------------

    def up(self) -> None:
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not os.access(nginx, os.X_OK):
            raise SystemExit("nginx is not installed: apt-get install nginx-light libnginx-mod-http-brotli-static")
        if not (ROOT / "frontend" / "dist" / "index.html").exists():
            raise SystemExit("The web app is not built: `make setup` (or `cd frontend && npm run build`).")
        self.folder.mkdir(parents=True, exist_ok=True)
        self.create_database()
        self.ensure_redis()
        env = self.environment()
        flask = [PYTHON, "-m", "flask"]
        # Once, before any instance serves: instances never migrate (docs/deploy.md, "Upgrades").
        self.run_once("migrate", [*flask, "db", "upgrade"], {**env, "NETEVENTS_INSTANCE_PATH": str(self.folder)})
        self.run_once("seed-demo", [*flask, "seed-demo"], {**env, "NETEVENTS_INSTANCE_PATH": str(self.folder)})
        for number, port in enumerate(self.args.app_ports, start=1):
            self.start(
                f"app{number}",
                [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
                {
                    **env,
                    "NETEVENTS_BIND": f"127.0.0.1:{port}",
                    "NETEVENTS_INSTANCE_PATH": str(self.folder / f"app{number}"),
                    "NETEVENTS_ACCESS_LOG": str(self.folder / f"app{number}-access.log"),
                },
            )
        for number in (1, 2):
            self.start(
                f"mail{number}",
                [*flask, "mail", "work"],
                {**env, "NETEVENTS_INSTANCE_PATH": str(self.folder / f"mail{number}")},
            )
        for port in self.args.app_ports:
            wait_until(
                lambda port=port: ready(f"http://127.0.0.1:{port}"),
                f"the instance on port {port}",
                90,
                self.folder / f"app{self.args.app_ports.index(port) + 1}.log",
            )
        self.start("nginx", [nginx, "-p", str(self.folder), "-c", str(self.nginx_config())])
        wait_until(lambda: ready(self.base_url), "nginx", 30, self.folder / "nginx-error.log")
        say(f"serving on {self.base_url}/ (nginx), instances on ports {', '.join(map(str, self.args.app_ports))}")

    def check(self) -> list[str]:
        """What a second host would break, tried through nginx: which instances answer, whether the rate limits
        are one count across them (Redis), whether the mail workers deliver an email once. Failures, in words."""
        failures = []
        seen: Counter[str] = Counter()
        with requests.Session() as session:
            for _ in range(40):
                answer = session.get(f"{self.base_url}/api/v1/events", timeout=10)
                answer.raise_for_status()
                seen[answer.headers["X-Netevents-Upstream"]] += 1
        say(f"40 requests through nginx, answered by: {dict(seen)}")
        if set(seen) != {f"127.0.0.1:{port}" for port in self.args.app_ports}:
            failures.append(f"not every instance answered: {dict(seen)}")

        # 20 wrong passwords a minute from one address, counted by both instances together (the cluster's own
        # Redis database is emptied first, so an earlier check's count does not remain).
        redis.Redis.from_url(self.args.redis).flushdb()
        statuses, upstreams = [], set()
        with requests.Session() as session:
            for guess in range(21):
                answer = session.post(
                    f"{self.base_url}/api/v1/auth/token",
                    json={"email": f"nobody{guess}@example.org", "password": "not it"},
                    timeout=10,
                )
                statuses.append(answer.status_code)
                upstreams.add(answer.headers["X-Netevents-Upstream"])
        say(f"21 wrong passwords through {len(upstreams)} instances: {Counter(statuses)}")
        if statuses != [401] * 20 + [429] or len(upstreams) != 2:
            failures.append(f"the sign-in limit is not shared by the instances: {statuses}")
        redis.Redis.from_url(self.args.redis).flushdb()

        failures.extend(self.check_edge())

        # A sign-in link for the demo organizer: queued by one instance, delivered by one of the two workers, once.
        mail = self.folder / "mail" / "new"
        before = set(mail.iterdir()) if mail.exists() else set()
        requests.post(
            f"{self.base_url}/api/v1/auth/magic-link", json={"email": DEMO_EMAIL}, timeout=10
        ).raise_for_status()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            new = (set(mail.iterdir()) if mail.exists() else set()) - before
            if new:
                break
            time.sleep(0.3)
        time.sleep(2)  # a second delivery by the other worker would land now
        new = (set(mail.iterdir()) if mail.exists() else set()) - before
        say(f"sign-in email delivered {len(new)} time(s) into {mail}")
        if len(new) != 1:
            failures.append(f"the sign-in email was delivered {len(new)} times, not once")
        return failures

    def check_edge(self) -> list[str]:
        """What nginx answers itself: secrets out of its access log, refusals in problem details, the web app's
        page only with its security headers."""
        failures = []
        secret = secrets.token_urlsafe(16)
        requests.get(f"{self.base_url}/b/{secret}?access_token={secret}x", timeout=10)
        too_large = requests.post(f"{self.base_url}/api/v1/events", data=b"x" * (3 << 20), timeout=30)
        shell = requests.get(f"{self.base_url}/static/index.html", timeout=10)
        time.sleep(0.5)  # nginx writes a request's line when it has answered
        logged = (self.folder / "nginx-access.log").read_text()
        say(f"nginx's log: the badge secret {'FOUND' if secret in logged else 'absent'}")
        if secret in logged or "/b/[redacted]" not in logged:
            failures.append("nginx's access log holds a badge secret or a query string")
        say(f"3 MiB body: {too_large.status_code} {too_large.headers.get('Content-Type')}")
        if too_large.status_code != 413 or too_large.headers.get("Content-Type") != "application/problem+json":
            failures.append(f"a body too large is answered {too_large.status_code} {too_large.headers}, not a problem")
        if "Content-Security-Policy" not in shell.headers:
            failures.append("/static/index.html is served without its Content-Security-Policy")
        return failures

    def watch(self) -> None:
        """Say when a process dies (a drill may kill one); the others keep serving."""
        reported: set[int] = set()
        while True:
            for name, process in self.processes:
                if process.poll() is not None and process.pid not in reported:
                    reported.add(process.pid)
                    say(f"{name} (pid {process.pid}) exited with {process.returncode}; see {self.folder}/{name}.log")
            time.sleep(1)


def ready(base_url: str) -> bool:
    try:
        return requests.get(f"{base_url}/readyz", timeout=3).status_code == 200
    except requests.RequestException:
        return False


def wait_until(condition, what: str, seconds: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if condition():
                return
        except Exception:  # not up yet, whatever it says
            pass
        if time.monotonic() > deadline:
            said = log.read_text(errors="replace").strip().splitlines()[-5:] if log and log.exists() else []
            raise SystemExit("\n  ".join([f"{what} did not come up in {seconds:.0f} s; the end of {log}:", *said]))
        time.sleep(0.3)


def main() -> int:
    args = options()
    cluster = Cluster(args)

    def stop_on(signum, _frame):
        raise KeyboardInterrupt

    # Both, explicitly: a shell starting this in the background would have it ignore SIGINT.
    signal.signal(signal.SIGINT, stop_on)
    signal.signal(signal.SIGTERM, stop_on)
    status = 0
    try:
        cluster.up()
        if args.check:
            failures = cluster.check()
            for failure in failures:
                say(f"FAIL: {failure}")
            status = 1 if failures else 0
            if not failures:
                say("PASS: both instances answer through nginx, share the rate limits and the outbox")
        else:
            say("Ctrl-C stops everything")
            cluster.watch()
    except KeyboardInterrupt:
        say("stopping")
    except SystemExit as stop:
        say(str(stop))
        status = 1
    finally:
        cluster.stop()
        if args.drop:
            cluster.drop_database()
    return status


if __name__ == "__main__":
    sys.exit(main())
