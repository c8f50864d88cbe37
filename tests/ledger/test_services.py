"""record_once: an action applied at most once per (actor, nonce), every repeat answered with the first answer,
racing copies included, on SQLite and PostgreSQL alike."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.ledger.services import correct_answer, record_each, record_once


class AsIs:
    """Answers that are JSON already."""

    def dump(self, answer):
        return answer

    def load(self, data):
        return data


CODEC = AsIs()


def entries() -> int:
    return db.session.scalar(select(func.count()).select_from(LedgerEntry))


def test_a_new_nonce_is_applied_and_its_answer_stored(app):
    applied = []
    answer = record_once("device:1", "n-1", lambda entry_id: applied.append(entry_id) or {"entry": entry_id}, CODEC)
    db.session.commit()
    stored = db.session.scalars(select(LedgerEntry)).one()
    assert applied == [stored.id] and answer == {"entry": stored.id}
    assert (stored.actor, stored.nonce, stored.answer) == ("device:1", "n-1", answer)


def test_a_repeated_nonce_is_answered_from_the_ledger_and_not_applied_again(app):
    first = record_once("device:1", "n-1", lambda _id: {"seen": "first"}, CODEC)
    db.session.commit()
    again = record_once("device:1", "n-1", lambda _id: {"seen": "second"}, CODEC)
    db.session.commit()
    assert first == again == {"seen": "first"} and entries() == 1


def test_nonces_are_per_actor(app):
    mine = record_once("device:1", "n-1", lambda _id: {"by": 1}, CODEC)
    theirs = record_once("device:2", "n-1", lambda _id: {"by": 2}, CODEC)
    db.session.commit()
    assert (mine, theirs) == ({"by": 1}, {"by": 2}) and entries() == 2


def test_a_batch_applies_in_the_given_order_once_per_nonce_and_answers_in_that_order(app):
    record_once("device:1", "old", lambda _id: {"n": "old"}, CODEC)
    db.session.commit()
    applied = []

    def action(name):
        return lambda _id: applied.append(name) or {"n": name}

    answers = record_each(
        "device:1",
        [("c", action("c")), ("old", action("old again")), ("a", action("a")), ("c", action("c again"))],
        CODEC,
    )
    db.session.commit()
    assert applied == ["c", "a"]
    assert answers == [{"n": "c"}, {"n": "old"}, {"n": "a"}, {"n": "c"}]
    assert entries() == 3


def test_a_rolled_back_transaction_takes_its_claim_with_it(app):
    record_once("device:1", "n-1", lambda _id: {"try": 1}, CODEC)
    db.session.rollback()
    assert record_once("device:1", "n-1", lambda _id: {"try": 2}, CODEC) == {"try": 2}
    db.session.commit()
    assert entries() == 1


def test_a_corrected_answer_is_what_repeats_get(app):
    record_once("device:1", "n-1", lambda _id: {"undone": False}, CODEC)
    db.session.commit()
    entry_id = db.session.scalar(select(LedgerEntry.id))
    correct_answer(entry_id, {"undone": True}, CODEC)
    db.session.commit()
    assert record_once("device:1", "n-1", lambda _id: {"undone": "never"}, CODEC) == {"undone": True}


def test_copies_racing_in_separate_transactions_are_applied_once(app):
    """Eight threads, each its own session and transaction, send the same nonce at the same moment."""
    db.session.commit()
    applied = []
    start = threading.Barrier(8)

    def send(copy):
        with app.app_context():
            start.wait()
            answer = record_once("device:1", "raced", lambda _id: applied.append(copy) or {"copy": copy}, CODEC)
            db.session.commit()
            db.session.remove()
            return answer

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(send, range(8)))
    assert len(applied) == 1
    assert answers == [{"copy": applied[0]}] * 8
    assert entries() == 1


def test_a_nonce_sent_again_for_another_request_is_refused_not_answered(app):
    import pytest

    from netevents.ledger.services import NonceReused

    first = record_once("device:1", "n-1", lambda _id: {"for": "ada"}, CODEC, fingerprint="ada")
    db.session.commit()
    assert record_once("device:1", "n-1", lambda _id: {"for": "?"}, CODEC, fingerprint="ada") == first
    with pytest.raises(NonceReused) as refused:
        record_once("device:1", "n-1", lambda _id: {"for": "bob"}, CODEC, fingerprint="bob")
    assert (refused.value.code, refused.value.status, refused.value.field) == ("nonce_reused", 409, "nonce")
    db.session.rollback()
    # Without a fingerprint on either side (older entries, callers that keep none) a nonce matches any request.
    assert record_once("device:1", "n-1", lambda _id: {"for": "?"}, CODEC) == first
    assert entries() == 1


def test_in_a_batch_a_reused_nonce_gets_the_callers_answer_and_the_rest_are_applied(app):
    record_once("device:1", "used", lambda _id: {"n": "used"}, CODEC, fingerprint="ada")
    db.session.commit()
    applied = []

    def action(name):
        return lambda _id: applied.append(name) or {"n": name}

    answers = record_each(
        "device:1",
        [("used", action("no")), ("new", action("new")), ("new", action("twice")), ("used", action("again"))],
        CODEC,
        fingerprints=["bob", "cy", "dan", "ada"],
        reused=lambda position: {"reused": position},
    )
    db.session.commit()
    assert applied == ["new"]
    assert answers == [{"reused": 0}, {"n": "new"}, {"reused": 2}, {"n": "used"}]
    assert entries() == 2
