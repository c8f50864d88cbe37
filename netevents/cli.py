"""Flask commands: demo data, mail delivery and the follow-ups job."""

import os
import secrets
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
from netevents.mail.services import deliver_queued

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


@click.group("mail")
def mail():
    """Mail that goes out on its own schedule."""


@mail.command("queue-follow-ups")
def mail_queue_follow_ups_command():
    """Queue the follow-ups due now (people you met, no-shows, stay-connected); each goes out once."""
    click.echo(f"{queue_due_follow_ups()} follow-up email(s) queued.")


def register(app: Flask) -> None:
    app.cli.add_command(mail)

    @app.cli.command("seed-demo")
    def seed_demo_command():
        """Create the demo organizer and event (once) and say how to sign in."""
        password = seed_demo()
        db.session.commit()
        base_url = current_app.config["BASE_URL"]
        if password is None:
            click.echo(
                f"Demo data exists. Sign in at {base_url}/organize as {DEMO_EMAIL} "
                f"(password in {current_app.instance_path}/demo-sign-in.txt)."
            )
            return
        note = current_app.instance_path + "/demo-sign-in.txt"
        with open(note, "w") as handle:
            handle.write(f"{DEMO_EMAIL}\n{password}\n")
        os.chmod(note, 0o600)
        click.echo(
            f"Demo organizer created. Sign in at {base_url}/organize\n"
            f"  email:    {DEMO_EMAIL}\n  password: {password}\n(also saved in {note})"
        )

    @app.cli.command("deliver-mail")
    def deliver_mail_command():
        """Deliver queued emails that were not delivered right after their commit."""
        click.echo(f"{deliver_queued()} email(s) delivered.")
