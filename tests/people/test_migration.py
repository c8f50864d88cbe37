"""The sharing migration keeps each person's choice: contact_sharing becomes the email's and links' visibility,
and comes back from the email's on a downgrade. Run on a scratch database of the suite's kind."""

import uuid

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from netevents import config, create_app
from netevents.extensions import db

BEFORE = "5c1e7a0d2b94"  # the ledger, before people


@pytest.fixture
def scratch_url(database_url, tmp_path):
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'scratch.db'}"
        return
    server = make_url(database_url)
    name = f"netevents_scratch_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield server.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_contact_sharing_becomes_a_choice_per_detail_and_back(app, scratch_url, tmp_path):
    scratch = create_app(config.TestConfig(tmp_path / "instance", scratch_url))
    with scratch.app_context():
        upgrade(revision=BEFORE)
        db.session.execute(
            text(
                "INSERT INTO user_account (email, name, headline, company, topics, mentoring_offered, mentoring_sought, "
                "links, contact_sharing, directory_opt_in, created_at, updated_at) VALUES "
                + ", ".join(
                    f"('{choice}@example.org', 'P', '', '', '[]', '[]', '[]', '[]', '{choice}', false, "
                    "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
                    for choice in ("public", "connections", "nobody")
                )
            )
        )
        db.session.commit()
        upgrade()
        after = db.session.execute(
            text(
                "SELECT email, phone, email_visibility, links_visibility, phone_visibility, company_visibility, "
                "headline_visibility FROM user_account ORDER BY id"
            )
        ).all()
        db.session.commit()
        assert [tuple(row) for row in after] == [
            ("public@example.org", "", "everyone", "everyone", "connections", "everyone", "everyone"),
            ("connections@example.org", "", "connections", "connections", "connections", "everyone", "everyone"),
            ("nobody@example.org", "", "nobody", "nobody", "connections", "everyone", "everyone"),
        ]
        downgrade(revision=BEFORE)
        back = db.session.execute(text("SELECT email, contact_sharing FROM user_account ORDER BY id")).all()
        db.session.commit()
        assert [tuple(row) for row in back] == [
            ("public@example.org", "public"),
            ("connections@example.org", "connections"),
            ("nobody@example.org", "nobody"),
        ]
        db.session.remove()
        db.engine.dispose()
