import itertools
import re
from datetime import timedelta

import pytest

from netevents import create_app
from netevents.config import TestConfig as AppTestConfig
from netevents.db import utcnow
from netevents.extensions import db, limiter

_nonces = itertools.count(1)


def nonce() -> str:
    return f"x-{next(_nonces)}"


def badge(registration) -> str:
    """The badge's QR text, as a phone camera reads it."""
    return f"http://testserver/b/{registration.badge_secret}"


class Phone:
    """A signed-in attendee's phone in the room: it scans other people's badges."""

    def __init__(self, client, make, registration):
        self.client = client
        self.registration = registration
        self.user = registration.user
        self.headers = make.token(registration.user)

    def exchange(self, other, **fields):
        body = {
            "qr": badge(other) if not isinstance(other, str) else other,
            "nonce": fields.pop("nonce", None) or nonce(),
            **fields,
        }
        return self.client.post("/api/v1/exchanges", json=body, headers=self.headers)

    def batch(self, exchanges):
        return self.client.post("/api/v1/exchanges/batch", json={"exchanges": exchanges}, headers=self.headers)

    def get(self, path, **kwargs):
        return self.client.get(path, headers=self.headers, **kwargs)

    def connections(self, **query):
        response = self.get("/api/v1/me/connections", query_string=query)
        assert response.status_code == 200, response.json
        return response.json["items"]


@pytest.fixture
def event_now(make):
    """A published meetup that started half an hour ago."""
    start = utcnow().replace(microsecond=0) - timedelta(minutes=30)
    return make.event(starts_at=start, ends_at=start + timedelta(hours=3))


@pytest.fixture
def room(client, make, event_now):
    """Ada and Bob, confirmed for the meetup, each with their phone."""

    def phone(name, email=None, **profile):
        email = email or f"{'.'.join(re.findall(r'[a-z0-9]+', name.lower()))}@example.org"
        return Phone(client, make, make.registration(event_now, name=name, email=email, **profile))

    ada = phone("Ada Lovelace", headline="Staff engineer", company="Analytical")
    bob = phone("Bob Builder", headline="SRE", company="Cranes")
    return {"event": event_now, "ada": ada, "bob": bob, "phone": phone}


@pytest.fixture
def limited_client(database_url, instance_path, monkeypatch):
    """A client of an app with rate limiting on (the test app has it off), on the same database."""
    settings = AppTestConfig(instance_path, database_url)
    settings.RATELIMIT_ENABLED = True
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)  # the extension object is shared: put it back after
    limited = create_app(settings)
    limiter.reset()
    yield limited.test_client()
    limiter.reset()
    with limited.app_context():
        db.engine.dispose()
