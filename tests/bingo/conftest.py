"""A meetup under way with an organizer and attendees' phones; bingo set up and played through the API."""

from datetime import timedelta

import pytest

from netevents.db import utcnow
from netevents.people.actions import STANDARD_ACTIONS
from tests.people.conftest import Phone

#: Four of the event's own, so that with the five standard actions a 3x3 card has its nine.
OWN_ACTIONS = ("swapped_cards", "found_shared_topic", "talked_careers", "shared_a_tool")
NINE_ACTIONS = (*STANDARD_ACTIONS, *OWN_ACTIONS)


class Organizer:
    def __init__(self, client, headers, event):
        self.client = client
        self.headers = headers
        self.event = event
        self.base = f"/api/v1/events/{event.id}/bingo"

    def setup(self, **body):
        return self.client.put(self.base, headers=self.headers, json=body)

    def start(self, **body):
        return self.client.post(f"{self.base}/rounds", headers=self.headers, json=body)

    def start_round(self, actions=NINE_ACTIONS, size=3, **body) -> dict:
        """Set the card up and start a round; the round."""
        configured = self.setup(actions=list(actions), size=size)
        assert configured.status_code == 200, configured.json
        started = self.start(**body)
        assert started.status_code == 201, started.json
        return started.json

    def end(self, round_id):
        return self.client.post(f"{self.base}/rounds/{round_id}/end", headers=self.headers)

    def get(self, path="", **query):
        return self.client.get(f"{self.base}{path}", headers=self.headers, query_string=query)


class Player(Phone):
    """An attendee's phone, which also shows their bingo card."""

    def card(self, **query) -> dict:
        response = self.get(f"/api/v1/events/{self.registration.event_id}/bingo/card", query_string=query)
        assert response.status_code == 200, response.json
        return response.json

    def leaderboard(self, **query) -> dict:
        response = self.get(f"/api/v1/events/{self.registration.event_id}/bingo/leaderboard", query_string=query)
        assert response.status_code == 200, response.json
        return response.json

    def sign(self, other, action, **fields):
        """Scan `other` with one action; the exchange's answer."""
        response = self.exchange(other.registration, actions=[action], **fields)
        assert response.status_code == 200 and response.json["result"] == "recorded", response.json
        return response.json


def squares_by_action(card: dict) -> dict[str, dict]:
    return {square["action"]: square for square in card["squares"]}


def actions_at(card: dict, positions) -> list[str]:
    return [card["squares"][position]["action"] for position in positions]


@pytest.fixture
def event_now(make):
    """A published meetup that started half an hour ago."""
    start = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    return make.event(starts_at=start, ends_at=start + timedelta(hours=3))


@pytest.fixture
def organizer(client, make, event_now):
    return Organizer(client, make.token(event_now.owner), event_now)


@pytest.fixture
def player(client, make, event_now):
    """`player("Ada Lovelace", company=...)`: a confirmed attendee's phone."""

    def new(name, **profile):
        email = f"{name.replace(' ', '.').lower()}@example.org"
        return Player(client, make, make.registration(event_now, name=name, email=email, **profile))

    return new
