"""Run the real app under gunicorn (several worker processes) against the test database."""

import email
import email.policy
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_server(
    database_url: str, instance_path: Path, *, workers: int = 4, threads: int = 2, env=None, public: bool = False
):
    """Yield the base URL of gunicorn serving wsgi:app with `workers` processes; stop it afterwards.

    `public`: the app knows itself by the address it is served on (badge QR codes and email links point
    there, as a browser needs); otherwise by the test client's "http://testserver".
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "NETEVENTS_INSTANCE_PATH": str(instance_path),
        "NETEVENTS_BASE_URL": base_url if public else "http://testserver",
        "NETEVENTS_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": str(workers),
        "NETEVENTS_THREADS": str(threads),
        "NETEVENTS_RATELIMIT_ENABLED": "false",
        "NETEVENTS_ACCESS_LOG": "/dev/null",
        **(env or {}),
    }
    log = open(instance_path / "gunicorn.log", "w")  # noqa: SIM115 - the server writes to it while it runs
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "wsgi:app"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90  # a loaded 2-core machine can take long to import the app
        while True:
            try:
                if requests.get(f"{base_url}/api/v1/events", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: {(instance_path / 'gunicorn.log').read_text()[-3000:]}")
            time.sleep(0.2)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def server_log(instance_path: Path) -> str:
    return (instance_path / "gunicorn.log").read_text()


def mailed_code(instance_path: Path, address: str, subject_contains: str, timeout: float = 45) -> str:
    """The sign-in link's code in the email to `address` the server delivered to its Maildir (waits for it)."""
    deadline = time.monotonic() + timeout
    while True:
        folder = instance_path / "mail" / "new"
        for path in sorted(folder.glob("*")) if folder.exists() else []:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            if message["To"].addresses[0].addr_spec.lower() == address.lower() and subject_contains in str(
                message["Subject"]
            ):
                body = message.get_body(preferencelist=("plain",)).get_content()
                return re.search(r"#code=([\w-]+)", body).group(1)
        if time.monotonic() > deadline:
            raise AssertionError(f"no email to {address} ({subject_contains!r})")
        time.sleep(0.1)


def sign_up(base_url: str, instance_path: Path, address: str, password: str, name: str) -> str:
    """Sign up through the API and open the link it mails (read from the server's Maildir): the account's token."""
    answer = requests.post(
        f"{base_url}/api/v1/auth/signup", json={"email": address, "password": password, "name": name}, timeout=30
    )
    assert answer.status_code == 202, answer.text
    code = mailed_code(instance_path, address, "Finish creating")
    redeemed = requests.post(f"{base_url}/api/v1/auth/magic-link/redeem", json={"code": code}, timeout=30)
    assert redeemed.status_code == 200, redeemed.text
    return redeemed.json()["token"]
