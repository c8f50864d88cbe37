"""The mail worker: `flask mail work` runs passes until it is told to stop; `flask mail send-due` runs one.

A pass first runs the periodic jobs (jobs that queue emails when their time comes), then delivers what is due.
"""

import logging
import signal
import threading
from collections.abc import Callable
from types import FrameType

from flask import current_app

from netevents.extensions import db
from netevents.follow_ups.services import queue_due_follow_ups
from netevents.mail.delivery import DeliveryReport, deliver_due
from netevents.mail.transports import transport_from_config

log = logging.getLogger(__name__)


#: Jobs run at the start of every pass (of `mail work` and of `mail send-due`), in this order, each committing
#: its own work; one line each.
PERIODIC_JOBS: tuple[Callable[[], object], ...] = (
    queue_due_follow_ups,  # people you met, sorry we missed you, stay connected: each once per person and event
)


def run_periodic_jobs() -> None:
    """Run PERIODIC_JOBS; one that fails is logged and the next pass runs it again (delivery goes on)."""
    for job in PERIODIC_JOBS:
        try:
            job()
        except Exception:
            log.exception("periodic job %s failed; it runs again at the next pass", job.__qualname__)
            db.session.rollback()
        finally:
            db.session.remove()


def run_pass(*, should_stop: Callable[[], bool] = lambda: False) -> DeliveryReport:
    """One pass: the periodic jobs, then everything due is delivered (what those jobs queued included)."""
    run_periodic_jobs()
    return deliver_due(should_stop=should_stop)


def describe_delivery() -> str:
    """Where this worker's emails go, in words (never the password)."""
    where = transport_from_config(current_app.config).describe()
    if current_app.config["SMTP_HOST"]:
        return f"Delivering mail to {where}."
    return f"Delivering mail to {where} (set NETEVENTS_SMTP_HOST to send it through a mail server)."


def work(stop: threading.Event, say: Callable[[str], None]) -> None:
    """Deliver until `stop` is set: a pass, then a pause when nothing was due."""
    idle = current_app.config["MAIL_IDLE_SECONDS"]
    while not stop.is_set():
        try:
            report = run_pass(should_stop=stop.is_set)
        except Exception:
            # The database went away, say: log it, wait and try again rather than leave the outbox unattended.
            log.exception("mail worker pass failed; trying again in %s s", idle)
            stop.wait(max(idle, 5))
            continue
        if report.done or report.released:
            say(report.summary())
        if not report.done or report.stopped_because:
            stop.wait(idle)


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM (systemd, gunicorn's exit) and SIGINT (Ctrl-C) let the email in hand finish, then stop."""

    def handler(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
