"""The signing key made on first use when NETEVENTS_SECRET_KEY is not set: one key, whoever asks first."""

import threading
from concurrent.futures import ThreadPoolExecutor

from netevents import create_app
from netevents.config import TestConfig
from netevents.signing import signer

THREADS = 16


def test_threads_asking_for_the_key_at_once_all_get_the_one_written(tmp_path):
    config = TestConfig(tmp_path / "instance", f"sqlite:///{tmp_path / 'netevents.db'}")
    config.SECRET_KEY = None
    app = create_app(config)
    start = threading.Barrier(THREADS)

    def sign(number: int) -> str:
        with app.app_context():
            start.wait()
            return signer("test").dumps(number)

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        signed = list(pool.map(sign, range(THREADS)))
    with app.app_context():
        assert [signer("test").loads(value) for value in signed] == list(range(THREADS))
    key_file = tmp_path / "instance" / "signing-key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert [path.name for path in key_file.parent.iterdir() if path.name.startswith(".signing-key")] == []
