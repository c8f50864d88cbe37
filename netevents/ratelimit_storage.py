"""Rate-limit counters in a SQLite file, so that every worker process of one host counts against the same limits.

flask-limiter keeps its counters in a storage of the `limits` library, chosen by `RATELIMIT_STORAGE_URI`.
`memory://` is per process: with N gunicorn workers each one allows the whole limit, and 80 wrong passwords
met 40 refusals with 401 before the first 429. This storage, the default, is a file beside the database in the
instance folder, shared by all workers of the host; several hosts share Redis instead
(`RATELIMIT_STORAGE_URI=redis://...`). It registers the `sqlite-file` scheme with `limits` as that library
documents for custom storages (a subclass of `Storage` naming its `STORAGE_SCHEME`), and supports the
moving window the app uses (config.RATELIMIT_STRATEGY) as well as fixed windows.

`sqlite-file:///absolute/path/ratelimits.db`. Counters are not worth an fsync: a crash forgets a few hits.
"""

import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from limits.storage import MovingWindowSupport, Storage

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hit (key TEXT NOT NULL, at REAL NOT NULL, expires REAL NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_hit_key_at ON hit (key, at)",
    "CREATE INDEX IF NOT EXISTS ix_hit_expires ON hit (expires)",
    "CREATE TABLE IF NOT EXISTS counter (key TEXT PRIMARY KEY, value INTEGER NOT NULL, expires REAL NOT NULL)",
)
#: One acquisition in this many also deletes every expired hit of any key.
_PURGE_EVERY = 200


#: How long a statement waits for another connection's write lock.
_BUSY_SECONDS = 10


def _set_up(connection: sqlite3.Connection) -> None:
    """Write-ahead logging and the tables, on each new connection (both stay in the file, so this is mostly a check).

    Switching the file to WAL needs it to itself and, unlike other statements, does not wait for the busy timeout:
    threads opening their first connections at once (a worker's first requests) were refused "database is locked".
    It is asked only while the file is not in WAL yet, and tried again until `_BUSY_SECONDS` have passed."""
    deadline = time.monotonic() + _BUSY_SECONDS
    while connection.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            connection.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    connection.execute("PRAGMA synchronous=OFF")
    for statement in _SCHEMA:
        connection.execute(statement)


#: URI schemes of the `limits` storages kept in Redis.
REDIS_SCHEMES = ("redis://", "rediss://", "redis+unix://", "redis+sentinel://", "redis+cluster://")


def storage_uri(path: Path) -> str:
    return f"sqlite-file://{path.absolute()}"


def uses_redis(uri: str) -> bool:
    """The counters are kept in Redis (several hosts share them; /readyz checks that it answers)."""
    return uri.startswith(REDIS_SCHEMES)


class SQLiteFileStorage(Storage, MovingWindowSupport):
    """`limits` storage in one SQLite file; each thread of each process has its own connection to it."""

    STORAGE_SCHEME = "sqlite-file"  # limits registers the class for this URI scheme

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: float | str | bool) -> None:
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        path = urlparse(uri or "").path
        if not path:
            raise ValueError("Say where the file is: sqlite-file:///absolute/path/ratelimits.db")
        self.path = path
        self._local = threading.local()

    @property
    def base_exceptions(self) -> type[Exception]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        # A connection is not carried over a fork: a worker opens its own.
        connection = getattr(self._local, "connection", None)
        if connection is None or self._local.pid != os.getpid():
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(
                self.path, timeout=_BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            _set_up(connection)
            self._local.connection, self._local.pid = connection, os.getpid()
        return connection

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: BEGIN IMMEDIATE takes the file's write lock, so read-then-write is atomic."""
        connection = self._connection()
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    # --- moving window -----------------------------------------------------------------------------------

    def acquire_entry(self, key: str, limit: int, expiry: int, amount: int = 1) -> bool:
        if amount > limit:
            return False
        now = time.time()
        with self._writing() as connection:
            (taken,) = connection.execute(
                "SELECT count(*) FROM hit WHERE key = ? AND at >= ?", (key, now - expiry)
            ).fetchone()
            if taken + amount > limit:
                return False
            connection.executemany(
                "INSERT INTO hit (key, at, expires) VALUES (?, ?, ?)", [(key, now, now + expiry)] * amount
            )
            if random.randrange(_PURGE_EVERY) == 0:
                connection.execute("DELETE FROM hit WHERE expires < ?", (now,))
        return True

    def get_moving_window(self, key: str, limit: int, expiry: int) -> tuple[float, int]:
        now = time.time()
        oldest, taken = (
            self._connection()
            .execute("SELECT min(at), count(*) FROM hit WHERE key = ? AND at >= ?", (key, now - expiry))
            .fetchone()
        )
        return (oldest if taken else now), taken

    # --- fixed window ------------------------------------------------------------------------------------

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        with self._writing() as connection:
            row = connection.execute("SELECT value, expires FROM counter WHERE key = ?", (key,)).fetchone()
            value = row[0] + amount if row and row[1] > now else amount
            expires = row[1] if row and row[1] > now else now + expiry
            connection.execute(
                "INSERT INTO counter (key, value, expires) VALUES (?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires = excluded.expires",
                (key, value, expires),
            )
        return value

    def get(self, key: str) -> int:
        row = self._connection().execute("SELECT value, expires FROM counter WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[1] > time.time() else 0

    def get_expiry(self, key: str) -> float:
        row = self._connection().execute("SELECT expires FROM counter WHERE key = ?", (key,)).fetchone()
        return row[0] if row else time.time()

    # --- upkeep ------------------------------------------------------------------------------------------

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        with self._writing() as connection:
            removed = (
                connection.execute("DELETE FROM counter").rowcount + connection.execute("DELETE FROM hit").rowcount
            )
        return removed

    def clear(self, key: str) -> None:
        with self._writing() as connection:
            connection.execute("DELETE FROM counter WHERE key = ?", (key,))
            connection.execute("DELETE FROM hit WHERE key = ?", (key,))
