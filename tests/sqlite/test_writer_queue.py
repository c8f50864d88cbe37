"""SQLite writers queue on the writers' lock file (netevents.sqlite.WriterQueueConnection): the next
writer gets in the moment the last one commits or rolls back, never while a write is open, and no
path (commit, rollback, a failed BEGIN, close) leaves the queue blocked. Real threads, real files."""

import fcntl
import os
import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from netevents.extensions import db
from netevents.sqlite import WriterQueueConnection, configure_sqlite, reading_only, sqlite_engine_options


def connect(path) -> WriterQueueConnection:
    # No busy timeout: a writer that found SQLite's lock taken would fail at once, so waiting at all
    # proves it waited in the queue.
    return sqlite3.connect(
        path, factory=WriterQueueConnection, isolation_level=None, check_same_thread=False, timeout=0
    )


def begin(connection: WriterQueueConnection) -> None:
    connection.begin_writing()
    connection.execute("BEGIN IMMEDIATE")


@pytest.fixture
def database(tmp_path):
    path = tmp_path / "queue.db"
    with connect(path) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE counter (n INTEGER)")
        setup.execute("INSERT INTO counter VALUES (0)")
    return path


def writer_waits_until(first: WriterQueueConnection, database, release) -> float:
    """Start a second writer while `first` holds the queue; `release(first)` after 0.3 s. Returns how
    long the second writer waited, and checks it never saw "database is locked"."""
    second = connect(database)
    waited = {}

    def write():
        started = time.perf_counter()
        begin(second)
        waited["seconds"] = time.perf_counter() - started
        second.execute("UPDATE counter SET n = n + 1")
        second.commit()

    thread = threading.Thread(target=write)
    thread.start()
    time.sleep(0.3)
    assert thread.is_alive(), "the second writer got in while the first still held the write"
    release(first)
    thread.join(timeout=5)
    assert not thread.is_alive(), "the second writer was never let in"
    second.close()
    return waited["seconds"]


@pytest.mark.parametrize(
    "release", [lambda c: c.commit(), lambda c: c.rollback(), lambda c: c.close()], ids=["commit", "rollback", "close"]
)
def test_the_next_writer_gets_in_as_soon_as_the_first_is_done(database, release):
    first = connect(database)
    begin(first)
    first.execute("UPDATE counter SET n = n + 1")
    waited = writer_waits_until(first, database, release)
    assert 0.25 < waited < 2.0
    with connect(database) as check:
        # The first write counts only if it was committed.
        expected = 2 if release.__code__.co_names == ("commit",) else 1
        assert check.execute("SELECT n FROM counter").fetchone()[0] == expected


def test_readers_do_not_queue(database):
    writer = connect(database)
    begin(writer)
    reader = connect(database)
    reader.execute("BEGIN")
    assert reader.execute("SELECT n FROM counter").fetchone() == (0,)  # WAL: the last committed value
    reader.rollback()
    writer.rollback()


def test_many_threads_each_write_once_nothing_lost(database):
    engine = create_engine(f"sqlite:///{database}", **sqlite_engine_options("sqlite:///x"))
    configure_sqlite(engine)
    errors = []

    def increment():
        try:
            with engine.begin() as connection:
                value = connection.execute(text("SELECT n FROM counter")).scalar_one()
                time.sleep(0.002)  # a read-then-write: lost updates if two writers overlapped
                connection.execute(text("UPDATE counter SET n = :n"), {"n": value + 1})
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=increment) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM counter")).scalar_one() == 40
    assert errors == []
    engine.dispose()


def test_a_begin_that_fails_leaves_the_queue_open(database, tmp_path):
    # Another program (the sqlite3 shell, say) holds the write lock without queueing; BEGIN IMMEDIATE
    # gives up after the busy timeout. The failure is SQLAlchemy's OperationalError, and the queue
    # is free again for the next writer.
    outsider = sqlite3.connect(database, isolation_level=None)
    outsider.execute("BEGIN IMMEDIATE")
    engine = create_engine(f"sqlite:///{database}", **sqlite_engine_options("sqlite:///x"))
    configure_sqlite(engine)
    with engine.connect() as connection:
        connection.connection.dbapi_connection.execute("PRAGMA busy_timeout=50")  # not 30 s
        with pytest.raises(OperationalError, match="locked"):
            connection.begin()
        connection.rollback()
    outsider.rollback()
    other = connect(database)
    started = time.perf_counter()
    begin(other)
    assert time.perf_counter() - started < 1.0
    other.rollback()
    engine.dispose()


def test_memory_databases_have_no_queue_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a queue file named after ":memory:" would appear
    connection = connect(":memory:")
    connection.begin_writing()  # a private database: nothing to queue for
    connection.close()
    assert not list(tmp_path.iterdir())


def test_a_second_write_in_the_same_thread_fails_instead_of_waiting_for_itself(database):
    first, second = connect(database), connect(database)
    begin(first)
    started = time.perf_counter()
    with pytest.raises(RuntimeError, match="already has a write transaction"):
        second.begin_writing()
    assert time.perf_counter() - started < 1.0
    first.commit()
    begin(second)  # the thread's write is over: the next one may start
    second.execute("UPDATE counter SET n = n + 1")
    second.commit()
    first.close(), second.close()


def test_a_commit_is_on_the_disk_before_it_returns_and_the_next_writer_need_not_wait_for_that(database, monkeypatch):
    flushes = []  # (the file flushed, whether another writer could have taken the lock meanwhile)
    flush = os.fdatasync

    def watched(descriptor):
        other = os.open(f"{database}-writers", os.O_RDWR)
        try:
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            fcntl.flock(other, fcntl.LOCK_UN)
            lock_free = True
        except BlockingIOError:
            lock_free = False
        finally:
            os.close(other)
        flushes.append((os.readlink(f"/proc/self/fd/{descriptor}"), lock_free))
        return flush(descriptor)

    monkeypatch.setattr(os, "fdatasync", watched)
    connection = connect(database)
    begin(connection)
    connection.execute("UPDATE counter SET n = n + 1")
    connection.commit()
    assert flushes == [(f"{database}-wal", True)]

    connection.execute("BEGIN")  # a read: nothing to flush
    connection.execute("SELECT n FROM counter").fetchone()
    connection.commit()
    begin(connection)  # a write rolled back: nothing to flush either
    connection.execute("UPDATE counter SET n = n + 1")
    connection.rollback()
    assert len(flushes) == 1
    connection.close()


def test_a_worker_that_only_reads_leaves_the_write_lock_to_others(app, database_url):
    # A mail worker renders a chunk of follow-ups inside reading_only(): the door's check-ins must not wait for it.
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    other = connect(make_url(database_url).database)
    wrote = threading.Event()

    def check_in():
        begin(other)  # queues behind any open write transaction
        other.execute("ROLLBACK")
        wrote.set()

    with reading_only():
        db.session.execute(text("SELECT 1"))  # a worker's transaction (no request): open while it renders
        thread = threading.Thread(target=check_in)
        thread.start()
        got_in = wrote.wait(timeout=5)
        db.session.rollback()
    thread.join(timeout=5)
    other.close()
    assert got_in, "a writer waited for a transaction that only reads"
