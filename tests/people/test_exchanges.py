"""The exchange contract of PRODUCT.md ("Meeting people, precisely"), through HTTP, one rule per test."""

import random
from datetime import UTC, timedelta, timezone

import pytest
from sqlalchemy import event as sa_event
from sqlalchemy import func, select

from netevents.db import utcnow
from netevents.events.models import EventStatus
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.people.exchanges import MEETINGS_PER_EVENT
from netevents.people.models import CONNECTION_NOTE_LENGTH, Connection, ConnectionSide, Exchange
from netevents.people.schemas import MAX_EXCHANGE_BATCH
from tests.people.conftest import Phone, badge


def counts() -> tuple[int, int, int, int]:
    db.session.rollback()
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Connection, ConnectionSide, Exchange, LedgerEntry)
    )


def test_scanning_a_badge_connects_and_shows_the_card_as_they_share_it(room):
    ada, bob = room["ada"], room["bob"]
    response = ada.exchange(bob.registration, actions=["introduced", "asked_advice"], note="Cranes, at scale")
    assert response.status_code == 200
    answer = response.json
    assert (answer["result"], answer["reason"], answer["new"]) == ("recorded", None, True)
    assert answer["event_id"] == room["event"].id and isinstance(answer["id"], int)
    connection = answer["connection"]
    assert connection["id"] == answer["connection_id"]
    assert connection["other"]["name"] == "Bob Builder" and connection["other"]["company"] == "Cranes"
    assert connection["other"]["email"] == "bob.builder@example.org"  # shared with connections, which Ada now is
    assert connection["tags"] == ["introduced", "asked_advice"] and connection["note"] == "Cranes, at scale"
    assert (connection["i_scanned"], connection["scanned_me"]) == (True, False)
    assert connection["meetings"][0]["by_me"] is True
    assert connection["meetings"][0]["event_title"] == room["event"].title


def test_the_bare_secret_works_like_the_url(room):
    assert room["ada"].exchange(room["bob"].registration.badge_secret).json["result"] == "recorded"


def test_the_scanned_person_sees_who_scanned_whom_and_not_the_scanners_note(room):
    ada, bob = room["ada"], room["bob"]
    ada.exchange(bob.registration, actions=["introduced"], note="Ask Bob about cranes")
    [seen_by_bob] = bob.connections()
    assert seen_by_bob["other"]["name"] == "Ada Lovelace"
    assert (seen_by_bob["i_scanned"], seen_by_bob["scanned_me"]) == (False, True)
    assert seen_by_bob["meetings"][0]["by_me"] is False and seen_by_bob["meetings"][0]["actions"] is None
    assert seen_by_bob["note"] == "" and seen_by_bob["tags"] == []
    assert "Ask Bob" not in bob.get("/api/v1/me/connections").get_data(as_text=True)


def test_a_second_scan_from_the_other_side_adds_a_meeting_to_the_same_connection(room):
    ada, bob = room["ada"], room["bob"]
    first = ada.exchange(bob.registration, actions=["introduced"], note="Cranes").json
    second = bob.exchange(ada.registration, actions=["offered_help"], note="Send Ada the runbook").json
    assert second["result"] == "recorded" and second["new"] is False
    assert second["connection_id"] == first["connection_id"]
    assert second["connection"]["tags"] == ["offered_help"] and second["connection"]["note"] == "Send Ada the runbook"
    assert (second["connection"]["i_scanned"], second["connection"]["scanned_me"]) == (True, True)
    again = ada.exchange(bob.registration, actions=["introduced", "mentoring"], note="Coffee next week").json
    assert again["new"] is False
    assert again["connection"]["tags"] == ["introduced", "mentoring"]
    assert again["connection"]["note"] == "Cranes\n\nCoffee next week"  # each meeting's note is added
    assert counts()[:3] == (1, 2, 3)
    [seen_by_ada] = ada.connections()
    assert "runbook" not in str(seen_by_ada)
    assert [m["by_me"] for m in seen_by_ada["meetings"]] == [True, False, True]


def test_the_same_nonce_returns_the_first_answer_and_writes_nothing(room):
    ada, bob = room["ada"], room["bob"]
    first = ada.exchange(bob.registration, nonce="phone-1", actions=["introduced"], note="first").json
    before = counts()
    database_errors = []

    def record(context):
        database_errors.append(context.original_exception)

    sa_event.listen(db.engine, "handle_error", record)
    try:
        again = ada.exchange(bob.registration, nonce="phone-1", actions=["mentoring"], note="second").json
    finally:
        sa_event.remove(db.engine, "handle_error", record)
    assert again == first
    assert counts() == before
    assert database_errors == []  # a resent exchange is no constraint violation


def test_nonces_are_per_person(room):
    ada, bob = room["ada"], room["bob"]
    assert ada.exchange(bob.registration, nonce="same").json["result"] == "recorded"
    assert bob.exchange(ada.registration, nonce="same").json["result"] == "recorded"
    assert counts()[2] == 2


def test_a_nonce_sent_again_for_another_badge_is_refused_not_answered_with_the_first(room):
    ada, bob, carol = room["ada"], room["bob"], room["phone"]("Carol Shannon")
    first = ada.exchange(bob.registration, nonce="phone-7").json
    assert first["result"] == "recorded"
    before = counts()

    reused = ada.exchange(carol.registration, nonce="phone-7")
    assert reused.status_code == 409
    assert reused.json["reason"] == "nonce_reused" and "nonce" in reused.json["errors"]
    # The same badge with its QR as the bare secret, and other tags, is the same exchange: its first answer.
    assert ada.exchange(bob.registration.badge_secret, nonce="phone-7", actions=["mentoring"]).json == first

    [in_batch, new] = ada.batch(
        [{"qr": badge(carol.registration), "nonce": "phone-7"}, {"qr": badge(carol.registration), "nonce": "phone-8"}]
    ).json["results"]
    assert in_batch["result"] == "rejected" and in_batch["reason"] == "nonce_reused"
    assert "another badge" in in_batch["message"]
    assert new["result"] == "recorded" and new["new"] is True
    assert counts() == (before[0] + 1, before[1] + 2, before[2] + 1, before[3] + 1)  # only phone-8 was recorded


def test_a_repeat_shows_the_card_as_shared_now_not_as_it_was(room, make):
    ada, bob = room["ada"], room["bob"]
    assert ada.exchange(bob.registration, nonce="n-1").json["connection"]["other"]["email"] == "bob.builder@example.org"
    bob.client.patch("/api/v1/me", headers=bob.headers, json={"sharing": {"email": "nobody"}})
    again = ada.exchange(bob.registration, nonce="n-1").json
    assert again["result"] == "recorded" and again["connection"]["other"]["email"] is None
    stored = db.session.scalars(select(LedgerEntry.answer)).one()
    assert "connection" not in stored and "bob.builder@example.org" not in str(stored)


def test_unknown_and_own_badges_are_rejected_with_a_reason(room):
    ada = room["ada"]
    for qr in ("not a badge", "https://elsewhere.example/b/AAAAAAAAAAAAAAAAAAAAAAAA", "A" * 32):
        answer = ada.exchange(qr).json
        assert (answer["result"], answer["reason"]) == ("rejected", "unknown_badge")
        assert answer["message"] and answer["connection"] is None and answer["new"] is False
    assert ada.exchange(ada.registration).json["reason"] == "own_badge"
    assert counts()[:3] == (0, 0, 0)


def test_the_scanner_must_be_confirmed_for_the_badges_event(client, make, room):
    bob = room["bob"]
    other_event = make.event(starts_at=room["event"].starts_at, ends_at=room["event"].ends_at)
    carol = Phone(client, make, make.registration(other_event, name="Carol", email="carol@example.org"))
    assert carol.exchange(bob.registration).json["reason"] == "not_registered"
    full = make.event(capacity=1, starts_at=room["event"].starts_at, ends_at=room["event"].ends_at)
    first = Phone(client, make, make.registration(full, name="Dan"))
    waiting = Phone(client, make, make.registration(full, name="Wendy"))
    assert waiting.registration.status == "waitlisted"
    assert waiting.exchange(first.registration).json["reason"] == "not_registered"
    assert first.exchange(waiting.registration).json["reason"] == "waitlisted"
    client.post(f"/api/v1/registrations/{room['ada'].registration.id}/cancel", headers=room["ada"].headers)
    assert room["ada"].exchange(bob.registration).json["reason"] == "not_registered"
    assert bob.exchange(room["ada"].registration).json["reason"] == "registration_cancelled"
    assert counts()[:3] == (0, 0, 0)


def test_a_block_refuses_exchanges_both_ways(room):
    ada, bob = room["ada"], room["bob"]
    assert ada.client.post("/api/v1/me/blocks", headers=ada.headers, json={"user_id": bob.user.id}).status_code == 201
    for scanner, scanned in ((ada, bob), (bob, ada)):
        answer = scanner.exchange(scanned.registration).json
        assert (answer["reason"], answer["connection"]) == ("blocked", None)
        assert "block" not in answer["message"].lower() or "Ada" not in answer["message"]


def test_exchanges_open_with_check_in_and_close_a_day_after_the_event(room):
    ada, bob, event = room["ada"], room["bob"], room["event"]
    too_early = event.checkin_window[0] - timedelta(minutes=1)
    assert ada.exchange(bob.registration, scanned_at=too_early.isoformat()).json["reason"] == "outside_window"
    event.starts_at, event.ends_at = event.starts_at - timedelta(days=2), event.ends_at - timedelta(days=2)
    db.session.commit()  # the event ended two days ago
    assert ada.exchange(bob.registration).json["reason"] == "outside_window"
    last_minute = event.ends_at + timedelta(days=1, minutes=-1)  # from an offline queue
    assert ada.exchange(bob.registration, scanned_at=last_minute.isoformat()).json["result"] == "recorded"


def test_a_cancelled_event_takes_no_exchanges(room):
    room["event"].status = EventStatus.cancelled
    db.session.commit()
    assert room["ada"].exchange(room["bob"].registration).json["reason"] == "event_cancelled"


def test_scanned_at_is_kept_and_a_clock_far_ahead_is_taken_as_now(room):
    ada, bob = room["ada"], room["bob"]
    earlier = utcnow().replace(microsecond=0) - timedelta(minutes=12)
    answer = ada.exchange(bob.registration, scanned_at=earlier.isoformat()).json
    assert answer["scanned_at"] == earlier.isoformat()
    ahead = ada.exchange(bob.registration, scanned_at=(utcnow() + timedelta(hours=2)).isoformat()).json
    assert utcnow() - timedelta(minutes=1) < db.session.get(Exchange, ahead["id"]).scanned_at <= utcnow()


def test_offline_batch_is_applied_in_scan_order_and_answered_in_sent_order(room):
    ada, bob, carol = room["ada"], room["bob"], room["phone"]("Carol Coder")
    base = utcnow().replace(microsecond=0) - timedelta(minutes=20)
    sent = [
        {"qr": badge(carol.registration), "nonce": "c", "scanned_at": (base + timedelta(minutes=2)).isoformat()},
        {"qr": badge(bob.registration), "nonce": "a", "scanned_at": base.isoformat(), "actions": ["introduced"]},
        {"qr": "garbage", "nonce": "z", "scanned_at": (base + timedelta(minutes=3)).isoformat()},
        {"qr": badge(bob.registration), "nonce": "b", "scanned_at": (base + timedelta(minutes=1)).isoformat()},
    ]
    results = ada.batch(sent).json["results"]
    assert [r["nonce"] for r in results] == ["c", "a", "z", "b"]
    assert [r["result"] for r in results] == ["recorded", "recorded", "rejected", "recorded"]
    assert [r["new"] for r in results] == [True, True, False, False]  # "a" came before "b"
    assert results[3]["connection"]["meetings"][-1]["scanned_at"] == (base + timedelta(minutes=1)).isoformat()
    ids_in_scan_order = [results[i]["id"] for i in (1, 3, 0)]
    assert ids_in_scan_order == sorted(ids_in_scan_order)
    times = {e.id: e.scanned_at for e in db.session.scalars(select(Exchange))}
    assert times[results[1]["id"]] == base and times[results[0]["id"]] == base + timedelta(minutes=2)


def test_an_offline_batch_uploaded_twice_shuffled_records_each_nonce_once(room):
    ada = room["ada"]
    people = [room["phone"](f"Person {i}") for i in range(10)]
    base = utcnow().replace(microsecond=0) - timedelta(minutes=25)
    sent = [
        {
            "qr": badge(people[i % 10].registration),
            "nonce": f"q-{i % 40}",
            "scanned_at": (base + timedelta(seconds=i % 40)).isoformat(),
        }
        for i in range(50)
    ]
    first = ada.batch(sent).json["results"]
    shuffled = sent[:]
    random.Random(3).shuffle(shuffled)
    second = ada.batch(shuffled).json["results"]
    by_nonce = {answer["nonce"]: answer for answer in first}
    assert all(answer == by_nonce[answer["nonce"]] for answer in second)
    assert counts()[:3] == (10, 20, 40)
    assert sum(answer["new"] for answer in by_nonce.values()) == 10


def test_the_events_own_actions_can_be_declared_and_used(client, make, room):
    ada, bob, event = room["ada"], room["bob"], room["event"]
    owner = make.token(event.owner)
    url = f"/api/v1/events/{event.id}/exchange-actions"
    assert client.get(url).json == {
        "event_id": event.id,
        "custom": [],
        "labels": {},
        "retired": [],
        "standard": ["introduced", "asked_advice", "offered_help", "mentoring", "shared_knowledge"],
    }
    assert client.patch(url, headers=ada.headers, json={"custom": ["pair_programmed"]}).status_code == 403
    refused = ada.exchange(bob.registration, actions=["pair_programmed"])
    assert refused.status_code == 422 and "actions" in refused.json["errors"]
    assert refused.json["reason"] == "unknown_action" and counts() == (0, 0, 0, 0)
    changed = client.patch(url, headers=owner, json={"custom": ["pair_programmed", "demoed"]})
    assert changed.status_code == 200 and changed.json["custom"] == ["pair_programmed", "demoed"]
    answer = ada.exchange(bob.registration, actions=["pair_programmed", "introduced"]).json
    assert answer["connection"]["tags"] == ["pair_programmed", "introduced"]
    for body, reason in (
        ({"custom": ["introduced"]}, "standard_action"),
        ({"custom": ["a", "a"]}, "duplicate_action"),
        ({"custom": ["Has Spaces"]}, "invalid_input"),
        ({"custom": ["x"] * 21}, "invalid_input"),
    ):
        response = client.patch(url, headers=owner, json=body)
        assert response.status_code == 422 and response.json["reason"] == reason and "custom" in str(response.json)


def test_a_refused_action_in_a_batch_names_its_place_and_records_nothing(room):
    ada, bob = room["ada"], room["bob"]
    response = ada.batch(
        [
            {"qr": badge(bob.registration), "nonce": "ok"},
            {"qr": badge(bob.registration), "nonce": "bad", "actions": ["juggled"]},
        ]
    )
    assert response.status_code == 422 and "exchanges.1.actions" in response.json["errors"]
    assert counts() == (0, 0, 0, 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"nonce": "n"}, "qr"),
        ({"qr": "x"}, "nonce"),
        ({"qr": "x" * 8193, "nonce": "n"}, "qr"),
        ({"qr": "x", "nonce": "n" * 65}, "nonce"),
        ({"qr": "x", "nonce": "n", "scanned_at": "2031-05-04T18:00:00"}, "scanned_at"),
        ({"qr": "x", "nonce": "n", "scanned_at": "0001-01-01T00:00:00+01:00"}, "scanned_at"),
        ({"qr": "x", "nonce": "n", "actions": "introduced"}, "actions"),
        ({"qr": "x", "nonce": "n", "actions": ["Not An Action"]}, "actions.0"),
        ({"qr": "x", "nonce": "n", "actions": ["introduced"] * 11}, "actions"),
        ({"qr": "x", "nonce": "n", "note": "x" * 1001}, "note"),
        ({"qr": "x", "nonce": "n", "colour": "red"}, "colour"),
        ({"qr": 5, "nonce": "n"}, "qr"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(room, body, field):
    response = room["ada"].client.post("/api/v1/exchanges", json=body, headers=room["ada"].headers)
    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert response.mimetype == "application/problem+json"
    assert counts() == (0, 0, 0, 0)


def test_a_batch_must_have_one_to_a_thousand_exchanges(room):
    assert room["ada"].batch([]).status_code == 422
    assert room["ada"].batch([{"qr": "x", "nonce": str(i)} for i in range(1001)]).status_code == 422


def test_exchanging_needs_a_signed_in_person(client, room):
    response = client.post("/api/v1/exchanges", json={"qr": badge(room["bob"].registration), "nonce": "n"})
    assert response.status_code == 401 and counts() == (0, 0, 0, 0)


def test_a_badge_scanned_over_and_over_makes_a_bounded_number_of_meetings(room):
    """A phone sending one badge again and again (new nonces) adds meetings up to a cap per event; past it the
    scans' actions join the last meeting, and the answers stay small."""
    ada, bob = room["ada"], room["bob"]
    answers = [ada.exchange(bob.registration).json for _ in range(MEETINGS_PER_EVENT + 5)]
    assert {a["result"] for a in answers} == {"recorded"}
    last = answers[-1]
    assert len(last["connection"]["meetings"]) == MEETINGS_PER_EVENT
    assert last["id"] == answers[MEETINGS_PER_EVENT - 1]["id"]  # the last meeting, not a new one
    tagged = ada.exchange(bob.registration, actions=["introduced"]).json
    assert tagged["id"] == last["id"]
    assert db.session.get(Exchange, last["id"]).actions == ["introduced"]
    assert counts()[:3] == (1, 2, MEETINGS_PER_EVENT)
    # Bob's scans of Ada are his own meetings, counted apart.
    assert bob.exchange(ada.registration).json["id"] not in {a["id"] for a in answers}


def test_an_exchange_batch_is_at_most_its_size(room):
    ada, bob = room["ada"], room["bob"]
    too_many = [{"qr": badge(bob.registration), "nonce": f"n{n}"} for n in range(MAX_EXCHANGE_BATCH + 1)]
    refused = ada.batch(too_many)
    assert refused.status_code == 422 and "exchanges" in refused.json["errors"]
    assert f"Send 1 to {MAX_EXCHANGE_BATCH} exchanges per batch." in str(refused.json["errors"])
    assert counts()[:3] == (0, 0, 0)


def test_a_replaced_badge_is_told_apart_from_an_unknown_one(client, make, room):
    ada, bob = room["ada"], room["bob"]
    old_badge = badge(bob.registration)
    rotated = client.post(f"/api/v1/registrations/{bob.registration.id}/badge/rotate", headers=bob.headers)
    assert rotated.status_code == 200
    answer = ada.exchange(old_badge).json
    assert (answer["result"], answer["reason"]) == ("rejected", "badge_replaced")
    assert "replaced by a new one" in answer["message"]
    assert ada.exchange(rotated.json["badge_url"]).json["result"] == "recorded"


def test_notes_added_by_exchanges_stop_at_the_notes_length(room):
    """Each meeting's note is added to mine, once, and never past what I could type myself."""
    ada, bob = room["ada"], room["bob"]
    note = "n" * 900
    for _ in range(3):  # the same note again adds nothing
        ada.exchange(bob.registration, note="Coffee next week")
    answers = [ada.exchange(bob.registration, note=f"{n}{note}").json for n in range(10)]
    assert answers[0]["connection"]["note"].startswith("Coffee next week\n\n0n")
    assert answers[0]["connection"]["note"].count("Coffee next week") == 1
    assert len(answers[-1]["connection"]["note"]) == CONNECTION_NOTE_LENGTH


def test_an_exchange_takes_as_many_statements_however_many_people_i_met(room):
    """Recording a meeting and answering it with the connection reads what it needs in a fixed number of
    statements: the tenth person met costs what the first did, and so does a second meeting with any of them
    (bench/directory_bench.py times it)."""
    ada, phone = room["ada"], room["phone"]
    people = [phone(f"Person {number:02d}") for number in range(11)]
    statements: list[str] = []

    def count(*_args):
        statements.append("")

    def statements_to_meet(person) -> int:
        qr = badge(person.registration)  # read before counting: the test's own objects expire after each request
        statements.clear()
        sa_event.listen(db.engine, "before_cursor_execute", count)
        try:
            answer = ada.exchange(qr, actions=["introduced"]).json
        finally:
            sa_event.remove(db.engine, "before_cursor_execute", count)
        assert answer["result"] == "recorded" and answer["connection"] is not None, answer
        return len(statements)

    first = statements_to_meet(people[0])
    for person in people[1:10]:
        ada.exchange(person.registration, actions=["introduced"])
    assert statements_to_meet(people[10]) == first
    assert statements_to_meet(people[0]) == statements_to_meet(people[5])


def test_the_answer_of_a_new_connection_shows_it_as_reading_it_back_does(room):
    """The answer of the exchange that makes a connection shows its one meeting without reading it back: it must
    show what a read shows, offset of the phone's clock included; so must a batch meeting the same person twice."""
    ada, bob, carol = room["ada"], room["bob"], room["phone"]("Carol Coder")
    scanned_at = (utcnow().replace(microsecond=123456) - timedelta(minutes=5)).astimezone(timezone(timedelta(hours=1)))
    answer = ada.exchange(bob.registration, actions=["introduced"], scanned_at=scanned_at.isoformat()).json
    assert answer["new"] is True
    read = ada.get(f"/api/v1/me/connections/{answer['connection_id']}").json
    assert answer["connection"] == read
    assert read["meetings"][0]["scanned_at"] == scanned_at.astimezone(UTC).isoformat()
    base = utcnow().replace(microsecond=0) - timedelta(minutes=4)
    twice = ada.batch(
        [
            {"qr": badge(carol.registration), "nonce": "first", "scanned_at": base.isoformat()},
            {
                "qr": badge(carol.registration),
                "nonce": "again",
                "scanned_at": (base + timedelta(minutes=1)).isoformat(),
            },
        ]
    ).json["results"]
    assert [r["new"] for r in twice] == [True, False]
    read = ada.get(f"/api/v1/me/connections/{twice[0]['connection_id']}").json
    assert twice[0]["connection"] == twice[1]["connection"] == read
    assert len(read["meetings"]) == 2


@pytest.mark.parametrize("choice", ["everyone", "connections", "nobody"])
@pytest.mark.parametrize("listed", [True, False])
@pytest.mark.parametrize("scanner", ["attendee", "organizer of another event"])
def test_the_new_connection_in_the_answer_follows_the_other_persons_choices_as_a_read_does(
    client, make, room, choice, listed, scanner
):
    event = room["event"]
    yara = room["phone"]("Yara Young", headline="Principal engineer", company="Yoyodyne")
    changed = client.patch(
        "/api/v1/me",
        headers=yara.headers,
        json={
            "phone": "+49 30 555 0101",
            "links": [{"label": "Site", "url": "https://yara.example"}],
            "topics": ["Kubernetes"],
            "mentoring_offered": ["Go"],
            "directory_opt_in": listed,
            "sharing": dict.fromkeys(["email", "phone", "links", "company", "headline"], choice),
        },
    )
    assert changed.status_code == 200, changed.json
    if scanner == "organizer of another event":  # organizes an event Yara registered for, attends this one
        other = make.event(title="Platform Night")
        make.registration(other, name="Yara Young", email=yara.user.email)
        viewer = Phone(client, make, make.registration(event, name="Olivia Organizer", email=other.owner.email))
    else:
        viewer = room["ada"]
    answer = viewer.exchange(yara.registration, actions=["introduced"], note="Yoyodyne's platform").json
    assert answer["new"] is True
    assert answer["connection"] == viewer.get(f"/api/v1/me/connections/{answer['connection_id']}").json
    shown = answer["connection"]["other"]
    assert (shown["email"] is None) == (choice == "nobody")
    assert shown["topics"] == ["Kubernetes"]  # a connection sees them, listed in the directory or not


def test_an_organizer_holds_every_badge_of_their_event_and_scans_none(client, make, room):
    """An organizer reads every badge of their event (the attendee list, the badge sheet): holding one is no sign of
    having met its owner, so their scans of their own event's badges are refused, typed codes too, and nothing is
    recorded; an attendee scanning an organizer's badge connects them as any two people."""
    event, yara = room["event"], room["phone"]("Yara Young")
    olivia = Phone(client, make, make.registration(event, name="Olivia Organizer", email=event.owner.email))
    co = make.user(name="Cole Organizer", email="cole@example.org")
    added = client.post(
        f"/api/v1/events/{event.id}/organizers", headers=make.token(event.owner), json={"email": co.email}
    )
    assert added.status_code in (200, 201), added.json
    cole = Phone(client, make, make.registration(event, name="Cole Organizer", email=co.email))
    for organizer in (olivia, cole):
        typed = {"badge_code": yara.registration.badge_code, "nonce": f"typed-{organizer.user.id}"}
        for answer in (
            organizer.exchange(yara.registration).json,
            client.post("/api/v1/exchanges", json=typed, headers=organizer.headers).json,
        ):
            assert (answer["result"], answer["reason"]) == ("rejected", "organizer_of_event"), answer
            assert "scan your badge" in answer["message"]
    assert db.session.scalar(select(func.count()).select_from(Exchange)) == 0
    met = yara.exchange(olivia.registration).json
    assert met["result"] == "recorded" and met["new"] is True
    assert [c["other"]["name"] for c in olivia.connections()] == ["Yara Young"]
