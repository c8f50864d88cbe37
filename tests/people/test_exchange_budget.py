"""Recording exchanges is limited per person (netevents/people/exchange_budget.py): a person scanning fast and a
phone syncing its offline queue never meet the limit; scanning junk to grow the tables does, and then nothing more
is written."""

from datetime import timedelta

from limits import parse
from sqlalchemy import func, select

from netevents.db import utcnow
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.people import exchange_budget
from netevents.people.models import Exchange
from netevents.people.schemas import MAX_EXCHANGE_BATCH
from tests.people.conftest import badge, nonce


def rows() -> tuple[int, int]:
    """Ledger entries and meetings; read and let go (the limited app's requests write on connections of their
    own)."""
    db.session.rollback()
    counted = (
        db.session.scalar(select(func.count()).select_from(LedgerEntry)),
        db.session.scalar(select(func.count()).select_from(Exchange)),
    )
    db.session.rollback()
    return counted


def test_a_fast_scanner_and_an_offline_queue_in_full_batches_are_never_limited(room, limited_client):
    ada = room["ada"]
    people = [badge(room["phone"](f"Person {i:02}").registration) for i in range(6)]
    db.session.commit()  # the limited app's requests have sessions of their own: the test's must not hold a lock

    def post(path, body):
        return limited_client.post(path, json=body, headers=ada.headers)

    # A person scanning someone every few seconds for a long evening: 60 scans, at once.
    for i in range(60):
        answer = post("/api/v1/exchanges", {"qr": people[i % 6], "nonce": nonce()})
        assert (answer.status_code, answer.json["result"]) == (200, "recorded"), answer.json
    # Then the phone's offline queue: two full batches, the second sent twice (its answer was lost on the way).
    start = utcnow() - timedelta(minutes=20)
    queue = [
        {"qr": people[i % 6], "nonce": f"offline-{i}", "scanned_at": (start + timedelta(seconds=i)).isoformat()}
        for i in range(2 * MAX_EXCHANGE_BATCH)
    ]
    for batch in (queue[:MAX_EXCHANGE_BATCH], queue[MAX_EXCHANGE_BATCH:], queue[MAX_EXCHANGE_BATCH:]):
        answer = post("/api/v1/exchanges/batch", {"exchanges": batch})
        assert answer.status_code == 200, answer.json
        assert {result["result"] for result in answer.json["results"]} == {"recorded"}


def test_past_the_limit_a_request_is_refused_whole_and_leaves_no_row(room, limited_client, monkeypatch):
    monkeypatch.setattr(exchange_budget, "LIMITS", (parse("5 per hour"), parse("8 per day")))
    ada, bob = room["ada"], room["bob"]
    own, bobs = badge(ada.registration), badge(bob.registration)
    db.session.commit()

    def exchange(qr, nonce_):
        return limited_client.post("/api/v1/exchanges", json={"qr": qr, "nonce": nonce_}, headers=ada.headers)

    # Refused exchanges count: each leaves its answer in the ledger (a resend gets the same answer).
    refused = [exchange(own, f"own-{i}") for i in range(4)]
    assert [answer.json["reason"] for answer in refused] == ["own_badge"] * 4
    assert exchange(bobs, "met-bob").json["result"] == "recorded"
    assert rows() == (5, 1)
    # The sixth is refused, and leaves nothing: no ledger entry, no meeting.
    sixth = exchange("junk-that-names-no-badge", "junk-1")
    assert sixth.status_code == 429, sixth.json
    assert sixth.json["reason"] == "too_many_exchanges"
    assert "5 an hour" in sixth.json["detail"] and "Nothing of this request was recorded" in sixth.json["detail"]
    assert 1 <= int(sixth.headers["Retry-After"]) <= 3600
    batch = limited_client.post(
        "/api/v1/exchanges/batch",
        json={"exchanges": [{"qr": bobs, "nonce": "batch-1"}, {"qr": "junk", "nonce": "batch-2"}]},
        headers=ada.headers,
    )
    assert (batch.status_code, batch.json["reason"]) == (429, "too_many_exchanges")
    assert rows() == (5, 1)
    # Exchanges already answered are answered again, at no cost: a phone resending its queue is not refused.
    again = exchange(bobs, "met-bob")
    assert (again.status_code, again.json["result"]) == (200, "recorded")
    assert exchange(own, "own-0").json["reason"] == "own_badge"
    # Each person has a budget of their own.
    bob_answer = limited_client.post("/api/v1/exchanges", json={"qr": own, "nonce": "bob-1"}, headers=bob.headers)
    assert (bob_answer.status_code, bob_answer.json["result"]) == (200, "recorded")
