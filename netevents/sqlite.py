"""SQLite, run so that several worker processes write without "database is locked" and nothing acknowledged is
lost: WAL, a writers' queue in front of the write lock, a flush of the log before a commit is acknowledged, and
a background checkpointer. Used only when DATABASE_URL is a SQLite one (`create_app`)."""

import contextlib
import fcntl
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import current_app, g, has_app_context, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

#: Views that write although their method is safe (GET), e.g. the webinar join link.
WRITING_VIEW_ATTRIBUTE = "_netevents_writes"


View = TypeVar("View", bound=Callable[..., Any])


def writes(view: View) -> View:
    """Mark a GET view that writes, so on SQLite its transaction takes the write lock up front."""
    setattr(view, WRITING_VIEW_ATTRIBUTE, True)
    return view


def done_writing() -> None:
    """Say that the request only reads from here on (after its commit, e.g. to build its answer): its next
    transaction does not queue for the write lock."""
    g.netevents_done_writing = True


@contextlib.contextmanager
def reading_only() -> Iterator[None]:
    """Transactions begun inside only read (a mail worker rendering a chunk of emails before writing them): they do
    not take the write lock at BEGIN, so the door's check-ins are not kept waiting meanwhile."""
    before = g.get("netevents_reading_only", False)
    g.netevents_reading_only = True
    try:
        yield
    finally:
        g.netevents_reading_only = before


def _transaction_may_write() -> bool:
    if has_app_context() and g.get("netevents_reading_only"):
        return False
    if not has_request_context():
        return True  # CLI commands, workers and tests
    if g.get("netevents_done_writing"):
        return False
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    view = current_app.view_functions.get(request.endpoint or "")
    return bool(view and getattr(view, WRITING_VIEW_ATTRIBUTE, False))


def _in_memory(path: str | None) -> bool:
    """A database with no file of its own to queue on or to checkpoint (":memory:", or a "file:" URI)."""
    return not path or path == ":memory:" or path.startswith("file:")


class WriterQueueConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions queue on a lock file before BEGIN IMMEDIATE.

    SQLite's own busy handler polls: a writer that finds the lock taken sleeps 1, 2, 5, 10... ms
    and tries again, so under load workers sit idle while the lock is free and the slowest scans
    wait tens of milliseconds. An exclusive `flock` on "<database>-writers" queues them in the
    kernel instead, which wakes the next writer the moment the last one commits or rolls back. Every
    netevents process takes it; anything else that writes (the sqlite3 shell) still meets SQLite's
    busy timeout as before. The kernel drops the lock of a process that dies.
    """

    #: The connection whose write transaction this thread has open: a second one in the same thread would
    #: wait on the lock for itself forever (a `flock` of another descriptor of the same file), so it fails.
    _held_in_thread = threading.local()

    def __init__(self, database: str | os.PathLike[str], *args: Any, **kwargs: Any) -> None:
        super().__init__(database, *args, **kwargs)
        path = os.fspath(database)
        in_memory = _in_memory(path)
        self._writers = None if in_memory else os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT, 0o600)
        self._log = None if in_memory else f"{path}-wal"
        self._writing = False

    def begin_writing(self) -> None:
        if self._writers is not None and not self._writing:
            if getattr(self._held_in_thread, "connection", None) is not None:
                raise RuntimeError(
                    "This thread already has a write transaction open on another connection; "
                    "the second one would wait for it forever."
                )
            fcntl.flock(self._writers, fcntl.LOCK_EX)  # releases the GIL while it waits
            self._writing = True
            self._held_in_thread.connection = self

    def _done_writing(self) -> None:
        if self._writing:
            self._writing = False
            self._held_in_thread.connection = None
            if self._writers is not None:
                fcntl.flock(self._writers, fcntl.LOCK_UN)

    def commit(self) -> None:
        wrote = self._writing
        try:
            super().commit()
        finally:
            self._done_writing()
        if wrote:
            self._flush_log()

    def _flush_log(self) -> None:
        """Put the commit on the disk before it is acknowledged, after the writers' lock is released.

        With `synchronous=NORMAL` a WAL commit reaches only the operating system's cache: an application crash
        loses nothing, but a power cut or a kernel crash can lose the last commits, which PRODUCT.md rules out
        ("no acknowledged write is ever lost"). `synchronous=FULL` flushes inside the commit, holding the write
        lock for the disk's round trip: check-in fell from ~1,600 to ~1,000 scans/s in `make bench`. Flushed
        here, the next writer is already in while this one waits for the disk (~1,300 scans/s).
        """
        if self._log is None:  # an in-memory database has nothing to flush
            return
        try:
            log = os.open(self._log, os.O_RDONLY)
        except FileNotFoundError:  # not in WAL mode (yet): SQLite's own journal took care of it
            return
        try:
            os.fdatasync(log)  # releases the GIL while it waits
        finally:
            os.close(log)

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._done_writing()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._done_writing()
            if self._writers is not None:
                os.close(self._writers)
                self._writers = None


def sqlite_engine_options(url: str) -> dict[str, Any]:
    """Engine options for a SQLite URL (see `WriterQueueConnection`); none for other databases."""
    return {"connect_args": {"factory": WriterQueueConnection}} if url.startswith("sqlite") else {}


def server_engine_options(url: str, connect_timeout: float) -> dict[str, Any]:
    """Engine options for a database server (PostgreSQL): its pool outlives a restart of the server.

    Each connection taken from the pool is tested first (`pool_pre_ping`): one the server closed while it
    restarted is replaced, and the request goes on. While the server is down, connecting fails within
    `connect_timeout` seconds (a host that drops packets would otherwise hold the request for minutes), and a
    request waits at most as long for a free connection of the pool: it is answered 503 with Retry-After
    (netevents/errors.py) instead of hanging until gunicorn kills the worker. None for SQLite.
    """
    if url.startswith("sqlite"):
        return {}
    return {
        "pool_pre_ping": True,
        "pool_timeout": connect_timeout,
        "connect_args": {"connect_timeout": max(1, round(connect_timeout))},
    }


#: With the background checkpointer on, a commit checkpoints the log itself only past this many pages (~40 MB).
CHECKPOINT_FALLBACK_PAGES = 10_000


class WalCheckpointer:
    """Copies committed pages from SQLite's write-ahead log back into the database file, from a thread of its
    own in each process, every `interval` seconds.

    Left to SQLite, the commit that takes the log past `wal_autocheckpoint` pages (1,000) checkpoints it: about
    every hundred check-ins one of them copies the log and waits for the disk (~20 ms here) while it holds
    the write lock, and every other writer waits with it. A PASSIVE checkpoint from another connection takes
    no write lock: writers go on, and this thread waits for the disk with the GIL released.

    A log is started again from the top only by a write that begins when all of it is copied, which a steady
    stream of writes never leaves the thread time for. So the commits keep checkpointing too, at
    `CHECKPOINT_FALLBACK_PAGES`: ten times less often than by default, most of the log already copied by the
    thread. That also bounds the log should the thread fall behind.
    """

    def __init__(self, path: str, interval: float):
        self.path = path
        self.interval = interval
        self._lock = threading.Lock()
        self._pid: int | None = None  # the process the thread runs in: a forked child starts its own
        self._stopped = threading.Event()

    def ensure_running(self) -> None:
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid() and not self._stopped.is_set():
                self._pid = os.getpid()
                threading.Thread(target=self._run, name="sqlite-wal-checkpointer", daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()

    def _run(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            while not self._stopped.wait(self.interval):
                # Busy (another process's thread is checkpointing) or the file is gone: next time.
                with contextlib.suppress(sqlite3.Error):
                    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            connection.close()


def configure_sqlite(engine: Engine, checkpoint_seconds: float | None = None) -> None:
    """WAL, a busy timeout, and BEGIN IMMEDIATE for transactions that may write; with `checkpoint_seconds`,
    the log is checkpointed in the background (`WalCheckpointer`) instead of by the commits.

    A deferred SQLite transaction that reads and then writes fails at once with "database is
    locked" when another connection wrote in between (no busy wait can help it). Taking the write
    lock at BEGIN makes writers queue instead (on the writers' lock file, see
    `WriterQueueConnection`, then on the busy timeout), so several gunicorn workers never see that
    error; readers stay concurrent thanks to WAL.
    """

    path = engine.url.database
    checkpointer = (
        WalCheckpointer(path, checkpoint_seconds)
        if path is not None and checkpoint_seconds and not _in_memory(path)
        else None
    )
    if checkpointer is not None:
        event.listen(engine, "engine_disposed", lambda _engine: checkpointer.stop())

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # and yet durable: WriterQueueConnection._flush_log
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if checkpointer is not None:
            cursor.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_FALLBACK_PAGES}")
            checkpointer.ensure_running()
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Connection) -> None:
        # SQLAlchemy's recipe for pysqlite ("Serializable isolation / Savepoints / Transactional DDL"), with the
        # writers' queue in front of the write lock.
        writing = _transaction_may_write()
        dbapi_connection = connection.connection.dbapi_connection
        queued = dbapi_connection if writing and isinstance(dbapi_connection, WriterQueueConnection) else None
        if queued is not None:
            queued.begin_writing()
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
        except Exception:
            if queued is not None:
                queued.rollback()  # lets the next writer in
            raise
