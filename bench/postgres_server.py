"""A PostgreSQL server of the drill's own, in a temporary folder on a free port, that can really be stopped and
started again: the postgres drill restarts it in the middle of a burst without touching the machine's shared server
(which the tests and other work use). Debian's server binaries (`postgresql` package) do the work.

    with PostgresServer() as server:      # initdb, then start; stopped and removed on exit
        server.url                        # postgresql+psycopg://postgres@127.0.0.1:<port>/postgres
        server.stop(); server.start()     # a real shutdown (fast mode: sessions are ended) and start
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from harness import free_port, log


def server_binaries() -> Path:
    """The newest installed server's bin folder (/usr/lib/postgresql/<version>/bin)."""
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda path: int(path.parent.parent.name))
    if not installed:
        raise SystemExit("The postgres drill needs the PostgreSQL server binaries: apt-get install postgresql.")
    return installed[-1].parent


class PostgresServer:
    def __init__(self) -> None:
        self.bin = server_binaries()
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="netevents-drill-postgres-"))
        self.data = self.folder / "data"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        # The server refuses to run as root: as root, its tools run as the `postgres` user Debian's package made.
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*as_user, str(self.bin / tool), *args], check=True, stdout=subprocess.DEVNULL)

    def __enter__(self) -> "PostgresServer":
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._run("initdb", "--pgdata", str(self.data), "--username", "postgres", "--auth", "trust", "--no-sync")
        self.start()
        log(f"postgres: a server of the drill's own on port {self.port}")
        return self

    def __exit__(self, *_exc) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off"
        self._run(
            "pg_ctl", "start", "--wait", "--pgdata", str(self.data), "--log", str(self.folder / "log"), "-o", options
        )
        log(f"postgres: a server of the drill's own on port {self.port}")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "stop", "--wait", "--pgdata", str(self.data), "--mode", "fast")
