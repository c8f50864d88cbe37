"""Ids, and the keys and UIDs built from them, never name two things: deleting a row and creating another
must not hand the new one the old id (SQLite does unless the table says AUTOINCREMENT)."""

from icalendar import Calendar
from sqlalchemy import Integer, text

from netevents.events.models import Event
from netevents.extensions import db
from tests.mail.reading import recipient


def generated_id_tables():
    """Every table whose primary key is one integer the database generates."""
    for table in db.metadata.sorted_tables:
        [*key] = table.primary_key.columns
        if len(key) == 1 and isinstance(key[0].type, Integer) and not key[0].foreign_keys:
            yield table


def test_every_table_with_a_generated_id_never_reuses_one(app):
    tables = list(generated_id_tables())
    assert len(tables) >= 13
    for table in tables:
        assert table.dialect_options["sqlite"]["autoincrement"] is True, f"{table.name}: use NEVER_REUSE_IDS"
    if db.engine.dialect.name == "sqlite":  # and the migrations built them so
        created = dict(db.session.execute(text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")).all())
        for table in tables:
            assert "AUTOINCREMENT" in created[table.name], f"{table.name} was migrated without AUTOINCREMENT"


def test_the_next_event_after_a_deleted_one_gets_a_new_id_and_its_cancellation_is_emailed(client, make, outbox):
    owner = make.user(name="Olivia Organizer")
    headers = make.token(owner)
    first = make.event(owner=owner, title="First Night")
    make.registration(first, name="Ada", email="ada@example.org")
    assert client.patch(f"/api/v1/events/{first.id}", headers=headers, json={"status": "cancelled"}).status_code == 200
    first_id = first.id
    first_uid = Calendar.from_ical(client.get(f"/api/v1/events/{first_id}/calendar.ics").data)
    assert client.delete(f"/api/v1/events/{first_id}", headers=headers).status_code == 204

    second = make.event(owner=owner, title="Second Night")
    assert second.id > first_id
    make.registration(second, name="Ada", email="ada@example.org")
    assert client.patch(f"/api/v1/events/{second.id}", headers=headers, json={"status": "cancelled"}).status_code == 200

    cancellations = sorted(m["Subject"] for m in outbox() if m["Subject"].startswith("Event cancelled"))
    assert cancellations == ["Event cancelled: First Night", "Event cancelled: Second Night"]
    [old] = first_uid.walk("VEVENT")
    [new] = Calendar.from_ical(client.get(f"/api/v1/events/{second.id}/calendar.ics").data).walk("VEVENT")
    assert str(old["uid"]) != str(new["uid"])


def test_the_calendar_uid_stays_the_same_for_one_event(client, make):
    event = make.event()

    def uid():
        [entry] = Calendar.from_ical(client.get(f"/api/v1/events/{event.id}/calendar.ics").data).walk("VEVENT")
        return str(entry["uid"])

    before = uid()
    client.patch(f"/api/v1/events/{event.id}", headers=make.token(event.owner), json={"title": "Renamed"})
    db.session.expire_all()
    assert uid() == before and before.startswith(f"event-{event.id}-")


def test_a_co_organizer_removed_and_added_again_is_invited_again(client, make, outbox):
    event = make.event()
    headers = make.token(event.owner)
    for _ in range(2):
        added = client.post(
            f"/api/v1/events/{event.id}/organizers", headers=headers, json={"email": "cora@example.org"}
        )
        assert added.status_code == 201
        removed = client.delete(f"/api/v1/events/{event.id}/organizers/{added.json['user_id']}", headers=headers)
        assert removed.status_code == 204
    invitations = [m for m in outbox() if recipient(m) == "cora@example.org"]
    assert len(invitations) == 2


def test_a_deleted_event_id_is_not_given_to_the_next_event(make):
    event = make.event()
    old_id = event.id
    db.session.delete(db.session.get(Event, old_id))
    db.session.commit()
    assert make.event().id == old_id + 1
