"""Several processes running the job at once share it a chunk at a time and queue each email once: real threads, each with its own app context,
session and transaction, on SQLite and PostgreSQL alike (the suite runs on both)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from netevents.extensions import db
from netevents.follow_ups import services
from netevents.follow_ups.models import FollowUpChunk, FollowUpRun
from netevents.follow_ups.services import queue_due_follow_ups
from netevents.mail.models import OutgoingEmail
from tests.follow_ups.conftest import AFTER

RUNNERS = 4


def test_jobs_running_at_once_queue_each_email_once(app, meetup, monkeypatch):
    event, person = meetup
    people = [person(f"Person{i} Test") for i in range(7)] + [person("Ned Noshow", came=False)]
    people[0].exchange(people[1].registration)
    monkeypatch.setattr(services, "CHUNK", 2)  # several chunks, which the runners share
    now = event.ends_at + AFTER
    db.session.commit()  # the test's own session must not hold SQLite's write lock while the threads write
    start = threading.Barrier(RUNNERS)

    def run(_runner):
        with app.app_context():
            start.wait()
            try:
                return queue_due_follow_ups(now)
            finally:
                db.session.remove()

    with ThreadPoolExecutor(max_workers=RUNNERS) as pool:
        counts = list(pool.map(run, range(RUNNERS)))

    assert sum(counts) == len(people), counts
    db.session.rollback()
    rows = db.session.execute(
        select(OutgoingEmail.to_address, func.count())
        .where(OutgoingEmail.dedupe_key.like("follow-up:%"))
        .group_by(OutgoingEmail.to_address)
    ).all()
    assert len(rows) == len(people) and {count for _, count in rows} == {1}
    run = db.session.scalar(select(FollowUpRun))
    assert run.state == "finished" and run.queued == len(people)
    chunks = db.session.execute(select(FollowUpChunk.after_id, FollowUpChunk.through_id).order_by(FollowUpChunk.id))
    ranges = list(chunks)
    assert len(ranges) == 4 and all(after < through for after, through in ranges)
    assert [after for after, _ in ranges][1:] == [through for _, through in ranges][:-1]  # no gap, no overlap
