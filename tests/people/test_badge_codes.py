"""Badge short codes: 8 characters under the QR code, typed to record "we met" when a camera will not focus; typing
codes that name no badge is limited per person."""

import re

import pytest
from flask_migrate import downgrade, upgrade
from limits import parse
from sqlalchemy import text

from netevents import config, create_app
from netevents.extensions import db
from netevents.people import code_budget
from netevents.registrations.badge_codes import ALPHABET, normalise_badge_code
from tests.conftest import Factory
from tests.people.conftest import nonce
from tests.people.test_migration import scratch_url  # noqa: F401  (a fixture)

CODE_SHOWN = re.compile(f"[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}")


def typed(phone, code, **fields):
    body = {"badge_code": code, "nonce": fields.pop("nonce", None) or nonce(), **fields}
    return phone.client.post("/api/v1/exchanges", json=body, headers=phone.headers)


def shown_code(phone) -> str:
    response = phone.get(f"/api/v1/registrations/{phone.registration.id}")
    assert response.status_code == 200
    return response.json["badge_code"]


def test_every_badge_has_its_own_unambiguous_code(room, make):
    codes = {room["ada"].registration.badge_code, room["bob"].registration.badge_code}
    codes |= {make.registration(room["event"]).badge_code for _ in range(30)}
    assert len(codes) == 32
    assert all(re.fullmatch(f"[{ALPHABET}]{{8}}", code) for code in codes)
    assert not set("ILOU") & set(ALPHABET)
    shown = shown_code(room["ada"])
    assert CODE_SHOWN.fullmatch(shown) and shown.replace("-", "") == room["ada"].registration.badge_code


def test_a_code_reads_as_people_type_it():
    assert normalise_badge_code("7kq4-m2xz") == "7KQ4M2XZ"
    assert normalise_badge_code(" 7KQ4 M2XZ ") == "7KQ4M2XZ"
    assert normalise_badge_code("O1IL-ABCD") == "0111ABCD"  # O is 0, I and L are 1
    assert normalise_badge_code("7KQ4M2X") is None
    assert normalise_badge_code("7KQ4M2XU") is None  # no U in Crockford's alphabet
    assert normalise_badge_code("7KQ4M2XZ9") is None


def test_a_typed_code_connects_like_a_scan(room):
    ada, bob = room["ada"], room["bob"]
    code = shown_code(bob).lower().replace("0", "o")
    answer = typed(ada, code, actions=["introduced"], note="Cranes, not code")
    assert answer.status_code == 200, answer.json
    assert (answer.json["result"], answer.json["new"]) == ("recorded", True)
    assert answer.json["connection"]["other"]["name"] == "Bob Builder"
    [seen_by_bob] = bob.connections()
    assert (seen_by_bob["other"]["name"], seen_by_bob["scanned_me"], seen_by_bob["i_scanned"]) == (
        "Ada Lovelace",
        True,
        False,
    )
    again = typed(ada, code, nonce=answer.json["nonce"])
    assert again.json["id"] == answer.json["id"]  # the same nonce: the first answer, nothing written


def test_typed_codes_are_refused_in_words(room, make, client):
    ada, bob = room["ada"], room["bob"]
    own = typed(ada, shown_code(ada))
    assert (own.json["result"], own.json["reason"]) == ("rejected", "own_badge")
    for code in ("ZZZZ-ZZZZ", "not a code"):
        unknown = typed(ada, code)
        assert (unknown.status_code, unknown.json["reason"]) == (200, "unknown_code")
        assert "8 characters" in unknown.json["message"]
    cancelled = make.registration(room["event"], name="Carol Cancelled")
    client.post(f"/api/v1/registrations/{cancelled.id}/cancel", headers=make.token(cancelled.user))
    refused = typed(ada, cancelled.badge_code)
    assert refused.json["reason"] == "registration_cancelled"
    rotated = bob.registration.badge_code
    assert (
        bob.client.post(f"/api/v1/registrations/{bob.registration.id}/badge/rotate", headers=bob.headers).status_code
        == 200
    )
    assert typed(ada, rotated).json["reason"] == "unknown_code"  # a replaced badge's code names nothing


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "qr"), ({"qr": "x", "badge_code": "ABCD-EFGH"}, "qr"), ({"badge_code": ""}, "badge_code")],
)
def test_an_exchange_names_its_badge_one_way(room, body, field):
    response = room["ada"].client.post(
        "/api/v1/exchanges", json={"nonce": nonce(), **body}, headers=room["ada"].headers
    )
    assert response.status_code == 422
    assert field in response.json["errors"]


def guess(client, phone, index, **fields):
    body = {"badge_code": f"{index:04d}-ZZZZ", "nonce": f"guess-{index}", **fields}
    return client.post("/api/v1/exchanges", json=body, headers=phone.headers)


def test_guessing_codes_is_limited_per_person_and_once_spent_no_code_gets_through(room, limited_client):
    ada, bob = room["ada"], room["bob"]
    carol, dee = room["phone"]("Carol Coder"), room["phone"]("Dee Doer")
    bob_code, dee_code, bob_secret = (
        bob.registration.badge_code,
        dee.registration.badge_code,
        bob.registration.badge_secret,
    )
    db.session.commit()  # that app's requests have sessions of their own: the test's must not hold the write lock
    # Real codes cost nothing while there is budget.
    first = limited_client.post(
        "/api/v1/exchanges", json={"badge_code": dee_code, "nonce": nonce()}, headers=ada.headers
    )
    assert (first.status_code, first.json["result"]) == (200, "recorded")
    answers = [guess(limited_client, ada, index) for index in range(21)]
    assert [answer.status_code for answer in answers] == [200] * 20 + [429]
    assert {answer.json["reason"] for answer in answers[:20]} == {"unknown_code"}
    refused = answers[-1]
    assert refused.json["reason"] == "too_many_unknown_codes"
    assert 1 <= int(refused.headers["Retry-After"]) <= 3600
    assert "20 an hour" in refused.json["detail"]
    assert guess(limited_client, ada, 20).status_code == 429  # its nonce again: still refused while spent
    # Spent, a real code is refused like a wrong one: else the answers would tell a guesser which guess was right.
    real = limited_client.post(
        "/api/v1/exchanges", json={"badge_code": bob_code, "nonce": nonce()}, headers=ada.headers
    )
    assert (real.status_code, real.json["reason"]) == (429, "too_many_unknown_codes")
    batch = limited_client.post(
        "/api/v1/exchanges/batch",
        json={"exchanges": [{"badge_code": "YYYY-YYYY", "nonce": nonce()}, {"badge_code": bob_code, "nonce": nonce()}]},
        headers=ada.headers,
    )
    assert batch.status_code == 200
    assert [result["reason"] for result in batch.json["results"]] == ["too_many_unknown_codes"] * 2
    # The badge's QR code still works: only typing is limited.
    scanned = limited_client.post("/api/v1/exchanges", json={"qr": bob_secret, "nonce": nonce()}, headers=ada.headers)
    assert (scanned.status_code, scanned.json.get("result")) == (200, "recorded"), scanned.json
    assert guess(limited_client, carol, 0).json["reason"] == "unknown_code"  # each person has their own budget


def test_the_day_has_a_budget_of_its_own(room, limited_client, monkeypatch):
    monkeypatch.setattr(code_budget, "LIMITS", (parse("20 per hour"), parse("3 per day")))
    db.session.commit()
    statuses = [guess(limited_client, room["ada"], index).status_code for index in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_existing_registrations_get_codes_on_upgrade(app, scratch_url, tmp_path):  # noqa: F811
    scratch = create_app(config.TestConfig(tmp_path / "instance", scratch_url))
    with scratch.app_context():
        upgrade()
        make = Factory()
        event = make.event()
        for _ in range(3):
            make.registration(event, notify=False)
        db.session.remove()
        downgrade(revision="b7e1f0c3d5a2")  # made before codes: the column goes
        upgrade()
        codes = db.session.execute(text("SELECT badge_code FROM registration")).scalars().all()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    assert len(set(codes)) == 3 and all(re.fullmatch(f"[{ALPHABET}]{{8}}", code) for code in codes)
