"""The default rate-limit storage, a SQLite file, counts one limit for every process and thread of a host."""

import multiprocessing
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from netevents.ratelimit_storage import SQLiteFileStorage, storage_uri

LIMIT = parse("40 per minute")


def _hits(uri: str, count: int, results) -> None:
    limiter = MovingWindowRateLimiter(storage_from_string(uri))
    results.put(sum(limiter.hit(LIMIT, "203.0.113.7") for _ in range(count)))


def test_the_scheme_is_registered_with_limits(tmp_path):
    assert isinstance(storage_from_string(storage_uri(tmp_path / "limits.db")), SQLiteFileStorage)


def test_processes_share_one_limit(tmp_path):
    uri = storage_uri(tmp_path / "limits.db")
    results = multiprocessing.get_context("spawn").Queue()
    workers = [multiprocessing.get_context("spawn").Process(target=_hits, args=(uri, 30, results)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert sum(results.get(timeout=5) for _ in workers) == 40  # not 3 x 30, nor 3 x 40


def test_threads_share_one_limit_and_the_window_is_reported(tmp_path):
    limiter = MovingWindowRateLimiter(storage_from_string(storage_uri(tmp_path / "limits.db")))
    with ThreadPoolExecutor(8) as pool:
        allowed = sum(pool.map(lambda _: limiter.hit(LIMIT, "key"), range(100)))
    assert allowed == 40
    assert not limiter.test(LIMIT, "key") and limiter.test(LIMIT, "another key")
    stats = limiter.get_window_stats(LIMIT, "key")
    assert stats.remaining == 0 and time.time() < stats.reset_time <= time.time() + 60


def test_fixed_window_counters_work_too(tmp_path):
    storage = storage_from_string(storage_uri(tmp_path / "limits.db"))
    assert [storage.incr("k", 60) for _ in range(3)] == [1, 2, 3]
    assert storage.get("k") == 3 and storage.get_expiry("k") > time.time()
    storage.clear("k")
    assert storage.get("k") == 0 and storage.check()


def _first_hit(storage, start: threading.Barrier) -> bool:
    start.wait()
    return storage.acquire_entry("key", 100, 60)


def test_threads_opening_a_new_file_at_once_all_count(tmp_path):
    """A worker's first requests open their connections together: none may be refused "database is locked" while
    another sets the file up."""
    for attempt in range(100):
        storage = storage_from_string(storage_uri(tmp_path / f"limits-{attempt}.db"))
        start = threading.Barrier(32)
        with ThreadPoolExecutor(32) as pool:
            assert all(pool.map(lambda _, storage=storage, start=start: _first_hit(storage, start), range(32)))
        assert storage.get_moving_window("key", 100, 60)[1] == 32
