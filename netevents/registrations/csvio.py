"""Attendee lists in and out as CSV: all-or-nothing import with an error per row, safe export."""

import csv
import io

from flask import Response
from marshmallow import ValidationError, validate
from sqlalchemy import Select
from sqlalchemy.orm import lazyload

from netevents.csvout import csv_response
from netevents.registrations.models import Registration
from netevents.schemas import control_character

IMPORT_COLUMNS = ("email", "name", "headline", "company")
UNCLOSED_QUOTE = "A quote opened here is never closed."
REQUIRED_COLUMNS = ("email", "name")
MAX_IMPORT_ROWS = 5000
_LIMITS = {"email": 254, "name": 120, "headline": 160, "company": 120}
_email = validate.Email(error="Not an email address.")

EXPORT_COLUMNS = ("id", "name", "email", "headline", "company", "status", "source", "registered_at", "cancelled_at")


class CsvImportError(Exception):
    def __init__(self, message: str, errors: list[dict]):
        super().__init__(message)
        self.message = message
        self.errors = errors


def parse_attendee_csv(data: bytes) -> list[dict]:
    """Rows as dicts, or CsvImportError listing every problem with its line and column."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CsvImportError(
            "The file is not UTF-8 text. Save it as 'CSV UTF-8' and upload it again.",
            [
                {
                    "line": line,
                    "field": None,
                    "message": f"Byte 0x{data[error.start]:02X} on line {line} is not valid UTF-8.",
                }
            ],
        ) from None
    # The header names known columns, so its separator is the file's (Excel writes ";" in many locales).
    # csv.Sniffer guesses from the data too, and a blank or sparse row makes it fall back to ",".
    header_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=header_line.count)
    # strict: a quote never closed is an error, not the rest of the file read as one cell.
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    except csv.Error as error:
        raise CsvImportError(
            "The first line must name the columns; it cannot be read.", [_unreadable(error, line=1)]
        ) from None
    twice = next((column for index, column in enumerate(header) if column in header[:index]), None)
    if twice is not None:
        # DictReader would keep the last cell of the two silently: which one was meant is the organizer's call.
        problem = f"the column '{twice}' is named twice; keep one of them"
        raise CsvImportError(
            f"The first line names the column '{twice}' twice; keep one of them.",
            [{"line": 1, "field": twice, "message": problem}],
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    unknown = [column for column in header if column not in IMPORT_COLUMNS]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"missing column(s): {', '.join(missing)}")
        if unknown:
            problems.append(f"unknown column(s): {', '.join(unknown)}")
        raise CsvImportError(
            f"The first line must name the columns ({', '.join(IMPORT_COLUMNS)}); {'; '.join(problems)}.",
            [{"line": 1, "field": None, "message": "; ".join(problems)}],
        )
    reader.fieldnames = header
    rows, errors, seen = [], [], {}
    line = reader.line_num
    try:
        for record in reader:
            line = reader.line_num
            if len(rows) >= MAX_IMPORT_ROWS:
                raise CsvImportError(f"At most {MAX_IMPORT_ROWS} attendees per file; split it.", [])
            if None in record:
                errors.append({"line": line, "field": None, "message": "This row has more cells than the header."})
                continue
            row = {key: (value or "").strip() for key, value in record.items()}
            if not any(row.values()):
                continue  # blank line
            errors.extend(_row_errors(row, line, seen))
            seen.setdefault(row["email"].lower(), line)
            rows.append({**row, "email": row["email"].lower(), "line": line})
    except csv.Error as error:
        # The row that could not be read starts after the last one that could (and the blank lines after it).
        start = _next_filled_line(text, line + 1)
        if str(error) == "unexpected end of data":  # the csv module's words for a quoted cell the file ends in
            errors.append({"line": start, "field": None, "message": UNCLOSED_QUOTE})
            raise CsvImportError(
                f"{len(errors)} problem(s) in the file; nothing was imported. Line {start}: {UNCLOSED_QUOTE.lower()}",
                errors,
            ) from None
        errors.append(_unreadable(error, line=start))
    if errors:
        raise CsvImportError(f"{len(errors)} problem(s) in the file; nothing was imported.", errors)
    if not rows:
        raise CsvImportError("The file has a header but no attendees.", [])
    return rows


def _next_filled_line(text: str, line: int) -> int:
    """`line`, or the first line after it with something on it."""
    lines = text.split("\n")
    while line <= len(lines) and not lines[line - 1].strip():
        line += 1
    return line


def _unreadable(error: csv.Error, line: int) -> dict:
    message = str(error)
    if "field limit" in message:  # the csv module reads no cell over csv.field_size_limit() characters
        message = f"a cell is longer than {csv.field_size_limit()} characters, far more than any column takes"
    elif "expected after" in message:  # strict reading: "a"b, a quote closed before the cell ends
        message = 'a quote closes before its cell ends (like "Ada"Lovelace); quote the whole cell, or none of it'
    return {"line": line, "field": None, "message": f"Unreadable CSV: {message}."}


def _row_errors(row: dict, line: int, seen: dict) -> list[dict]:
    errors = []
    for column, value in row.items():
        problem = control_character(value, multiline=False, visible=column == "name" and value != "", field=column)
        if problem:
            errors.append({"line": line, "field": column, "message": problem})
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            errors.append({"line": line, "field": column, "message": f"{column} is empty."})
    for column, limit in _LIMITS.items():
        if len(row.get(column) or "") > limit:
            errors.append({"line": line, "field": column, "message": f"{column} is longer than {limit} characters."})
    if row.get("email"):
        try:
            _email(row["email"])
        except ValidationError:
            errors.append(
                {"line": line, "field": "email", "message": f"'{row['email'][:60]}' is not an email address."}
            )
        first = seen.get(row["email"].lower())
        if first:
            errors.append({"line": line, "field": "email", "message": f"Same email as line {first}."})
    return errors


def attendees_csv(event_id: int, query: Select) -> Response:
    """The attendee list as a CSV download, streamed from `query` (a select of registrations)."""
    # The list needs no event: the join that loads one with every registration would be wasted.
    return csv_response(
        f"event-{event_id}-attendees.csv", EXPORT_COLUMNS, query.options(lazyload(Registration.event)), _attendee_cells
    )


def _attendee_cells(registration: Registration) -> tuple:
    return (
        registration.id,
        registration.name,
        registration.email,
        registration.headline,
        registration.company,
        registration.status.value,
        registration.source.value,
        registration.created_at.isoformat(),
        registration.cancelled_at.isoformat() if registration.cancelled_at else "",
    )
