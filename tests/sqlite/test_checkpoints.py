"""SQLite's write-ahead log is copied into the database file by a background thread (netevents.sqlite.
WalCheckpointer), not by the commits: a commit never waits for the disk on behalf of the others.
Real files, a real thread; the database file is read on its own, without the log, to see what was copied."""

import shutil
import sqlite3
import threading
import time

import pytest
from sqlalchemy import create_engine, text

from netevents.sqlite import CHECKPOINT_FALLBACK_PAGES, configure_sqlite, sqlite_engine_options


def engine_for(path, checkpoint_seconds):
    with sqlite3.connect(path) as setup:  # before WAL: the table is in the file from the start
        setup.execute("CREATE TABLE IF NOT EXISTS scan (id INTEGER PRIMARY KEY, nonce TEXT)")
    url = f"sqlite:///{path}"
    engine = create_engine(url, **sqlite_engine_options(url))
    configure_sqlite(engine, checkpoint_seconds)
    return engine


#: Each commit writes about three pages of log (a row this long overflows its page).
PAYLOAD = "x" * 6000


def write_scans(engine, count: int) -> None:
    for n in range(count):
        with engine.begin() as connection:
            connection.execute(text("INSERT INTO scan (nonce) VALUES (:nonce)"), {"nonce": f"scan-{n}-{PAYLOAD}"})


def log_pages(path) -> int:
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size // 4096 if wal.exists() else 0


def rows_in_the_file_alone(path, tmp_path) -> int:
    """The scans the database file holds by itself, as if the log were lost: a copy without the -wal file.
    Only while no checkpoint runs: one halfway through leaves the file whole only together with its log."""
    copy = tmp_path / "file-alone.db"
    shutil.copyfile(path, copy)
    with sqlite3.connect(copy) as connection:
        return connection.execute("SELECT count(*) FROM scan").fetchone()[0]


def checkpointer_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "sqlite-wal-checkpointer"]


def stop_checkpointing(engine) -> None:
    """Dispose of the engine, which stops its thread, and wait until the thread is gone."""
    engine.dispose()
    for thread in checkpointer_threads():
        thread.join(timeout=5)
    assert not checkpointer_threads()


@pytest.fixture
def path(tmp_path):
    return tmp_path / "door.db"


@pytest.fixture
def keeper(path):
    """A connection held open through the test: closing the engine's connections is then not closing the
    database's last one, which would checkpoint the whole log and hide what the thread did (or did not do)."""
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("CREATE TABLE IF NOT EXISTS scan (id INTEGER PRIMARY KEY, nonce TEXT)")
    yield connection
    connection.close()


def test_the_background_thread_copies_the_log_into_the_database_file(path, tmp_path, keeper):
    engine = engine_for(path, checkpoint_seconds=0.05)
    try:
        write_scans(engine, 200)  # ~600 pages: no commit checkpoints below the fallback
        assert keeper.execute("SELECT count(*) FROM scan").fetchone()[0] == 200
        time.sleep(1)  # twenty turns of the thread
    finally:
        stop_checkpointing(engine)
    assert rows_in_the_file_alone(path, tmp_path) == 200


def test_the_log_is_started_again_before_it_grows_past_the_fallback(path, tmp_path, keeper):
    engine = engine_for(path, checkpoint_seconds=0.05)
    try:
        write_scans(engine, 5000)  # ~15,000 pages of log in all, with no pause for the thread to catch up
        # A commit past the fallback size checkpointed the few pages the thread had not copied yet, and the
        # next one started the log again from the top instead of growing it.
        assert log_pages(path) < CHECKPOINT_FALLBACK_PAGES + 1000
    finally:
        stop_checkpointing(engine)
    assert rows_in_the_file_alone(path, tmp_path) > 0


def test_commits_leave_the_checkpoint_to_the_thread(path, tmp_path):
    engine = engine_for(path, checkpoint_seconds=60)  # the thread runs, but not within this test
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == CHECKPOINT_FALLBACK_PAGES
        write_scans(engine, 500)  # ~1,500 log pages: by default a commit would have checkpointed at 1,000...
        assert log_pages(path) > 1000
        assert rows_in_the_file_alone(path, tmp_path) == 0  # ...and these commits did not
    finally:
        engine.dispose()


def test_without_the_thread_commits_checkpoint_as_sqlite_does(path, tmp_path):
    engine = engine_for(path, checkpoint_seconds=0)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == 1000
        write_scans(engine, 500)  # past 1,000 log pages: a commit checkpointed
        assert rows_in_the_file_alone(path, tmp_path) > 0
    finally:
        engine.dispose()


def test_disposing_of_the_engine_stops_its_thread(path):
    before = len(checkpointer_threads())
    engine = engine_for(path, checkpoint_seconds=0.02)
    with engine.connect():
        pass  # the thread starts with the first connection
    assert len(checkpointer_threads()) == before + 1
    engine.dispose()
    deadline = time.monotonic() + 2
    while len(checkpointer_threads()) > before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(checkpointer_threads()) == before
