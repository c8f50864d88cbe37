"""The health probes, and what a request meets while the database is away.

The shared PostgreSQL of the test machine is never stopped here: a server that is down is a PostgreSQL URL on
a port where nothing listens (connections are refused, as while it restarts), and a restart is played by a TCP
relay in front of the real server that drops every connection and stops listening, then listens again. The
drill against a real PostgreSQL restart is in docs/deploy.md ("Restart drill")."""

import contextlib
import os
import select
import socket
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from gunicorn.config import Config
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, ProgrammingError

from netevents import create_app
from netevents.config import TestConfig as AppTestConfig
from netevents.extensions import db, limiter
from netevents.redact import RedactingGunicornLogger
from tests.conftest import CI, RequestClient
from tests.live_server import free_port

REDIS_URL = os.environ.get("NETEVENTS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _app(instance_path: Path, database_url: str, **settings):
    config = AppTestConfig(instance_path, database_url)
    for name, value in settings.items():
        setattr(config, name, value)
    app = create_app(config)
    app.test_client_class = RequestClient
    return app


@pytest.fixture
def app_without_database(tmp_path):
    """An app whose PostgreSQL is down: nothing listens on its port."""
    app = _app(tmp_path / "instance", f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/netevents")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_healthz_answers_without_asking_anyone(app_without_database):
    answer = app_without_database.test_client().get("/healthz")
    assert answer.status_code == 200
    assert answer.json == {"status": "ok"}
    assert answer.headers["Cache-Control"] == "no-store"


def test_readyz_is_ok_on_a_migrated_database(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_readyz_is_503_while_the_database_is_down(app_without_database):
    started = time.monotonic()
    answer = app_without_database.test_client().get("/readyz")
    assert time.monotonic() - started < 5
    assert answer.status_code == 503
    assert answer.mimetype == "application/problem+json"
    assert answer.headers["Retry-After"] == "5"
    assert answer.json["reason"] == "not_ready"
    assert answer.json["checks"] == {"database": "unreachable", "migrations": "unknown"}
    assert "database" in answer.json["detail"]


def test_readyz_is_503_until_the_migrations_are_run(tmp_path):
    app = _app(tmp_path / "instance", f"sqlite:///{tmp_path / 'not-migrated.db'}")
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.json["checks"]["database"] == "ok"
    assert answer.json["checks"]["migrations"].startswith("at none, expected ")
    with app.app_context():
        db.engine.dispose()


def test_readyz_is_ready_on_a_schema_a_newer_release_migrated_and_503_on_an_older_one(tmp_path):
    # During a rolling upgrade the database is migrated first: the instances still running the previous release
    # meet a revision they do not know and keep serving; an instance whose code is ahead of the schema does not.
    app = _app(tmp_path / "instance", f"sqlite:///{tmp_path / 'migrated.db'}")
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = 'f0f0f0f0f0f0'"))
    answer = app.test_client().get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json == {"status": "degraded", "checks": {"database": "ok", "migrations": "ahead"}}
    with app.app_context(), db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ebb75190d70b'"))
    behind = app.test_client().get("/readyz")
    assert behind.status_code == 503
    assert behind.json["checks"]["migrations"].startswith("at ebb75190d70b, expected ")
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/events", None),
        ("GET", "/api/v1/events/1", None),
        ("POST", "/api/v1/auth/token", {"email": "ada@example.org", "password": "correct horse battery"}),
        ("GET", "/api/v1/me", None),
    ],
)
def test_while_the_database_is_down_requests_get_503_with_retry_after_quickly(app_without_database, method, path, body):
    # (Sign-up and sign-in links answer 202 before they touch the database, so that its answer never tells whether an address has
    # an account: with the database down their work after the response fails and is logged.)
    started = time.monotonic()
    answer = app_without_database.test_client().open(
        path, method=method, json=body, headers={"Authorization": "Bearer at_not-a-real-token"}
    )
    elapsed = time.monotonic() - started
    if answer.status_code == 401:  # a view may refuse a request before it needs the database
        return
    assert answer.status_code == 503, answer.json
    assert answer.json["reason"] == "database_unavailable"
    assert answer.headers["Retry-After"] == "2"
    assert elapsed < 5


@pytest.mark.parametrize(
    ("error", "status", "reason"),
    [
        (InterfaceError("SELECT 1", {}, Exception("connection is closed")), 503, "database_unavailable"),
        (
            DBAPIError("SELECT 1", {}, Exception("server closed the connection"), connection_invalidated=True),
            503,
            "database_unavailable",
        ),
        (ProgrammingError("SELECT nope", {}, Exception("syntax error")), 500, "server_error"),
    ],
    ids=["connection-closed", "connection-invalidated", "a-bug"],
)
def test_a_connection_lost_under_a_statement_is_a_503_and_any_other_driver_error_a_500(tmp_path, error, status, reason):
    app = _app(tmp_path / "instance", f"sqlite:///{tmp_path / 'unused.db'}")

    def fails():
        raise error

    app.add_url_rule("/fails", view_func=fails)
    answer = app.test_client().get("/fails")
    assert answer.status_code == status
    assert answer.json["reason"] == reason
    assert ("Retry-After" in answer.headers) == (status == 503)


def test_the_postgresql_pool_tests_its_connections_and_connects_with_a_timeout(tmp_path):
    app = _app(tmp_path / "instance", "postgresql+psycopg://postgres@127.0.0.1:1/netevents")
    options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    assert options["pool_pre_ping"] is True
    assert options["connect_args"] == {"connect_timeout": 3}
    assert options["pool_timeout"] == 3


# --- Redis, when the rate limits are kept there ---------------------------------------------------------------


@pytest.fixture
def limits_on(monkeypatch):
    """Rate limits on (the test app has them off) for the apps a test makes; the extension object is shared."""
    monkeypatch.setattr(limiter, "enabled", limiter.enabled)
    return {"RATELIMIT_ENABLED": True}


def test_readyz_stays_ready_but_degraded_when_redis_is_down(app, tmp_path, limits_on):
    # Redis away is the same for every instance: a load balancer taking them all out would serve nobody.
    db.session.commit()
    redis_down = f"redis://127.0.0.1:{free_port()}/0"
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    down = _app(tmp_path / "instance", database_url, RATELIMIT_STORAGE_URI=redis_down, **limits_on)
    answer = down.test_client().get("/readyz")
    assert answer.status_code == 200
    assert answer.json == {
        "status": "degraded",
        "checks": {"database": "ok", "migrations": "ok", "redis": "unreachable, limits counted per process"},
    }
    # Meanwhile the other requests are served, each process counting its limits in memory.
    assert down.test_client().get("/api/v1/events").status_code == 200
    assert (
        down.test_client().post("/api/v1/auth/token", json={"email": "a@example.org", "password": "x"}).status_code
        == 401
    )


def test_readyz_asks_redis_when_it_keeps_the_rate_limits(app, tmp_path, limits_on):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError:
        if CI:
            pytest.fail(f"CI needs Redis at {REDIS_URL}")
        pytest.skip(f"no Redis at {REDIS_URL}")
    db.session.commit()
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    with_redis = _app(tmp_path / "instance", database_url, RATELIMIT_STORAGE_URI=REDIS_URL, **limits_on)
    answer = with_redis.test_client().get("/readyz")
    assert answer.status_code == 200, answer.json
    assert answer.json["checks"]["redis"] == "ok"


# --- the access log ------------------------------------------------------------------------------------------


class _Response:
    def __init__(self, status: str):
        self.status, self.sent, self.headers = status, 2, []


class _Request:
    def __init__(self, path: str):
        self.method, self.path, self.query, self.uri, self.version, self.headers = "GET", path, "", path, (1, 1), []


def test_successful_probes_stay_out_of_the_access_log(tmp_path):
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("logger_class", "netevents.redact.RedactingGunicornLogger")
    logger = RedactingGunicornLogger(cfg)
    for path, status in [("/healthz", "200 OK"), ("/readyz", "200 OK"), ("/readyz", "503 Service Unavailable")]:
        environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1"}
        logger.access(_Response(status), _Request(path), environ, _elapsed())
    logger.close_on_exec()
    for handler in logger.access_log.handlers:
        handler.flush()
    lines = (tmp_path / "access.log").read_text().splitlines()
    assert len(lines) == 1 and "/readyz" in lines[0] and " 503 " in lines[0], lines


def _elapsed():
    return timedelta(milliseconds=3)


# --- PostgreSQL going away and coming back ----------------------------------------------------------------------


class Relay:
    """A TCP relay on 127.0.0.1 in front of the real server: `stop()` drops every connection and stops listening
    (as a restarting PostgreSQL does), `start()` listens again on the same port."""

    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.port = free_port()
        self._listener: socket.socket | None = None
        self._connections: list[socket.socket] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen()
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def stop(self) -> None:
        if self._listener:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the thread in accept(), which close() alone does not
            self._listener.close()
            self._listener = None
        with self._lock:
            for connection in self._connections:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
                connection.close()
            self._connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            with self._lock:
                self._connections += [client, server]
            threading.Thread(target=self._pipe, args=(client, server), daemon=True).start()

    @staticmethod
    def _pipe(client: socket.socket, server: socket.socket) -> None:
        pair = {client: server, server: client}
        try:
            while True:
                readable, _, _ = select.select(list(pair), [], [], 1)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    pair[source].sendall(data)
        except (OSError, ValueError):
            return


def test_service_comes_back_after_postgresql_restarts_without_restarting_the_app(app, database_url, tmp_path):
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only (the PostgreSQL pass of `make test` runs it)")
    db.session.commit()
    relay = Relay(url.host or "127.0.0.1", url.port or 5432)
    relay.start()
    served = _app(tmp_path / "instance", url.set(host="127.0.0.1", port=relay.port).render_as_string(False))
    client = served.test_client()
    try:
        assert client.get("/api/v1/events").status_code == 200
        assert client.get("/readyz").status_code == 200

        relay.stop()  # the server goes away: pooled connections die, new ones are refused
        started = time.monotonic()
        answers = [client.get("/api/v1/events") for _ in range(3)]
        assert [answer.status_code for answer in answers] == [503] * 3
        assert all(answer.headers["Retry-After"] == "2" for answer in answers)
        assert client.get("/readyz").status_code == 503
        assert time.monotonic() - started < 10

        relay.start()  # back: the pool's pre-ping replaces the dead connections, the same app serves again
        assert client.get("/api/v1/events").status_code == 200
        assert client.get("/readyz").status_code == 200
    finally:
        relay.stop()
        with served.app_context():
            db.engine.dispose()
