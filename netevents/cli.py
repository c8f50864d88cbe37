"""Flask commands: demo data, the mail worker and the follow-ups job."""

import os
import secrets
import sys
import threading
from datetime import timedelta

import click
from flask import Flask, current_app
from sqlalchemy import select

from netevents.accounts.models import User
from netevents.accounts.services import sign_up
from netevents.db import utcnow
from netevents.events.models import EventKind, EventStatus
from netevents.events.services import create_event
from netevents.extensions import db
from netevents.follow_ups.services import queue_due_follow_ups
from netevents.mail import worker
from netevents.mail.delivery import DeliveryReport, count_due, deliver_due, worker_name

DEMO_EMAIL = "organizer@demo.netevents.local"


def seed_demo() -> str | None:
    """Create the demo organizer and event once; returns the new password, or None if they exist."""
    if db.session.scalar(select(User).where(User.email == DEMO_EMAIL)):
        return None
    password = secrets.token_urlsafe(12)
    organizer, _ = sign_up(DEMO_EMAIL, password, "Demo Organizer")
    start = (utcnow() + timedelta(days=7)).replace(hour=17, minute=0, second=0, microsecond=0)
    create_event(
        organizer,
        {
            "kind": EventKind.meetup,
            "title": "Staff Engineers Meetup: Growing Through Your Network",
            "description": "Lightning talks on technical leadership, then structured networking and a bingo round.",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "timezone": "Europe/Berlin",
            "venue": "Tech Hub, Main Hall, 12 Market Street",
            "capacity": 80,
            "status": EventStatus.published,
        },
    )
    return password


def register(app: Flask) -> None:
    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Create the demo organizer and event (once) and say how to sign in."""
        password = seed_demo()
        db.session.commit()
        base_url = current_app.config["BASE_URL"]
        if password is None:
            note = os.path.join(current_app.instance_path, "demo-sign-in.txt")
            where = (
                f"password in {note}"
                if os.path.exists(note)
                else "its password was saved in the instance folder that made it; or ask for a sign-in link "
                "there, which arrives in the mail folder"
            )
            click.echo(f"Demo data exists. Sign in at {base_url}/organize as {DEMO_EMAIL} ({where}).")
            return
        note = current_app.instance_path + "/demo-sign-in.txt"
        with open(note, "w") as handle:
            handle.write(f"{DEMO_EMAIL}\n{password}\n")
        os.chmod(note, 0o600)
        click.echo(
            f"Demo organizer created. Sign in at {base_url}/organize\n"
            f"  email:    {DEMO_EMAIL}\n  password: {password}\n(also saved in {note})"
        )

    app.cli.add_command(mail)


@click.group("mail")
def mail():
    """Deliver the outbox: `work` keeps at it, `send-due` sends what is due once (for cron)."""


@mail.command("work")
def mail_work_command():
    """Deliver mail until stopped; SIGTERM or Ctrl-C finish the email in hand and give the rest back."""
    stop = threading.Event()
    worker.stop_on_signals(stop)
    click.echo(f"Mail worker {worker_name()}: {worker.describe_delivery()}")
    worker.work(stop, click.echo)
    click.echo("Mail worker stopped.")


@mail.command("send-due")
def mail_send_due_command():
    """Deliver every email due now, once: a progress bar in a terminal, a line per batch otherwise."""
    stop = threading.Event()
    worker.stop_on_signals(stop)
    worker.run_periodic_jobs()
    due = count_due()
    click.echo(f"{due} email(s) due. {worker.describe_delivery()}")
    batch = current_app.config["MAIL_BATCH_SIZE"]
    if sys.stdout.isatty():
        with click.progressbar(length=due, label="Sending", show_pos=True) as bar:

            def advance(_report: DeliveryReport) -> None:
                bar.update(1)

            report = deliver_due(limit=due, should_stop=stop.is_set, on_progress=advance)
    else:

        def line(report: DeliveryReport) -> None:
            if report.done % batch == 0 or report.done == due:
                click.echo(f"{report.done} of {due}: {report.summary()}")

        report = deliver_due(limit=due, should_stop=stop.is_set, on_progress=line)
    click.echo(f"Done: {report.summary()}.")


@mail.command("queue-follow-ups")
def mail_queue_follow_ups_command():
    """Queue the follow-ups due now (people you met, no-shows, stay-connected); each goes out once. The mail
    worker runs this at the start of every pass; this command is for a cron without a worker."""
    click.echo(f"{queue_due_follow_ups()} follow-up email(s) queued.")
