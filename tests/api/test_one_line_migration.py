"""Titles and names stored before input was checked lose their control characters on upgrade (migration
c4f1a9e2d7b3), so none reaches an email or the door's screen. Run on a scratch database of the suite's kind."""

from flask_migrate import upgrade
from sqlalchemy import column, insert, select, table, text

from netevents import config, create_app
from netevents.checkin.models import Station
from netevents.db import utcnow
from netevents.events.models import Event
from netevents.extensions import db
from netevents.registrations.models import Registration
from tests.conftest import Factory
from tests.people.test_migration import scratch_url  # noqa: F401  (a fixture)

BEFORE = "7b1e5c9d3a20"  # bingo, the head before it


def test_one_line_text_loses_its_control_characters(app, scratch_url, tmp_path):  # noqa: F811
    scratch = create_app(config.TestConfig(tmp_path / "instance", scratch_url))
    with scratch.app_context():
        upgrade(revision=BEFORE)
        make = Factory()  # the services take any text: only the API's schemas check it
        owner = make.user(name="Olivia\r\nOrganizer")
        event = make.event(owner, title="Night\nBcc: victim@example.org", venue="Hall\tA")
        # In SQL: today's registration and outbox have columns that schema does not have yet.
        db.session.execute(
            text(
                "INSERT INTO registration (event_id, user_id, status, source, name, email, headline, company, "
                "badge_secret, inside, created_at, updated_at) VALUES (:event_id, :user_id, 'confirmed', 'online', "
                ":name, 'ada@example.org', :headline, 'Plain', 'secret-0123456789abcdef', false, :now, :now)"
            ),
            {
                "event_id": event.id,
                "user_id": owner.id,
                "name": "Ada\x07Lovelace",
                "headline": "Line\u2028Separator",
                "now": event.created_at,
            },
        )
        # The station table of that revision, without the columns added since (a poster's kind and secret).
        old_station = table("station", column("event_id"), column("name"), column("created_at"))
        db.session.execute(insert(old_station).values(event_id=event.id, name="Door\x1b[31m", created_at=utcnow()))
        db.session.commit()
        upgrade()
        db.session.expire_all()
        event = db.session.scalars(select(Event)).one()
        registration = db.session.scalars(select(Registration)).one()
        assert (event.title, event.venue, event.owner.name) == (
            "Night Bcc: victim@example.org",
            "Hall A",
            "Olivia Organizer",
        )
        assert (registration.name, registration.headline, registration.company) == (
            "Ada Lovelace",
            "Line Separator",
            "Plain",
        )
        assert db.session.scalars(select(Station.name)).one() == "Door [31m"
        db.session.remove()
        db.engine.dispose()
