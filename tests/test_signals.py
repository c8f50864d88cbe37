"""Announcements: sent once the outermost transaction has committed, with plain values; forgotten with
whatever rolls back (the transaction, or the savepoint they were made in)."""

import pytest
from sqlalchemy import select

from netevents import signals
from netevents.accounts.models import User
from netevents.extensions import db
from netevents.signals import announce


def begin() -> None:
    """Start the session's transaction, as a service's first query does."""
    db.session.execute(select(1))


def event_ids(calls) -> list[int]:
    return [payload["event_id"] for _sender, payload in calls]


def test_an_announcement_is_sent_after_the_commit_and_only_once(app, heard):
    begin()
    with heard(signals.event_cancelled) as calls:
        announce(signals.event_cancelled, "tests", event_id=7)
        db.session.flush()
        assert calls == []
        db.session.commit()
        assert calls == [("tests", {"event_id": 7})]
        begin()
        db.session.commit()
        assert len(calls) == 1


def test_nothing_is_sent_for_a_transaction_that_rolls_back(app, heard):
    begin()
    with heard(signals.event_cancelled) as calls:
        announce(signals.event_cancelled, "tests", event_id=7)
        db.session.rollback()
        begin()
        db.session.commit()
        assert calls == []


def test_released_savepoints_do_not_send_early(app, heard):
    begin()
    with heard(signals.event_cancelled) as calls:
        with db.session.begin_nested():
            announce(signals.event_cancelled, "tests", event_id=1)
        with db.session.begin_nested():
            announce(signals.event_cancelled, "tests", event_id=2)
            with db.session.begin_nested():
                announce(signals.event_cancelled, "tests", event_id=3)
        assert calls == []
        db.session.commit()
        assert event_ids(calls) == [1, 2, 3]


def test_what_a_rolled_back_savepoint_announced_is_forgotten(app, heard):
    begin()
    with heard(signals.event_cancelled) as calls:
        announce(signals.event_cancelled, "tests", event_id=1)
        savepoint = db.session.begin_nested()
        announce(signals.event_cancelled, "tests", event_id=2)
        savepoint.rollback()
        with pytest.raises(LookupError), db.session.begin_nested():
            with db.session.begin_nested():
                announce(signals.event_cancelled, "tests", event_id=3)  # released into a savepoint that fails
            raise LookupError
        announce(signals.event_cancelled, "tests", event_id=4)
        db.session.commit()
        assert event_ids(calls) == [1, 4]


def test_a_released_savepoint_is_forgotten_when_the_transaction_around_it_rolls_back(app, heard):
    begin()
    with heard(signals.event_cancelled) as calls:
        with db.session.begin_nested():
            announce(signals.event_cancelled, "tests", event_id=1)
        db.session.rollback()
        begin()
        db.session.commit()
        assert calls == []


def test_receivers_get_plain_values_and_read_what_was_committed(app, make):
    user = make.user(name="Grace")
    seen = []

    def receiver(_sender, *, user_id):
        # After the commit, in a transaction of its own: the change it follows is there to read.
        seen.append((user_id, db.session.scalar(select(User.name).where(User.id == user_id))))

    user.name = "Grace Hopper"
    db.session.flush()
    with signals.account_deleted.connected_to(receiver):
        announce(signals.account_deleted, "tests", user_id=user.id)
        assert seen == []
        db.session.commit()
    assert seen == [(user.id, "Grace Hopper")]


def test_announce_takes_plain_values_and_only_past_tense_signals(app, make):
    user = make.user()
    begin()
    with pytest.raises(TypeError, match="user"):
        announce(signals.account_deleted, "tests", user=user)
    with pytest.raises(TypeError, match="actions"):
        announce(signals.exchange_recorded, "tests", actions=["introduced"])
    with pytest.raises(ValueError, match="during the change"):
        announce(signals.account_deleting, "tests", user_id=user.id)


def test_each_receiver_commits_its_own_work_and_a_failing_one_loses_only_its_own(app, make, caplog):
    user = make.user(name="Ada")

    def writes(_sender, *, user_id):
        db.session.get(User, user_id).headline = "written after the commit"
        db.session.flush()

    def fails(_sender, *, user_id):
        db.session.get(User, user_id).company = "never stored"
        db.session.flush()
        raise RuntimeError("this receiver is broken")

    begin()
    with signals.account_deleted.connected_to(writes), signals.account_deleted.connected_to(fails):
        announce(signals.account_deleted, "tests", user_id=user.id)
        db.session.commit()  # the change stands: a receiver's failure is logged, not raised
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert (stored.headline, stored.company) == ("written after the commit", "")
    assert "A receiver of account-deleted failed after the commit" in caplog.text
