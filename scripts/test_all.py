"""`make test`: the whole suite on SQLite, then again on PostgreSQL.

On a laptop without PostgreSQL the second pass is skipped with a message; in CI (CI=true) it is
required, and so are the real-browser tests (tests/conftest.py fails them instead of skipping).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
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


def main() -> int:
    ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    extra = sys.argv[1:]
    for step in (run_static_checks, run_frontend_lint, run_frontend_api_types_check, run_frontend_unit_tests):
        if step() != 0:
            return 1
    env = {k: v for k, v in os.environ.items() if k != "NETEVENTS_TEST_DATABASE_URL"}
    status = run("SQLite pass (with the browser tests)", env, extra)
    if status != 0:
        return status
    url = os.environ.get("NETEVENTS_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    if not postgres_reachable(url):
        if ci:
            print("CI requires the PostgreSQL pass; start PostgreSQL (see .ci/run).")
            return 1
        print("Skipping the PostgreSQL pass (set NETEVENTS_TEST_POSTGRES_URL to run it).")
        return 0
    return run("PostgreSQL pass", {**env, "NETEVENTS_TEST_DATABASE_URL": url}, ["-m", "not browser", *extra])


if __name__ == "__main__":
    sys.exit(main())
