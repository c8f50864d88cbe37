"""CSV downloads stream: the query runs while the body is read, its rows fetched a batch at a time and sent a
chunk at a time; cells a spreadsheet would run as formulas are neutralised."""

import csv
import io
from contextlib import contextmanager

import pytest
from sqlalchemy import event as sqlalchemy_event
from sqlalchemy import insert, select

from netevents.accounts.models import User
from netevents.checkin.models import Direction, Scan, ScanResult
from netevents.csvout import YIELD_PER, csv_response, safe_cell
from netevents.db import new_secret, utcnow
from netevents.extensions import db
from netevents.ledger.models import LedgerEntry
from netevents.registrations.badge_codes import new_badge_code
from netevents.registrations.models import Registration, RegistrationStatus

ROWS = 400
FORMULA = '=HYPERLINK("http://evil.example","click")'


def person_name(n: int) -> str:
    return FORMULA if n % 100 == 0 else f"Person {n:03}"


def fill(event) -> list[int]:
    """ROWS confirmed registrations, written in two statements (through the service they would take seconds)."""
    user_ids = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [{"email": f"p{n}@example.org", "name": person_name(n)} for n in range(ROWS)],
    ).all()
    registration_ids = db.session.scalars(
        insert(Registration).returning(Registration.id, sort_by_parameter_order=True),
        [
            {
                "event_id": event.id,
                "user_id": user_id,
                "status": RegistrationStatus.confirmed,
                "name": person_name(n),
                "email": f"p{n}@example.org",
                "headline": "+1 for platforms",
                "badge_secret": new_secret(),
                "badge_code": new_badge_code(),
            }
            for n, user_id in enumerate(user_ids)
        ],
    ).all()
    db.session.commit()
    return registration_ids


@contextmanager
def selects_from(table: str):
    """The execution options of each statement that reads `table` while the block runs."""
    seen = []

    def record(_connection, _cursor, statement, _parameters, context, _executemany):
        if f"FROM {table}" in statement:
            seen.append(context.execution_options)

    sqlalchemy_event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sqlalchemy_event.remove(db.engine, "before_cursor_execute", record)


def download(client, url, headers, table) -> tuple[list[bytes], list[dict]]:
    """The body's chunks as the server would send them, and the rows they make; `table` is read from
    only while the body is read, once, with a server-side cursor."""
    with selects_from(table) as reads:
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert response.is_streamed  # a generator, not a body built before the answer starts
        assert reads == []  # nor rows loaded by the view
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        chunks = list(response.response)
        response.close()
    assert [options.get("yield_per") for options in reads] == [YIELD_PER]
    return chunks, list(csv.DictReader(io.StringIO(b"".join(chunks).decode())))


def test_the_attendee_list_streams_from_a_server_side_cursor_with_formulas_neutralised(client, make):
    event = make.event()
    fill(event)
    url, headers = f"/api/v1/events/{event.id}/registrations?format=csv", make.token(event.owner)
    chunks, rows = download(client, url, headers, "registration")
    assert len(chunks) > 2  # the header at once, then the rows in more than one chunk
    assert len(rows) == ROWS
    assert sorted(row["name"] for row in rows if "HYPERLINK" in row["name"]) == ["'" + FORMULA] * 4
    assert {row["headline"] for row in rows} == {"'+1 for platforms"}


def test_the_scan_log_streams_with_formulas_neutralised(client, make):
    event = make.event()
    now = utcnow()
    entry_ids = db.session.scalars(
        insert(LedgerEntry).returning(LedgerEntry.id, sort_by_parameter_order=True),
        [{"actor": "user:1", "nonce": f"n{n}", "answer": {"message": "-welcome-"}} for n in range(ROWS)],
    ).all()
    db.session.execute(
        insert(Scan),
        [
            {
                "id": entry_id,
                "event_id": event.id,
                "registration_id": registration_id,
                "direction": Direction.entry,
                "result": ScanResult.accepted,
                "scanned_at": now,
                "received_at": now,
            }
            for entry_id, registration_id in zip(entry_ids, fill(event), strict=True)
        ],
    )
    url, headers = f"/api/v1/events/{event.id}/checkins?format=csv", make.token(event.owner)
    chunks, rows = download(client, url, headers, "scan")
    assert len(chunks) > 2 and len(rows) == ROWS
    assert sorted(row["attendee"] for row in rows if "HYPERLINK" in row["attendee"]) == ["'" + FORMULA] * 4
    assert {row["message"] for row in rows} == {"'-welcome-"}


def test_rows_are_read_as_the_body_is_read_not_before(app, make):
    event = make.event()
    fill(event)
    formatted = []

    def cells(registration):
        formatted.append(registration.id)
        return (
            registration.id,
            registration.name,
            registration.email,
            registration.badge_secret,
            registration.created_at,
        )

    query = select(Registration).where(Registration.event_id == event.id).order_by(Registration.id)
    with app.test_request_context():
        body = iter(csv_response("people.csv", ("id", "name", "email", "secret", "at"), query, cells).response)
        assert next(body).startswith('"id","name"') and formatted == []
        next(body)
        assert 0 < len(formatted) < ROWS  # the first rows are on their way before the last ones are read
        rest = list(body)
    assert rest and len(formatted) == ROWS


#: Cells a spreadsheet runs as formulas: a formula character first, or after blanks or separators that some
#: spreadsheets skip or split on (each of the latter once went through the guard as it was).
FORMULAS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]
BYPASSES = [";=1+1", ",=1+1", "|=1+1", " =1+1", "  +1", "\t=1+1", "\n=1+1", "\r\n@SUM(A1)", "\u00a0=1+1", "; \t-1"]


@pytest.mark.parametrize("value", FORMULAS + BYPASSES)
def test_cells_that_would_run_as_formulas_are_kept_as_text(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("Ada") == "Ada" and safe_cell(None) == "" and safe_cell(3) == "3"
    assert safe_cell("Ada; =not at the start") == "Ada; =not at the start"


def test_every_field_is_quoted_and_no_cell_opens_as_a_formula(client, make):
    """The attendee list with a hostile name in each way: every field of every line is quoted (so a separator
    inside a cell never starts another), and each cell a spreadsheet reads starts as text."""
    event = make.event()
    hostile = FORMULAS + BYPASSES + ['Ada;=HYPERLINK("http://evil.example")', 'Quote " and, comma']
    user_ids = db.session.scalars(
        insert(User).returning(User.id, sort_by_parameter_order=True),
        [{"email": f"h{n}@example.org", "name": name} for n, name in enumerate(hostile)],
    ).all()
    db.session.execute(
        insert(Registration),
        [
            {
                "event_id": event.id,
                "user_id": user_ids[n],
                "status": RegistrationStatus.confirmed,
                "name": name,
                "email": f"h{n}@example.org",
                "headline": name,
                "badge_secret": new_secret(),
                "badge_code": new_badge_code(),
            }
            for n, name in enumerate(hostile)
        ],
    )
    db.session.commit()
    url, headers = f"/api/v1/events/{event.id}/registrations?format=csv", make.token(event.owner)
    chunks, rows = download(client, url, headers, "registration")
    text = b"".join(chunks).decode()
    all_quoted = io.StringIO()
    csv.writer(all_quoted, quoting=csv.QUOTE_ALL).writerows(csv.reader(io.StringIO(text)))
    assert text == all_quoted.getvalue()
    assert sorted(row["name"] for row in rows) == sorted(safe_cell(name) for name in hostile)
    for row in rows:
        for cell in row.values():
            first = cell.lstrip(" \t\r\n\u00a0,;|")[:1]
            assert cell.startswith("'") or first not in ("=", "+", "-", "@"), f"{cell!r} would open as a formula"


@pytest.mark.parametrize("phone", ["+44 20 7946 0000", "+1 (555) 010-0100", "+49 30.1234/567"])
def test_a_phone_number_stays_readable(phone):
    assert safe_cell(phone) == phone


@pytest.mark.parametrize("value", ["+1+HYPERLINK(evil)", "+44 20 7946 0000;=1+1", "+1", '+1-cmd|" /C calc"!A0'])
def test_a_formula_that_starts_like_a_phone_number_is_kept_as_text(value):
    assert safe_cell(value) == "'" + value
