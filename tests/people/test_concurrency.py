"""Two people scanning each other at the same instant make one connection: real threads, each with its own app
context, session and transaction, on SQLite and PostgreSQL alike (the suite runs on both)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from netevents.extensions import db
from netevents.people.models import Connection, ConnectionSide, Exchange
from tests.people.conftest import badge

PAIRS = 6


def test_pairs_scanning_each_other_at_the_same_instant_make_one_connection_each(app, room):
    phones = [room["phone"](f"Person {i}") for i in range(2 * PAIRS)]
    # (headers, body) of both directions of each pair, made here: the threads must not touch this session's
    # objects (loading one would start a transaction of this thread's session from theirs).
    scans = []
    for i in range(PAIRS):
        one, other = phones[2 * i], phones[2 * i + 1]
        for scanner, scanned in ((one, other), (other, one)):
            scans.append(
                (
                    scanner.headers,
                    {"qr": badge(scanned.registration), "nonce": "same-instant", "actions": ["introduced"]},
                )
            )
    db.session.commit()  # the test's own session must not hold SQLite's write lock while the threads write
    start = threading.Barrier(len(scans))

    def scan(request):
        headers, body = request
        with app.app_context():
            client = app.test_client()
            start.wait()
            response = client.post("/api/v1/exchanges", headers=headers, json=body)
            db.session.remove()
            return response.status_code, response.json

    with ThreadPoolExecutor(max_workers=len(scans)) as pool:
        answers = list(pool.map(scan, scans))
    assert [status for status, _ in answers] == [200] * len(scans), answers
    assert {answer["result"] for _, answer in answers} == {"recorded"}
    for i in range(PAIRS):
        (_, mine), (_, theirs) = answers[2 * i], answers[2 * i + 1]
        assert mine["connection_id"] == theirs["connection_id"]
        assert sorted([mine["new"], theirs["new"]]) == [False, True]  # exactly one of them made it
    db.session.rollback()
    count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
    assert (count(Connection), count(ConnectionSide), count(Exchange)) == (PAIRS, 2 * PAIRS, 2 * PAIRS)
    for phone in phones:
        [connection] = phone.connections()
        assert (connection["i_scanned"], connection["scanned_me"], connection["tags"]) == (True, True, ["introduced"])


def test_one_persons_copies_of_an_exchange_racing_are_recorded_once(app, room):
    ada, bob = room["ada"], room["bob"]
    body = {"qr": badge(bob.registration), "nonce": "resent", "note": "once"}
    db.session.commit()
    start = threading.Barrier(6)

    def send(_copy):
        with app.app_context():
            client = app.test_client()
            start.wait()
            response = client.post("/api/v1/exchanges", headers=ada.headers, json=body)
            db.session.remove()
            return response.json

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(send, range(6)))
    assert len({answer["id"] for answer in answers}) == 1 and all(a["result"] == "recorded" for a in answers)
    [connection] = ada.connections()
    assert connection["note"] == "once" and len(connection["meetings"]) == 1
