"""Importing attendees from CSV: all or nothing, every problem reported with its line."""

import pytest
from sqlalchemy import func, select

from netevents.accounts.models import User
from netevents.events.models import Event, EventStatus
from netevents.extensions import db
from netevents.mail.models import OutgoingEmail
from netevents.registrations.csvio import CsvImportError, parse_attendee_csv
from netevents.registrations.models import Registration, RegistrationSource, RegistrationStatus
from tests.mail.reading import recipient

GOOD = (
    "email,name,headline,company\n"
    "ada@example.org,Ada Lovelace,Staff engineer,Analytical\n"
    "GRACE@Example.org,Grace Hopper,,Navy\n"
    'alan@example.org,"Turing, Alan",Researcher,\n'
)


def upload(client, event, body, headers, content_type="text/csv", **query):
    data = body.encode() if isinstance(body, str) else body
    return client.post(
        f"/api/v1/events/{event.id}/registrations/import",
        headers=headers,
        data=data,
        content_type=content_type,
        query_string=query,
    )


def nothing_imported(users_before: int = 1) -> bool:
    """No registration, no new account (only the organizer's), no email."""
    db.session.rollback()
    return (
        db.session.scalar(select(func.count()).select_from(Registration)) == 0
        and db.session.scalar(select(func.count()).select_from(User)) == users_before
        and db.session.scalar(select(func.count()).select_from(OutgoingEmail)) == 0
    )


def test_a_good_file_registers_everyone_and_emails_their_badges(client, make, outbox):
    event = make.event(capacity=2)
    response = upload(client, event, GOOD, make.token(event.owner))
    assert response.status_code == 200, response.json
    assert response.json == {"rows": 3, "confirmed": 2, "waitlisted": 1, "dry_run": False}
    rows = db.session.scalars(select(Registration).order_by(Registration.id)).all()
    assert [(r.email, r.name, r.headline, r.company, r.status) for r in rows] == [
        ("ada@example.org", "Ada Lovelace", "Staff engineer", "Analytical", RegistrationStatus.confirmed),
        ("grace@example.org", "Grace Hopper", "", "Navy", RegistrationStatus.confirmed),
        ("alan@example.org", "Turing, Alan", "Researcher", "", RegistrationStatus.waitlisted),
    ]
    assert {r.source for r in rows} == {RegistrationSource.imported}
    assert sorted(recipient(m) for m in outbox()) == ["ada@example.org", "alan@example.org", "grace@example.org"]
    db.session.expire_all()
    assert db.session.get(Event, event.id).confirmed_count == 2


def test_notify_false_imports_quietly(client, make, outbox):
    event = make.event()
    response = upload(client, event, GOOD, make.token(event.owner), notify="false")
    assert response.status_code == 200 and response.json["confirmed"] == 3
    assert outbox() == []


def test_a_file_with_broken_rows_imports_nothing_and_names_every_problem(client, make):
    event = make.event()
    body = (
        "email,name,headline,company\n"  # line 1
        "ada@example.org,Ada Lovelace,,\n"  # line 2: fine
        ",No Email,,\n"  # line 3: email empty
        "not-an-email,Someone,,\n"  # line 4: bad email
        "ADA@example.org,Ada Again,,\n"  # line 5: same email as line 2
        f"long@example.org,{'x' * 121},,\n"  # line 6: name too long
        "extra@example.org,Extra,a,b,c\n"  # line 7: too many cells
        "noname@example.org,,,\n"  # line 8: name empty
    )
    response = upload(client, event, body, make.token(event.owner))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.json["reason"] == "invalid_csv"
    problems = {(p["line"], p["field"]) for p in response.json["rows"]}
    assert problems == {(3, "email"), (4, "email"), (5, "email"), (6, "name"), (7, None), (8, "name")}
    duplicate = next(p for p in response.json["rows"] if p["line"] == 5)
    assert "line 2" in duplicate["message"]
    assert "nothing was imported" in response.json["detail"]
    assert nothing_imported()


def test_a_file_that_is_not_utf8_names_the_line_and_imports_nothing(client, make):
    event = make.event()
    body = b"email,name\nada@example.org,Ada\njoerg@example.org,J\xf6rg M\xfcller\n"  # Latin-1
    response = upload(client, event, body, make.token(event.owner))
    assert response.status_code == 422 and response.json["reason"] == "invalid_csv"
    (problem,) = response.json["rows"]
    assert problem["line"] == 3 and "line 3" in problem["message"] and "0xF6" in problem["message"]
    assert "UTF-8" in response.json["detail"]
    assert nothing_imported()


def test_dry_run_checks_the_file_and_imports_nothing(client, make):
    event = make.event()
    response = upload(client, event, GOOD, make.token(event.owner), dry_run="true")
    assert response.status_code == 200
    assert response.json == {"rows": 3, "confirmed": 3, "waitlisted": 0, "dry_run": True}
    assert nothing_imported()
    broken = upload(client, event, "email,name\nnope,Nope\n", make.token(event.owner), dry_run="true")
    assert broken.status_code == 422 and broken.json["rows"][0]["line"] == 2


@pytest.mark.parametrize(
    ("capacity", "waitlist", "taken"),
    [(None, True, 0), (5, True, 0), (2, True, 0), (3, True, 2), (2, True, 2), (3, False, 0), (3, False, 1)],
)
def test_dry_run_counts_what_the_import_then_does(client, make, capacity, waitlist, taken):
    event = make.event(capacity=capacity, waitlist_enabled=waitlist)
    for _ in range(taken):
        make.registration(event)
    headers = make.token(event.owner)
    preview = upload(client, event, GOOD, headers, dry_run="true", notify="false")
    imported = upload(client, event, GOOD, headers, notify="false")
    assert preview.status_code == imported.status_code, (preview.json, imported.json)
    if imported.status_code == 200:
        assert preview.json == {**imported.json, "dry_run": True}
    else:
        assert preview.json["reason"] == imported.json["reason"] == "event_full"


@pytest.mark.parametrize("content_type", ["application/json", "multipart/form-data; boundary=x", "image/png"])
def test_other_content_types_are_refused(client, make, content_type):
    event = make.event()
    response = upload(client, event, GOOD, make.token(event.owner), content_type=content_type)
    assert response.status_code == 415
    assert response.json["reason"] == "unsupported_media_type"
    assert "text/csv" in response.json["detail"]
    assert nothing_imported()


def test_people_already_registered_reject_the_file(client, make):
    event = make.event()
    make.registration(event, email="grace@example.org")
    before = db.session.scalar(select(func.count()).select_from(Registration))
    response = upload(client, event, GOOD, make.token(event.owner))
    assert response.status_code == 422
    assert [(p["line"], p["field"]) for p in response.json["rows"]] == [(3, "email")]
    assert db.session.scalar(select(func.count()).select_from(Registration)) == before


def test_a_full_event_without_waitlist_rejects_the_whole_file(client, make):
    event = make.event(capacity=2, waitlist_enabled=False)
    response = upload(client, event, GOOD, make.token(event.owner))
    assert response.status_code == 409 and response.json["reason"] == "event_full"
    assert nothing_imported()
    db.session.expire_all()
    assert db.session.get(Event, event.id).confirmed_count == 0


def test_only_organizers_import_and_only_into_open_events(client, make):
    event = make.event()
    assert upload(client, event, GOOD, {}).status_code == 401
    assert upload(client, event, GOOD, make.token(make.user(name="Mallory"))).status_code == 403
    draft = make.event(event.owner, status=EventStatus.draft)
    closed = upload(client, draft, GOOD, make.token(event.owner))
    assert closed.status_code == 409 and closed.json["reason"] == "event_not_published"
    assert nothing_imported(users_before=2)


# --- the parser on its own ---------------------------------------------------------------------------


def test_parser_accepts_semicolons_a_bom_blank_lines_and_header_case():
    data = "\ufeffEmail;Name;Company\r\nada@example.org;Ada Lovelace;Analytical\r\n\r\n;;\r\nbob@example.org;Bob;\r\n"
    rows = parse_attendee_csv(data.encode("utf-8"))
    assert [(r["email"], r["name"], r["company"], r["line"]) for r in rows] == [
        ("ada@example.org", "Ada Lovelace", "Analytical", 2),
        ("bob@example.org", "Bob", "", 5),
    ]


def test_parser_reports_missing_and_unknown_columns_on_line_1():
    with pytest.raises(CsvImportError) as caught:
        parse_attendee_csv(b"mail,full name\nada@example.org,Ada\n")
    assert caught.value.errors[0]["line"] == 1
    assert "email" in caught.value.message and "full name" in caught.value.message


@pytest.mark.parametrize("data", [b"", b"email,name\n", b"email,name\n\n\n"])
def test_parser_refuses_a_file_without_attendees(data):
    with pytest.raises(CsvImportError):
        parse_attendee_csv(data)


def test_parser_counts_lines_of_quoted_multiline_cells():
    data = b'email,name,headline\nada@example.org,Ada,"two\nlines"\nbad,Bob,\n'
    with pytest.raises(CsvImportError) as caught:
        parse_attendee_csv(data)
    # The first row's headline has a line break (refused: it is one line of text); the bad email is on line 4.
    assert [(e["line"], e["field"]) for e in caught.value.errors] == [(3, "headline"), (4, "email")]


@pytest.mark.parametrize(
    "header",
    ["email,name,email", "Email;Name;EMAIL ", "email,name,company,company"],
)
def test_parser_refuses_a_column_named_twice_and_names_it(header):
    delimiter = ";" if ";" in header else ","
    cells = delimiter.join(["ada@example.org", "Ada"] + ["x@example.org"] * (header.count(delimiter) - 1))
    with pytest.raises(CsvImportError) as caught:
        parse_attendee_csv(f"{header}\n{cells}\n".encode())
    twice = "company" if "company" in header else "email"
    assert caught.value.errors == [
        {"line": 1, "field": twice, "message": f"the column '{twice}' is named twice; keep one of them"}
    ]
    assert f"'{twice}'" in caught.value.message


def test_a_semicolon_file_with_commas_in_its_cells_imports_through_the_api(client, make):
    event = make.event()
    body = "email;name;headline;company\nada@example.org;Lovelace, Ada;Staff engineer, platform;Analytical\n"
    answer = upload(client, event, body, make.token(event.owner))
    assert answer.status_code == 200, answer.json
    db.session.rollback()
    imported = db.session.scalars(select(Registration)).one()
    assert (imported.name, imported.headline) == ("Lovelace, Ada", "Staff engineer, platform")


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b'email,name\nada@example.org,Ada\n\n"unterminated,quote\nbob@example.org,Bob\n', 4),
        (b'email,name\nada@example.org,"Ada\n', 2),
        (b'email,name\r\nada@example.org,Ada\r\nbob@example.org,"Bob', 3),
    ],
    ids=["then-more-rows", "last-row", "crlf-no-final-newline"],
)
def test_parser_says_where_a_quote_is_never_closed(data, line):
    """Not "name is empty" and a mangled email: the rest of the file read as one cell."""
    with pytest.raises(CsvImportError) as caught:
        parse_attendee_csv(data)
    assert caught.value.errors == [{"line": line, "field": None, "message": "A quote opened here is never closed."}]
    assert f"line {line}: a quote opened here is never closed" in caught.value.message.lower()


def test_parser_says_when_a_quote_closes_before_its_cell_ends():
    with pytest.raises(CsvImportError) as caught:
        parse_attendee_csv(b'email,name\nada@example.org,"Ada"Lovelace\n')
    [error] = caught.value.errors
    assert error["line"] == 2 and "a quote closes before its cell ends" in error["message"]
