"""gunicorn settings for `make run` and production; each can be overridden by environment."""

import multiprocessing
import os
import subprocess
import sys


def _on_sqlite() -> bool:
    return os.environ.get("DATABASE_URL", "sqlite:").startswith("sqlite")


bind = os.environ.get("NETEVENTS_BIND", "127.0.0.1:8000")
# Measured with `make bench` on 2 cores: the app is CPU-bound Python, so one worker process per core.
# More processes than cores only trade CPU for context switches (check-in p99 went up, not throughput).
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count(), 8)))
worker_class = os.environ.get("NETEVENTS_WORKER_CLASS", "gthread")
# SQLite takes one writer at a time: a second thread per process only makes the writer holding the lock
# wait for the GIL (check-in p99 roughly doubled). PostgreSQL waits for each COMMIT to reach the disk:
# a second thread keeps the CPU busy meanwhile.
threads = int(os.environ.get("NETEVENTS_THREADS", 1 if _on_sqlite() else 2))
# A request gets 30 s (nginx waits 35, deploy/nginx/netevents.conf); on SIGTERM or HUP (a new release) the old
# workers finish the requests in hand within 20 s before they are stopped.
timeout = 30
graceful_timeout = 20
# nginx keeps its idle connections to an instance 4 s (deploy/nginx/netevents.conf), less than this: gunicorn
# never closes one that nginx is about to reuse.
keepalive = 5
proc_name = "netevents"
# Workers' heartbeat files in memory: on a container's overlay file system a slow disk would look like a hung worker.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn's largest request line (its default, 4094, would answer a longer URL with its own HTML page): the app
# refuses URLs over netevents.paths.MAX_URL_LENGTH (4096 characters) itself, with a 414 problem answer.
limit_request_line = 8190
accesslog = os.environ.get("NETEVENTS_ACCESS_LOG", "-")
# Bearer tokens travel in headers, magic-link codes and pairing codes in the fragment; badge and join-link
# secrets are in paths, and anything may be put in a query string: the logger redacts them all (netevents/redact.py).
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
logger_class = "netevents.redact.RedactingGunicornLogger"
# No control socket: several servers on one host (tests, benchmarks) would fight over its one path.
control_socket_disable = True

# A mail worker (`flask mail work`, docs/mail.md) runs beside the web app, so `make run` needs no second command.
# NETEVENTS_MAIL_WORKER=0 when workers run on their own (systemd, cron): any number of them share the outbox.
_mail_worker: subprocess.Popen | None = None


def when_ready(server) -> None:
    global _mail_worker
    if os.environ.get("NETEVENTS_MAIL_WORKER", "1").strip().lower() in {"0", "false", "no", "off"}:
        return
    # The same interpreter and environment as this server; `wsgi` is the app it serves.
    _mail_worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "mail", "work"])
    server.log.info("Started the mail worker (pid %s)", _mail_worker.pid)


def on_exit(server) -> None:
    if _mail_worker is None or _mail_worker.poll() is not None:
        return
    _mail_worker.terminate()  # it finishes the email in hand and gives the rest back
    try:
        _mail_worker.wait(timeout=graceful_timeout)
    except subprocess.TimeoutExpired:
        server.log.warning("The mail worker did not stop in %s s; killing it", graceful_timeout)
        _mail_worker.kill()
        _mail_worker.wait()
