"""`make test`: the whole suite on SQLite and, side by side with it, again on PostgreSQL.

On a laptop without PostgreSQL the second pass is skipped with a message; in CI (CI=true) it is
required, and so are the real-browser tests (tests/conftest.py fails them instead of skipping).
"""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
FRONTEND = Path(__file__).resolve().parent.parent / "frontend"


def postgres_reachable(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), connect_timeout=3):
            return True
    except psycopg.Error as error:
        print(f"PostgreSQL at {url} is not reachable: {error}".strip())
        return False


def run(label: str, env: dict, args: list[str]) -> int:
    print(f"\n=== {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def run_static_checks() -> int:
    """ruff (lint and format) over the Python code, and mypy over the modules pyproject.toml names."""
    print("\n=== Static checks (ruff, mypy) ===", flush=True)
    root = Path(__file__).resolve().parent.parent
    for command in (["ruff", "check", "."], ["ruff", "format", "--check", "."], ["mypy"]):
        status = subprocess.call([sys.executable, "-m", *command], cwd=root)
        if status != 0:
            print(
                f"`{' '.join(command)}` failed: fix what it says (`ruff check --fix .` and `ruff format .` fix most)."
            )
            return status
    return 0


def run_npm(label: str, script: str) -> int:
    print(f"\n=== {label} ===", flush=True)
    npm = shutil.which("npm")
    if npm is None:
        print(f"npm is not installed: {label.lower()} cannot run (install Node.js 20+).")
        return 1
    return subprocess.call([npm, "run", script, "--silent"], cwd=FRONTEND)


def run_frontend_lint() -> int:
    """eslint on the web app (eslint.config.js): an error or a warning fails the build."""
    return run_npm("Frontend lint (eslint)", "lint")


def run_frontend_api_types_check() -> int:
    """The web app's API types are still the ones generated from frontend/openapi.json (`make api-types`)."""
    return run_npm("Frontend API types (generated from frontend/openapi.json)", "api-types:check")


def run_frontend_unit_tests() -> int:
    """The web app's own unit tests (vitest: the door's offline queue, time zones, messages)."""
    return run_npm("Frontend unit tests (vitest)", "test")


def start(label: str, env: dict, args: list[str], log: Path) -> subprocess.Popen:
    """The same as `run`, in the background, its output into `log` (printed when it ends)."""
    print(f"\n=== {label}: started beside the SQLite pass, output in {log} ===", flush=True)
    return subprocess.Popen(
        [sys.executable, "-m", "pytest", *args], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def main() -> int:
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    extra = sys.argv[1:]
    for step in (run_static_checks, run_frontend_lint, run_frontend_api_types_check, run_frontend_unit_tests):
        if step() != 0:
            return 1
    env = {k: v for k, v in os.environ.items() if k != "NETEVENTS_TEST_DATABASE_URL"}
    redis = env.get("NETEVENTS_TEST_REDIS_URL", DEFAULT_REDIS_URL).rsplit("/", 1)[0]
    url = os.environ.get("NETEVENTS_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    postgres = None
    if postgres_reachable(url):
        # The two passes share nothing (each makes its own databases and files; Redis database 1 is the
        # PostgreSQL pass's), so they run side by side: most of each is waiting on a disk, a server or a browser.
        log = Path(tempfile.gettempdir()) / "netevents-postgres-pass.log"
        postgres_env = {**env, "NETEVENTS_TEST_DATABASE_URL": url, "NETEVENTS_TEST_REDIS_URL": f"{redis}/1"}
        postgres = start("PostgreSQL pass", postgres_env, ["-m", "not browser", "-p", "no:cacheprovider", *extra], log)
    elif ci:
        print("CI requires the PostgreSQL pass; start PostgreSQL (see .ci/run).")
        return 1
    sqlite_status = run(
        "SQLite pass (with the browser tests)", {**env, "NETEVENTS_TEST_REDIS_URL": f"{redis}/0"}, extra
    )
    if postgres is None:
        print("Skipped the PostgreSQL pass (set NETEVENTS_TEST_POSTGRES_URL to run it).")
        return sqlite_status
    postgres_status = postgres.wait()
    print(f"\n=== PostgreSQL pass (ran beside the SQLite pass; {log}) ===", flush=True)
    print(log.read_text(), flush=True)
    return sqlite_status or postgres_status


if __name__ == "__main__":
    sys.exit(main())
