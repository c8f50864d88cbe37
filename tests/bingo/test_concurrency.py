"""Exchanges signing squares at the same instant, from real threads (each its own app context, session and
transaction), on SQLite and PostgreSQL alike (the suite runs on both): every card stays consistent."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from netevents.bingo.models import BingoSquare
from netevents.bingo.services import sign_square
from netevents.extensions import db
from tests.bingo.conftest import NINE_ACTIONS
from tests.people.conftest import badge

OTHERS = 8


def run_at_once(app, jobs):
    """Run each job in its own thread and app context, all released at the same moment."""
    db.session.commit()  # the test's own session must not hold SQLite's write lock while the threads write
    start = threading.Barrier(len(jobs))

    def run(job):
        with app.app_context():
            try:
                start.wait()
                return job()
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_many_exchanges_signing_one_card_at_once_leave_it_consistent(app, organizer, player):
    ada = player("Ada Lovelace")
    others = [player(f"Person {i}") for i in range(OTHERS)]
    organizer.start_round()  # nine actions on a 3x3 card: every action is on every card
    # Ada scans everyone, and everyone scans Ada, all at once; each exchange offers every square's action, so
    # Ada's scans race for the same squares and each must land on a square of its own.
    requests = [(ada.headers, other.registration) for other in others] + [
        (other.headers, ada.registration) for other in others
    ]
    bodies = [
        (headers, {"qr": badge(scanned), "nonce": f"at-once-{i}", "actions": list(NINE_ACTIONS)})
        for i, (headers, scanned) in enumerate(requests)
    ]

    def exchange(headers, body):
        return lambda: app.test_client().post("/api/v1/exchanges", headers=headers, json=body).status_code

    statuses = run_at_once(app, [exchange(headers, body) for headers, body in bodies])
    assert statuses == [200] * len(bodies)

    card = ada.card()
    signers = [s["signed_by"]["user_id"] for s in card["squares"] if s["signed"]]
    assert sorted(signers) == sorted(other.user.id for other in others)  # each person once, on a square each
    assert card["squares_signed"] == OTHERS
    for other in others:  # everyone else has one square, signed by Ada
        theirs = other.card()
        assert [s["signed_by"]["user_id"] for s in theirs["squares"] if s["signed"]] == [ada.user.id]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(BingoSquare)) == 2 * OTHERS


def test_one_exchange_signed_by_several_workers_at_once_signs_one_square(app, organizer, player, heard):
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    organizer.start_round()
    from netevents.bingo import receivers
    from netevents.signals import exchange_recorded

    # Recorded without bingo listening, then delivered by six workers at the same instant.
    exchange_recorded.disconnect(receivers.sign_bingo_square)
    try:
        with heard(exchange_recorded) as calls:
            ada.sign(bob, "introduced")
    finally:
        receivers.connect_signals()
    [(_sender, payload)] = calls
    fields = {
        key: payload[key] for key in ("exchange_id", "event_id", "scanner_id", "scanned_id", "actions", "scanned_at")
    }

    def deliver():
        position = sign_square(**fields)
        db.session.commit()
        return position

    positions = run_at_once(app, [deliver] * 6)
    assert len([p for p in positions if p is not None]) == 1, positions
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(BingoSquare)) == 1
    assert ada.card()["squares_signed"] == 1
