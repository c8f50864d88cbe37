"""The commands a deployment runs, as real processes: `flask mail work` stopped by SIGTERM in the middle of a
batch, and `flask mail send-due` writing plain lines into a pipe."""

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from netevents.extensions import db
from netevents.mail.models import MailStatus, OutgoingEmail
from tests.conftest import deliver_mail
from tests.live_server import ROOT
from tests.mail.conftest import queue_emails


def flask_env(database_url, instance_path, **settings) -> dict:
    return {
        **os.environ,
        "FLASK_APP": "wsgi",
        "DATABASE_URL": database_url,
        "NETEVENTS_INSTANCE_PATH": str(instance_path),
        **settings,
    }


def flask(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *args]


def statuses() -> dict:
    db.session.rollback()
    return dict(db.session.execute(select(OutgoingEmail.status, func.count()).group_by(OutgoingEmail.status)).all())


def test_sigterm_during_a_batch_finishes_the_email_in_hand_and_gives_the_rest_back(
    app, use_smtp, database_url, tmp_path
):
    ids = queue_emails(150)
    use_smtp.delay = 0.02  # a slow server: the batch of 100 is in flight when the signal comes
    settings = {
        "NETEVENTS_SMTP_HOST": "127.0.0.1",
        "NETEVENTS_SMTP_PORT": str(use_smtp.port),
        "NETEVENTS_SMTP_SECURITY": "none",
        "NETEVENTS_MAIL_BATCH_SIZE": "100",
    }
    worker = subprocess.Popen(
        flask("mail", "work"),
        cwd=ROOT,
        env=flask_env(database_url, tmp_path, **settings),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while len(use_smtp.received) < 20:
            assert worker.poll() is None and time.monotonic() < deadline, worker.stdout.read()
            time.sleep(0.02)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()

    assert worker.returncode == 0, output
    assert "Delivering mail to the mail server 127.0.0.1:" in output and "Mail worker stopped." in output
    received = len(use_smtp.received)
    assert 20 <= received < 100, output  # it stopped inside its first batch
    # What the server got is what the outbox says was sent; nothing is left claimed.
    assert statuses() == {MailStatus.sent: received, MailStatus.queued: 150 - received}
    assert not db.session.scalars(select(OutgoingEmail).where(OutgoingEmail.claimed_by.is_not(None))).all()

    use_smtp.delay = 0
    assert deliver_mail().sent == 150 - received  # the rest goes at once: no lease to wait for
    ids_received = use_smtp.message_ids()
    assert len(ids_received) == len(ids) and set(ids_received.values()) == {1}


def test_send_due_into_a_pipe_prints_plain_lines(app, database_url, tmp_path):
    queue_emails(250)

    result = subprocess.run(
        flask("mail", "send-due"),
        cwd=ROOT,
        env=flask_env(database_url, tmp_path, NETEVENTS_MAIL_BATCH_SIZE="100"),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"250 email(s) due. Delivering mail to the Maildir {tmp_path / 'mail'} " + (
        "(set NETEVENTS_SMTP_HOST to send it through a mail server)."
    )
    assert [line.split(":")[0] for line in lines[1:4]] == ["100 of 250", "200 of 250", "250 of 250"]
    assert lines[4].startswith("Done: 250 sent, 0 to be tried again, 0 failed in ")
    assert len(lines) == 5 and "\r" not in result.stdout and "\x1b" not in result.stdout  # no progress bar
    assert len(list((tmp_path / "mail" / "new").iterdir())) == 250
    assert statuses() == {MailStatus.sent: 250}
