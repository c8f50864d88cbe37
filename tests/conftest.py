"""Fixtures: one migrated database per run (SQLite, or PostgreSQL when NETEVENTS_TEST_DATABASE_URL
is set), emptied after every test, and factories for people, events and registrations."""

import mailbox
import os
import shutil
import uuid
from contextlib import contextmanager
from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from netevents import create_app
from netevents.accounts.services import issue_access_token, sign_up
from netevents.config import TestConfig
from netevents.db import utcnow
from netevents.events.models import EventKind, EventStatus
from netevents.events.services import create_event
from netevents.extensions import db
from netevents.mail.delivery import DeliveryReport, deliver_due
from netevents.registrations.services import register
from tests.answer_rules import check_answer

CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    postgres = os.environ.get("NETEVENTS_TEST_DATABASE_URL")
    if not postgres:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    # A database of our own on that server, created and dropped by this run.
    server = make_url(postgres.replace("postgresql://", "postgresql+psycopg://"))
    name = f"netevents_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def instance_path(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("instance")


@pytest.fixture(scope="session")
def _migrated_app(database_url, instance_path):
    app = create_app(TestConfig(instance_path, database_url))
    with app.app_context():
        upgrade()  # the real migrations, so a model without a migration fails the suite
    yield app
    with app.app_context():
        db.engine.dispose()


def _empty_database() -> None:
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


class RequestClient(FlaskClient):
    """A test client whose requests start from what the test has committed, as a real request would.

    Tests run inside an app context and the client's requests reuse it, so the test and its requests share
    one ORM session. Outside a request every transaction takes SQLite's write lock, so the test's open one is
    committed first: the request would otherwise wait for it.

    Every answer is checked against tests/answer_rules.py (headers, problem titles...) on the way back.
    """

    def open(self, *args, **kwargs):
        if has_app_context() and db.session().in_transaction():
            db.session.commit()
        response = super().open(*args, **kwargs)
        check_answer(response)
        if response.is_json:
            # As a server does once it has sent an answer, close it: work a view left for after the response
            # (netevents/after_response.py) is done before the test reads on. Downloads stay streamed.
            response.make_sequence()
            response.close()
        return response


@pytest.fixture
def app(_migrated_app, instance_path):
    _migrated_app.test_client_class = RequestClient
    with _migrated_app.app_context():
        yield _migrated_app
        db.session.rollback()
        _empty_database()
        db.session.remove()
    shutil.rmtree(instance_path / "mail", ignore_errors=True)


@pytest.fixture
def heard():
    """`with heard(signal) as calls:` collects the (sender, payload) pairs `signal`'s receivers are sent."""

    @contextmanager
    def listening(signal):
        calls = []

        def receiver(sender, **payload):
            calls.append((sender, payload))

        with signal.connected_to(receiver):
            yield calls

    return listening


@pytest.fixture
def client(app):
    return app.test_client()


def deliver_mail(**options) -> DeliveryReport:
    """What a mail worker would do by now: commit what the test wrote (as its request would have), then one
    delivery pass (netevents/mail/delivery.py; into the Maildir unless a test set an SMTP server)."""
    if db.session().in_transaction():
        db.session.commit()
    return deliver_due(**options)


@pytest.fixture
def outbox(app):
    """The emails delivered so far (a worker's pass is run first), parsed, oldest first."""

    def read():
        deliver_mail()
        path = app.config["MAILDIR_PATH"]
        if not path.exists():
            return []
        messages = [message_from_bytes(m.as_bytes(), policy=policy.default) for m in mailbox.Maildir(path).values()]
        return sorted(messages, key=lambda m: m["Date"])

    return read


class Factory:
    """Builds what tests need through the real services, committing like a request would."""

    def __init__(self):
        self.count = 0

    def user(self, name="Ada Lovelace", email=None, password="correct horse battery"):
        self.count += 1
        user, _ = sign_up(email or f"person{self.count}@example.org", password, name)
        db.session.commit()
        return user

    def token(self, user) -> dict:
        token = issue_access_token(user)
        db.session.commit()
        return {"Authorization": f"Bearer {token}"}

    def event(self, owner=None, **fields):
        owner = owner or self.user(name="Olivia Organizer")
        start = utcnow().replace(microsecond=0) + timedelta(days=3)
        data = {
            "kind": EventKind.meetup,
            "title": "Platform Engineering Night",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "timezone": "Europe/Berlin",
            "venue": "Hall A",
            "status": EventStatus.published,
        }
        data.update(fields)
        event = create_event(owner, data)
        db.session.commit()
        return event

    def registration(self, event, name=None, email=None, notify=True, **data):
        self.count += 1
        registration = register(
            event.id,
            {"name": name or f"Attendee {self.count}", "email": email or f"attendee{self.count}@example.org", **data},
            signed_in=None,
            notify=notify,
        )
        db.session.commit()
        return registration


@pytest.fixture
def make(app):
    return Factory()
