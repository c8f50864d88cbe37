"""The follow-up job reads a chunk of people's connections at once: the same views as one by one, in a fixed number
of queries however many people the chunk holds."""

from sqlalchemy import event as sa_event
from sqlalchemy import select

from netevents.accounts.models import User, Visibility
from netevents.extensions import db
from netevents.people.chunks import connections_at_event_for_each
from netevents.people.connections import my_connections
from netevents.people.models import ConnectionSide
from netevents.people.relations import relation_to, relations_at_event
from netevents.registrations.models import Registration


def test_a_chunk_sees_each_person_as_one_by_one_blocks_removals_and_hidden_details_included(client, make, meetup):
    event, person = meetup
    ada = person("Ada Lovelace", company="Analytical")
    bob = person("Bob Builder", company="Cranes")
    cy = person("Cy Young", headline="Pitcher")
    mal = person("Mal Icious")
    dee = person("Dee Dorman")
    ada.exchange(bob.registration, note="Ask about cranes", actions=["asked_advice"])
    cy.exchange(ada.registration)
    bob.exchange(cy.registration)
    ada.exchange(mal.registration)
    mal.exchange(dee.registration)
    dee.exchange(bob.registration)
    blocked = client.post("/api/v1/me/blocks", headers=mal.headers, json={"user_id": ada.user.id})
    assert blocked.status_code in (200, 201), blocked.json
    # Dee removed Bob from her list: Bob still has his side, but no longer a connection of hers.
    removed = client.delete(f"/api/v1/me/connections/{_connection_of(dee, bob)}", headers=dee.headers)
    assert removed.status_code == 204, removed.json
    cy.user.sharing = {"headline": Visibility.connections}
    bob.user.sharing = {"company": Visibility.nobody}
    # Ada organizes another event Cy registered for: she is also Cy's organizer.
    other = make.event(ada.user, title="Ada's own meetup")
    make.registration(other, name="Cy Young", email="cy@example.org")
    db.session.commit()

    users = list(db.session.scalars(select(User).join(Registration).where(Registration.event_id == event.id)))
    batch = connections_at_event_for_each(users, event.id)

    assert set(batch) == {user.id for user in users}
    for user in users:
        assert batch[user.id] == my_connections(user, event_id=event.id), user.name
    names = {user.name: [view.other.name for view in batch[user.id]] for user in users}
    assert sorted(names["Ada Lovelace"]) == ["Bob Builder", "Cy Young"]  # Mal blocked her
    assert "Ada Lovelace" not in names["Mal Icious"]
    assert "Bob Builder" not in names["Dee Dorman"]
    ada_sees = {view.other.name: view.other for view in batch[ada.user.id]}
    assert ada_sees["Bob Builder"].company is None and ada_sees["Cy Young"].headline == "Pitcher"

    # The suggestions' relations of a chunk (at this event and at Ada's own), the same as one by one.
    pairs = [(one.id, other.id) for one in users for other in users]
    for event_id in (event.id, other.id):
        at_once = relations_at_event(pairs, event_id)
        for viewer_id, person_id in pairs:
            assert at_once[viewer_id, person_id] == relation_to(viewer_id, person_id, event_id=event_id)


def test_a_chunk_is_read_in_the_same_number_of_queries_whatever_its_size(meetup):
    event, person = meetup
    people = [person(f"P{number:02} Person") for number in range(12)]
    for number, phone in enumerate(people):
        for other in people[number + 1 : number + 4]:
            phone.exchange(other.registration)
    db.session.commit()
    users, event_id = [phone.user for phone in people], event.id
    statements: list[str] = []

    def count(*_args):
        statements.append("")

    def queries_for(people: list[User]) -> int:
        chunk = list(db.session.scalars(select(User).where(User.id.in_([user.id for user in people]))))
        statements.clear()
        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            views = connections_at_event_for_each(chunk, event_id)
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        assert all(views[user.id] for user in chunk)
        return len(statements)

    assert queries_for(users[:2]) == queries_for(users) == 7


def _connection_of(phone, other) -> int:
    return db.session.scalar(
        select(ConnectionSide.connection_id).where(
            ConnectionSide.user_id == phone.user.id, ConnectionSide.other_id == other.user.id
        )
    )
