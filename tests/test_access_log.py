"""Credentials that travel in URLs never reach a log: the real server (gunicorn, deploy/gunicorn.conf.py)
writes its access log with badge secrets, join-link secrets, pairing codes, sign-in link codes and tokens
replaced by "[redacted]", in its usual format and in one that logs the Referer and Authorization headers, and
its error log keeps them out too."""

import logging
import shlex
import socket

import pytest
import requests

from netevents.checkin.posters import create_poster
from netevents.checkin.stations import create_station
from netevents.extensions import db
from netevents.redact import REDACTED, redact
from tests.live_server import gunicorn_server, server_log

pytestmark = pytest.mark.slow

VERBOSE_FORMAT = '%(h)s "%(r)s" %(s)s %(U)s %(q)s %({referer}i)s %({authorization}i)s %({raw_uri}e)s'


@pytest.fixture
def secrets_in_urls(make):
    """Real secrets of each kind, and the requests a browser, a phone or a careless client would send with them."""
    event = make.event()
    secret = make.registration(event, name="Bob").badge_secret
    pairing_code = create_station(event.id, event.owner, "Door A").pairing_code
    poster_secret = create_poster(event.id, event.owner, "Main entrance").secret
    db.session.commit()
    magic_code, token = "ml_pretend-sign-in-link-code", "at_pretend-bearer-token"
    requests_to_send = [
        (f"/b/{secret}", {}),
        (f"/api/v1/badges/{secret}", {"Referer": f"http://host/b/{secret}"}),
        (f"/api/v1/badges/{secret}/qr.svg", {}),
        (f"/j/{secret}", {}),
        (f"/p/{poster_secret}", {"Referer": f"http://host/p/{poster_secret}"}),
        (f"/door?pair={pairing_code}", {}),
        (f"/signin?code={magic_code}&next=/me", {"Referer": f"http://host/signin?code={magic_code}"}),
        (f"/api/v1/me?access_token={token}", {"Authorization": f"Bearer {token}"}),
        (f"/api/v1/events?next=%2Fb%2F{secret}", {}),
    ]
    return [secret, pairing_code, poster_secret, magic_code, token], requests_to_send


@pytest.mark.parametrize("log_format", [None, VERBOSE_FORMAT], ids=["usual-format", "with-headers"])
def test_the_access_log_never_writes_a_secret(database_url, tmp_path, secrets_in_urls, log_format):
    secrets, requests_to_send = secrets_in_urls
    access_log = tmp_path / "access.log"
    env = {"NETEVENTS_ACCESS_LOG": str(access_log)}
    if log_format:
        env["GUNICORN_CMD_ARGS"] = f"--access-logformat {shlex.quote(log_format)}"
    with gunicorn_server(database_url, tmp_path, workers=1, threads=1, env=env) as base_url:
        for path, headers in requests_to_send:
            requests.get(base_url + path, headers=headers, timeout=10, allow_redirects=False)
        # A request line gunicorn cannot parse goes to its error log, as it came.
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port))) as raw:
            raw.sendall(f"GET /b/{secrets[0]}\r\nHost: x\r\n\r\n".encode())
            raw.recv(1024)
    errors_written = server_log(tmp_path)
    assert "Invalid request from ip" in errors_written
    written = access_log.read_text()
    for path, _ in requests_to_send:  # each request was logged, its path with it
        assert path.split("?")[0].split("/")[1] in written
    assert written.count(REDACTED) >= len(requests_to_send)
    for secret in secrets:
        assert secret not in written, f"{secret} in the access log:\n{written}"
        assert secret not in errors_written, f"{secret} in the error log:\n{errors_written}"


def test_the_development_servers_request_log_is_redacted_too(app, caplog):
    secret = "Zr7yJ0m4kQ2x9VbN1sTq3wLd"
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        logging.getLogger("werkzeug").info('127.0.0.1 - - "%s" %s %s', f"GET /b/{secret} HTTP/1.1", 200, "-")
    assert secret not in caplog.text and f"/b/{REDACTED}" in caplog.text


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("GET /api/v1/events/7/badges/sheet.html HTTP/1.1", True),
        ("POST /api/v1/checkins HTTP/1.1", True),
        ("GET /static/assets/index-abc.js HTTP/1.1", True),
        ("GET /j/abc%41def HTTP/1.1", False),
        ("GET /p/Hq3vN8sK1mZ0xW5tR2yB7cLd HTTP/1.1", False),
        ("POST /api/v1/posters/3/replace HTTP/1.1", True),
        ("GET /api/v1/events/3/posters HTTP/1.1", True),
        ("POST /unsubscribe/WzEsImZvbGxvd191cCJd.sig HTTP/1.1", False),
        ("GET /followed-up/WzEsMl0.aGk.sig HTTP/1.1", False),
        ("GET /door?x=1&PAIR=K7QF-M2XR-P9 HTTP/1.1", False),
        ("code=ml_abc&next=/me", False),
    ],
)
def test_redact_touches_secrets_only(text, kept):
    assert (redact(text) == text) is kept
