"""Workers hand the outbox to a real SMTP server (aiosmtpd in this process): once each, retried while the
server is away, failed at once when it refuses for good, shared by two workers without a double."""

import threading
import time
from datetime import timedelta

from sqlalchemy import func, select, update

from netevents.db import utcnow
from netevents.extensions import db
from netevents.mail.delivery import claim_batch, deliver_due
from netevents.mail.models import MailStatus, OutgoingEmail
from tests.conftest import deliver_mail
from tests.mail.conftest import BADGE_PICTURE, queue_emails


def statuses() -> dict:
    db.session.rollback()  # read what the workers committed
    return dict(db.session.execute(select(OutgoingEmail.status, func.count()).group_by(OutgoingEmail.status)).all())


def test_each_email_arrives_once_with_its_recipient_and_headers(app, use_smtp):
    queue_emails(3, attachment=True)

    report = deliver_mail()

    assert (report.sent, report.retrying, report.failed) == (3, 0, 0)
    assert sorted(item.rcpt_tos[0] for item in use_smtp.received) == [f"person{n}@example.org" for n in range(3)]
    for item in use_smtp.received:
        message = item.message
        assert item.rcpt_tos == [str(message["To"])]
        assert item.mail_from == "no-reply@netevents.local"  # the address in MAIL_FROM
        assert str(message["From"]) == app.config["MAIL_FROM"]
        assert str(message["Subject"]).startswith("Your badge #")
        assert message["Message-ID"] and message["Date"]
        [attachment] = list(message.iter_attachments())
        assert attachment.get_filename() == "badge.png" and attachment.get_content() == BADGE_PICTURE
    rows = db.session.scalars(select(OutgoingEmail)).all()
    assert {(row.status, row.attempts, row.last_error, row.claimed_by) for row in rows} == {
        (MailStatus.sent, 1, None, None)
    }
    assert all(row.sent_at for row in rows)

    assert deliver_mail().sent == 0  # nothing is sent twice
    assert len(use_smtp.received) == 3


def test_a_server_away_for_a_while_gets_every_email_once_when_it_is_back(app, use_smtp):
    ids = queue_emails(30)
    use_smtp.stop()

    down = deliver_mail()

    assert down.sent == 0 and down.retrying == 1 and down.released == 29
    assert "Could not reach the mail server 127.0.0.1" in down.stopped_because
    rows = db.session.scalars(select(OutgoingEmail).order_by(OutgoingEmail.id)).all()
    assert {row.status for row in rows} == {MailStatus.queued}
    assert rows[0].attempts == 1 and "Attempt 1 of 8 failed" in rows[0].last_error
    assert all(row.attempts == 0 and row.last_error.startswith("Not tried yet") for row in rows[1:])
    assert all(row.next_attempt_at > rows[0].created_at for row in rows)

    for _ in range(3):  # still down: each pass tries one email and gives up on the batch
        time.sleep(0.3)
        assert deliver_mail().sent == 0
    use_smtp.start()
    deadline = time.monotonic() + 20
    while statuses() != {MailStatus.sent: 30}:
        assert time.monotonic() < deadline, statuses()
        time.sleep(0.2)
        deliver_mail()

    assert set(use_smtp.message_ids().values()) == {1} and len(use_smtp.message_ids()) == len(ids)
    db.session.rollback()
    assert not db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.last_error.is_not(None))).all()


def test_a_permanent_refusal_is_not_retried_and_says_what_the_server_answered(app, use_smtp):
    queue_emails(3)
    use_smtp.refuse["person1@example.org"] = "550 5.1.1 <person1@example.org>: no such mailbox here"

    report = deliver_mail()
    time.sleep(0.2)  # past any retry time
    again = deliver_mail()

    assert (report.sent, report.failed, again.done) == (2, 1, 0)
    refused = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.to_address == "person1@example.org"))
    assert refused.status == MailStatus.failed and refused.attempts == 1
    assert refused.last_error == (
        "The mail server 127.0.0.1:" + str(use_smtp.port) + " refused it for good: "
        "550 5.1.1 <person1@example.org>: no such mailbox here"
    )
    assert [item.rcpt_tos for item in use_smtp.received] == [["person0@example.org"], ["person2@example.org"]]


def test_one_batch_records_each_emails_own_outcome(app, use_smtp):
    # A worker writes the outcomes of a batch together, one statement per kind: each row must get its own.
    queue_emails(4)
    use_smtp.refuse["person1@example.org"] = "550 5.1.1 <person1@example.org>: no such mailbox here"
    use_smtp.refuse["person2@example.org"] = "451 4.3.0 Try again later"

    report = deliver_mail()

    assert (report.sent, report.retrying, report.failed) == (2, 1, 1)
    db.session.rollback()
    rows = {row.to_address: row for row in db.session.scalars(select(OutgoingEmail))}
    for address in ("person0@example.org", "person3@example.org"):
        sent = rows[address]
        assert (sent.status, sent.attempts, sent.last_error, sent.next_attempt_at) == (MailStatus.sent, 1, None, None)
        assert sent.sent_at is not None
    refused, later = rows["person1@example.org"], rows["person2@example.org"]
    assert (refused.status, refused.attempts, refused.sent_at) == (MailStatus.failed, 1, None)
    assert refused.last_error.endswith("refused it for good: 550 5.1.1 <person1@example.org>: no such mailbox here")
    assert (later.status, later.attempts, later.sent_at) == (MailStatus.queued, 1, None)
    assert later.next_attempt_at > utcnow() - timedelta(seconds=1) and "451 4.3.0 Try again later" in later.last_error
    assert all(row.claimed_by is None and row.lease_expires_at is None for row in rows.values())


def test_a_temporary_refusal_is_retried_with_backoff_until_the_last_attempt(app, use_smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_MAX_ATTEMPTS", 3)
    monkeypatch.setitem(app.config, "MAIL_RETRY_SECONDS", 1.0)  # long enough for a loaded machine to look first
    queue_emails(1)
    use_smtp.refuse["person0@example.org"] = "451 4.3.0 Try again later"

    first = deliver_mail()
    row = db.session.scalar(select(OutgoingEmail))
    assert first.retrying == 1 and row.status == MailStatus.queued and row.attempts == 1
    assert "451 4.3.0 Try again later" in row.last_error
    assert deliver_mail().done == 0  # not due before its next attempt
    waits = [row.next_attempt_at - utcnow()]

    deadline = time.monotonic() + 30
    while statuses() != {MailStatus.failed: 1}:
        assert time.monotonic() < deadline
        time.sleep(0.1)
        deliver_mail()
        db.session.rollback()
        row = db.session.scalar(select(OutgoingEmail))
        if row.status == MailStatus.queued and row.attempts == 2 and len(waits) == 1:
            waits.append(row.next_attempt_at - utcnow())

    row = db.session.scalar(select(OutgoingEmail))
    assert row.attempts == 3 and row.last_error.startswith("Gave up after 3 attempts.")
    assert "451 4.3.0 Try again later" in row.last_error
    assert waits[1] > waits[0] + timedelta(seconds=0.5)  # 1 s, then 2 s: the wait doubles
    assert use_smtp.received == []


def test_an_email_claimed_by_a_worker_that_died_is_sent_after_its_lease(app, use_smtp):
    [email_id] = queue_emails(1)
    with db.engine.connect() as connection:
        _claim, batch = claim_batch(connection, 10, timedelta(minutes=10))  # then the worker dies
    assert [email.id for email in batch] == [email_id]

    assert deliver_mail().done == 0  # its lease holds
    db.session.execute(
        update(OutgoingEmail).where(OutgoingEmail.id == email_id).values(lease_expires_at=utcnow() - timedelta(1))
    )
    db.session.commit()
    assert deliver_mail().sent == 1
    assert len(use_smtp.received) == 1


def test_two_workers_at_once_deliver_a_thousand_emails_exactly_once(app, use_smtp, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BATCH_SIZE", 25)
    queue_emails(1000)
    reports = []
    start = threading.Barrier(2)

    def worker():
        with app.app_context():  # its own session and connection
            start.wait()
            reports.append(deliver_due())

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)

    assert sorted(report.sent for report in reports)[0] > 0, reports  # both took part
    assert sum(report.sent for report in reports) == 1000
    ids = use_smtp.message_ids()
    assert len(ids) == 1000 and set(ids.values()) == {1}
    assert statuses() == {MailStatus.sent: 1000}


class Choking:
    """A transport that chokes on one address the way a library bug would, and takes the rest."""

    def __init__(self):
        self.sent = []

    def __enter__(self):
        return self

    def __exit__(self, *_exc_info):
        pass

    def describe(self):
        return "a choking transport"

    def send(self, to, message):
        if to == "person0@example.org":
            raise ValueError("cannot encode that")
        self.sent.append(to)


def test_an_email_the_library_chokes_on_waits_its_turn_and_the_others_go(app):
    queue_emails(3)
    transport = Choking()

    report = deliver_mail(transport=transport)

    assert (report.sent, report.retrying) == (2, 1)
    assert transport.sent == ["person1@example.org", "person2@example.org"]
    choked = db.session.scalar(select(OutgoingEmail).where(OutgoingEmail.to_address == "person0@example.org"))
    assert choked.status == MailStatus.queued and "ValueError('cannot encode that')" in choked.last_error
