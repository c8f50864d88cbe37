"""SMTP over TLS for real: an aiosmtpd server with a certificate made here by a certificate authority made here.

The certificates are made with the `openssl` command (the `cryptography` package is not among the dependencies);
the tests are skipped where it is missing. Delivery works when NETEVENTS_SMTP_CA_FILE names the authority, and
fails with a reason in words when it does not, the email staying queued for the next attempt.
"""

import shutil
import ssl
import subprocess
from pathlib import Path

import pytest

from netevents.extensions import db
from netevents.mail.models import MailStatus, OutgoingEmail
from tests.conftest import deliver_mail
from tests.live_server import free_port
from tests.mail.conftest import SmtpSink, queue_emails

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Path:
    """ca.pem (a test authority), server.pem and server.key (for 127.0.0.1 and localhost, signed by it), and
    other-ca.pem (an authority that signed nothing here)."""
    folder = tmp_path_factory.mktemp("tls")
    ec = ("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes")
    for name in ("ca", "other-ca"):
        _openssl(
            "req", "-x509", *ec, "-keyout", f"{name}.key", "-out", f"{name}.pem", "-days", "2",
            "-subj", f"/CN=netevents test {name}",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            cwd=folder,
        )  # fmt: skip
    _openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", cwd=folder)
    (folder / "server.ext").write_text(
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
        "keyUsage=critical,digitalSignature\n"
    )
    _openssl(
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        cwd=folder,
    )  # fmt: skip
    return folder


class TlsSink(SmtpSink):
    """The test SMTP server, offering STARTTLS (and requiring it) or speaking TLS from the start."""

    def __init__(self, port: int, context: ssl.SSLContext, *, implicit: bool):
        super().__init__(port=port)
        self.context, self.implicit = context, implicit

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        if self.implicit:
            self.controller = Controller(self, hostname="127.0.0.1", port=self.port, ssl_context=self.context)
        else:
            self.controller = Controller(
                self, hostname="127.0.0.1", port=self.port, tls_context=self.context, require_starttls=True
            )
        self.controller.start()


@pytest.fixture(params=["starttls", "tls"])
def tls_sink(request, app, certificates, monkeypatch):
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificates / "server.pem", certificates / "server.key")
    sink = TlsSink(free_port(), context, implicit=request.param == "tls")
    sink.start()
    for key, value in {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": sink.port,
        "SMTP_SECURITY": request.param,
        "SMTP_TIMEOUT_SECONDS": 5.0,
        "MAIL_RETRY_SECONDS": 0.05,
    }.items():
        monkeypatch.setitem(app.config, key, value)
    yield sink
    sink.stop()


def test_delivery_over_tls_works_when_the_servers_authority_is_trusted(app, tls_sink, certificates, monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_CA_FILE", str(certificates / "ca.pem"))
    queue_emails(2)

    report = deliver_mail()

    assert report.sent == 2, report
    assert sorted(item.rcpt_tos[0] for item in tls_sink.received) == ["person0@example.org", "person1@example.org"]
    assert {email.status for email in db.session.query(OutgoingEmail)} == {MailStatus.sent}


@pytest.mark.parametrize("ca_file", [None, "other-ca.pem"])
def test_an_untrusted_certificate_stops_delivery_with_a_reason_and_the_email_stays_queued(
    app, tls_sink, certificates, monkeypatch, ca_file
):
    monkeypatch.setitem(app.config, "SMTP_CA_FILE", str(certificates / ca_file) if ca_file else None)
    [email_id] = queue_emails(1)

    report = deliver_mail()

    assert report.sent == 0 and tls_sink.received == []
    db.session.expire_all()
    email = db.session.get(OutgoingEmail, email_id)
    assert email.status == MailStatus.queued and email.next_attempt_at is not None
    assert f"The mail server 127.0.0.1:{tls_sink.port} showed a TLS certificate that is not trusted" in email.last_error
    assert "NETEVENTS_SMTP_CA_FILE" in email.last_error

    # The authority trusted now: the next attempt delivers it, once.
    monkeypatch.setitem(app.config, "SMTP_CA_FILE", str(certificates / "ca.pem"))
    db.session.execute(db.update(OutgoingEmail).values(next_attempt_at=None))
    db.session.commit()
    assert deliver_mail().sent == 1 and len(tls_sink.received) == 1
