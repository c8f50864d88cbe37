"""One definition of who came (registrations/attended.py): the Results figures, the no-show list, the network and
the follow-ups count the same people, also at a meetup whose door scanned nobody."""

from netevents.follow_ups.services import queue_due_follow_ups
from tests.follow_ups.conftest import AFTER, queued


def _get(client, headers, path, **query):
    answer = client.get(f"/api/v1{path}", headers=headers, query_string=query)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_results_no_shows_network_and_follow_ups_agree_on_who_came(client, make, meetup):
    event, person = meetup
    # No door station: nobody was scanned in, but three people met in the room.
    ada, bob, cy = (person(name, came=False) for name in ("Ada Lovelace", "Bob Builder", "Cy Young"))
    person("Ola Organised")  # checked in (by an organizer, say), met nobody: she came too
    person("Ned Noshow", came=False)
    assert ada.exchange(bob.registration).status_code == 200
    assert cy.exchange(ada.registration).status_code == 200
    organizer = make.token(event.owner)

    attendance = _get(client, organizer, f"/events/{event.id}/attendance")
    network = _get(client, organizer, f"/events/{event.id}/network")
    follow_up = _get(client, organizer, f"/events/{event.id}/follow-up")
    no_shows = _get(client, organizer, f"/events/{event.id}/registrations", status="confirmed", came="false")
    came = _get(client, organizer, f"/events/{event.id}/registrations", status="confirmed", came="true")

    assert (attendance["registered"], attendance["checked_in"]) == (5, 1)  # the door's own figure stays
    assert (attendance["came"], attendance["no_shows"]) == (4, 1)
    assert network["numbers"]["attended"] == 4
    assert sum(dot["attended"] for dot in network["dots"]) == 4
    assert follow_up["recipients"] == {"people_you_met": 4, "missed_you": 1, "opted_out": 0}
    assert [r["name"] for r in no_shows["items"]] == ["Ned Noshow"]
    assert came["total"] == 4

    assert queue_due_follow_ups(event.ends_at + AFTER) == 5
    subjects = {address: message["Subject"] for address, message in queued().items()}
    assert [address for address, subject in subjects.items() if subject.startswith("Sorry")] == ["ned@example.org"]
    assert sum(subject.startswith("The people you met") for subject in subjects.values()) == 4


def test_the_live_figures_add_up_to_the_registered(client, make, meetup):
    """The Live tab's tiles: checked in + met someone without checking in + not arrived yet = registered."""
    event, person = meetup
    ada, bob, cy = (person(name, came=False) for name in ("Ada Lovelace", "Bob Builder", "Cy Young"))
    person("Ola Organised")  # checked in, met nobody
    dee = person("Dee Doorway")  # checked in, then met someone not checked in
    person("Ned Noshow", came=False)
    assert ada.exchange(bob.registration).status_code == 200
    assert dee.exchange(cy.registration).status_code == 200

    figures = _get(client, make.token(event.owner), f"/events/{event.id}/attendance")

    assert (figures["registered"], figures["checked_in"], figures["came"]) == (6, 2, 5)
    assert (figures["met_without_check_in"], figures["no_shows"]) == (3, 1)
    assert figures["checked_in"] + figures["met_without_check_in"] + figures["no_shows"] == figures["registered"]


def test_the_api_description_says_what_came_means(client):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path, method in (
        ("/api/v1/events/{event_id}/attendance", "get"),
        ("/api/v1/events/{event_id}/network", "get"),
        ("/api/v1/events/{event_id}/follow-up", "get"),
    ):
        assert "met someone at the event" in paths[path][method]["description"], path
