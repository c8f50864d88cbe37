"""Squares are signed by real exchanges (POST /api/v1/exchanges) through `exchange_recorded`, during the round only,
at most one square per person met, the same exchange never twice; and nothing bingo does can fail an exchange."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select

from netevents.bingo import receivers
from netevents.bingo.models import BingoSquare
from netevents.db import utcnow
from netevents.extensions import db
from netevents.people.exchanges import MEETINGS_PER_EVENT
from netevents.people.models import Exchange
from netevents.signals import exchange_recorded
from tests.bingo.conftest import actions_at, squares_by_action


def signed(card: dict) -> dict[str, str]:
    """action -> the name of who signed it, for the card's signed squares."""
    return {s["action"]: s["signed_by"]["name"] for s in card["squares"] if s["signed"]}


def square_count() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(BingoSquare))


def test_an_exchange_with_a_squares_action_signs_it_with_the_person_met(organizer, player):
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    round_ = organizer.start_round()
    scanned_at = datetime.fromisoformat(round_["started_at"]) + timedelta(seconds=1)
    ada.sign(bob, "asked_advice", scanned_at=scanned_at.isoformat())
    card = ada.card()
    square = squares_by_action(card)["asked_advice"]
    assert (square["signed"], square["signed_by"]) == (True, {"user_id": bob.user.id, "name": "Bob Builder"})
    assert datetime.fromisoformat(square["signed_at"]) == scanned_at
    assert (card["squares_signed"], card["lines"], card["bingo"], card["bingo_at"]) == (1, [], False, None)
    assert card["user_id"] == ada.user.id
    # The scanner's card: Bob tags his own scans.
    assert bob.card()["squares_signed"] == 0


def test_each_person_signs_one_square_of_a_card(organizer, player):
    ada, bob, cy = player("Ada Lovelace"), player("Bob Builder"), player("Cy Young")
    organizer.start_round()
    ada.sign(bob, "introduced")
    ada.sign(bob, "offered_help")  # Bob again: his one square is signed already
    assert signed(ada.card()) == {"introduced": "Bob Builder"}
    # Several actions in one exchange sign one square.
    answer = ada.exchange(cy.registration, actions=["mentoring", "shared_knowledge"])
    assert answer.json["result"] == "recorded"
    card = signed(ada.card())
    assert len(card) == 2 and card["introduced"] == "Bob Builder"
    assert "Cy Young" in card.values() and {"mentoring", "shared_knowledge"} & card.keys()


def test_a_signed_square_is_not_signed_again_but_another_action_of_the_exchange_is(organizer, player):
    ada, bob, cy = player("Ada Lovelace"), player("Bob Builder"), player("Cy Young")
    organizer.start_round()
    ada.sign(bob, "introduced")
    ada.sign(cy, "introduced")  # taken: Cy signs nothing
    assert signed(ada.card()) == {"introduced": "Bob Builder"}
    ada.exchange(cy.registration, actions=["introduced", "talked_careers"])
    assert signed(ada.card()) == {"introduced": "Bob Builder", "talked_careers": "Cy Young"}


def test_exchanges_without_an_action_of_the_card_sign_nothing(organizer, player):
    ada, bob, cy = player("Ada Lovelace"), player("Bob Builder"), player("Cy Young")
    organizer.setup(actions=[*(f"a{i}" for i in range(9)), "rare_action"])
    organizer.start()
    card = ada.card()
    missing = ({f"a{i}" for i in range(9)} | {"rare_action"}) - {s["action"] for s in card["squares"]}
    [not_on_card] = missing  # ten in the pool, nine on a card
    ada.sign(bob, not_on_card)
    ada.exchange(cy.registration)  # no action at all
    assert ada.card()["squares_signed"] == 0


def test_exchanges_scanned_outside_the_round_sign_nothing(organizer, player):
    ada, bob, cy, di = (player(n) for n in ("Ada Lovelace", "Bob Builder", "Cy Young", "Di Ford"))
    organizer.setup(actions=[*(f"a{i}" for i in range(9))])
    before = utcnow() - timedelta(minutes=5)
    round_ = organizer.start().json
    ada.sign(bob, "a0", scanned_at=before.isoformat())  # synced during the round, scanned before it
    assert organizer.end(round_["id"]).status_code == 200
    ada.sign(cy, "a1")  # after the round ended early
    assert ada.card()["squares_signed"] == 0
    # The next round counts only its own exchanges.
    organizer.start()
    ada.sign(di, "a2")
    assert signed(ada.card()) == {"a2": "Di Ford"}
    assert ada.card(round_id=round_["id"])["squares_signed"] == 0


def test_an_offline_exchange_made_during_the_round_counts_when_synced_after_it(organizer, player):
    ada, bob, cy = player("Ada Lovelace"), player("Bob Builder"), player("Cy Young")
    organizer.setup(actions=[*(f"a{i}" for i in range(9))])
    round_ = organizer.start().json
    during = datetime.fromisoformat(round_["started_at"])  # a round includes its first instant
    organizer.end(round_["id"])
    after = utcnow() + timedelta(seconds=1)
    synced = ada.batch(
        [
            {
                "qr": f"http://testserver/b/{bob.registration.badge_secret}",
                "nonce": "q1",
                "scanned_at": during.isoformat(),
                "actions": ["a3"],
            },
            {
                "qr": f"http://testserver/b/{cy.registration.badge_secret}",
                "nonce": "q2",
                "scanned_at": after.isoformat(),
                "actions": ["a4"],
            },
        ]
    )
    assert [r["result"] for r in synced.json["results"]] == ["recorded", "recorded"]
    card = ada.card(round_id=round_["id"])
    assert signed(card) == {"a3": "Bob Builder"}
    assert datetime.fromisoformat(squares_by_action(card)["a3"]["signed_at"]) == during


def test_a_row_a_column_and_a_diagonal_are_detected_with_when_they_were_completed(organizer, player):
    ada = player("Ada Lovelace")
    others = [player(f"Person {i}") for i in range(9)]
    organizer.start_round()
    card = ada.card()
    start = datetime.fromisoformat(card["round"]["started_at"])
    # Diagonal 0, 4, 8 at seconds 1-3; then the rest of the middle row (3, 5) and column (1, 7).
    order = [0, 4, 8, 3, 5, 1, 7]
    for second, (position, other) in enumerate(zip(order, others, strict=False), start=1):
        [action] = actions_at(card, [position])
        ada.sign(other, action, scanned_at=(start + timedelta(seconds=second)).isoformat())
    card = ada.card()
    lines = [(line["kind"], line["index"], datetime.fromisoformat(line["completed_at"])) for line in card["lines"]]
    assert lines == [
        ("diagonal", 0, start + timedelta(seconds=3)),
        ("row", 1, start + timedelta(seconds=5)),
        ("column", 1, start + timedelta(seconds=7)),
    ]
    assert (card["bingo"], datetime.fromisoformat(card["bingo_at"]), card["squares_signed"]) == (
        True,
        start + timedelta(seconds=3),
        7,
    )
    # The other diagonal needs 2 and 6.
    for position, other in zip([2, 6], others[7:], strict=True):
        ada.sign(other, actions_at(card, [position])[0])
    kinds = {(line["kind"], line["index"]) for line in ada.card()["lines"]}
    assert {("diagonal", 1), ("row", 0), ("row", 2), ("column", 0), ("column", 2)} <= kinds


def test_the_signal_delivered_twice_signs_once(organizer, player, heard):
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    organizer.start_round()
    with heard(exchange_recorded) as calls:
        ada.sign(bob, "introduced")
    [(sender, payload)] = calls
    assert payload["scanned_at"].tzinfo is not None  # the scan time travels with the announcement
    db.session.rollback()
    for _again in range(2):
        exchange_recorded.send(sender, **payload)  # a second worker, or a redelivery
        db.session.commit()
    assert square_count() == 1
    assert signed(ada.card()) == {"introduced": "Bob Builder"}


def test_a_failing_bingo_never_fails_or_undoes_the_exchange(organizer, player, monkeypatch, caplog):
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    organizer.start_round()

    def broken(**_payload):
        db.session.execute(select(1))
        raise RuntimeError("bingo is broken")

    monkeypatch.setattr(receivers, "sign_square", broken)
    with caplog.at_level(logging.ERROR, logger="netevents.signals"):
        answer = ada.exchange(bob.registration, actions=["introduced"])
    assert answer.status_code == 200 and answer.json["result"] == "recorded", answer.json
    assert "sign_bingo_square" in caplog.text and "bingo is broken" in caplog.text
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Exchange)) == 1
    assert [c["other"]["name"] for c in ada.connections()] == ["Bob Builder"]
    assert square_count() == 0


def test_bingo_follows_exchanges_only_through_the_signal(organizer, player):
    """Disconnected, exchanges still work and sign nothing: the exchange code does not call bingo."""
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    organizer.start_round()
    exchange_recorded.disconnect(receivers.sign_bingo_square)
    try:
        assert ada.exchange(bob.registration, actions=["introduced"]).json["result"] == "recorded"
    finally:
        receivers.connect_signals()
    assert square_count() == 0


def test_past_the_meetings_cap_a_scan_in_a_round_still_signs_and_the_meeting_moves_to_its_time(organizer, player):
    """Past MEETINGS_PER_EVENT scans of one person, a scan's actions join the last meeting: that meeting then takes
    the scan's time, so the round it was made in counts it and its square is signed."""
    ada, bob = player("Ada Lovelace"), player("Bob Builder")
    before = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    answers = [
        ada.exchange(bob.registration, scanned_at=(before + timedelta(seconds=n)).isoformat()).json
        for n in range(MEETINGS_PER_EVENT)
    ]
    round_ = organizer.start_round()
    scanned_at = datetime.fromisoformat(round_["started_at"]) + timedelta(seconds=1)
    tagged = ada.sign(bob, "asked_advice", scanned_at=scanned_at.isoformat())
    assert tagged["id"] == answers[-1]["id"]  # no new meeting past the cap
    square = squares_by_action(ada.card())["asked_advice"]
    assert (square["signed"], square["signed_by"]["user_id"]) == (True, bob.user.id)
    read = ada.get(f"/api/v1/me/connections/{tagged['connection_id']}").json
    last = read["meetings"][-1]
    assert (last["id"], datetime.fromisoformat(last["scanned_at"])) == (tagged["id"], scanned_at)
    assert last["actions"] == ["asked_advice"]
    # An older scan sent late from an offline queue does not move it back.
    ada.exchange(bob.registration, scanned_at=before.isoformat())
    read = ada.get(f"/api/v1/me/connections/{tagged['connection_id']}").json
    assert datetime.fromisoformat(read["meetings"][-1]["scanned_at"]) == scanned_at
