"""CSV downloads, streamed from the database while the client reads them, safe to open in a spreadsheet."""

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from flask import Response, stream_with_context
from sqlalchemy import Select

from netevents.extensions import db

#: Rows fetched at a time (a server-side cursor on PostgreSQL): memory stays flat however long the list.
YIELD_PER = 500
#: Characters of CSV gathered into one chunk for the server to send: one write per row would be one per line.
CHUNK_SIZE = 16 * 1024


#: A spreadsheet runs a cell that starts with one of these as a formula (or, for tab and CR, may).
FORMULA_STARTS = frozenset("=+-@\t\r")
#: Skipped before a formula by some spreadsheets, or split on when they guess another separator:
#: " =1+1", ";=1+1" and "\n@SUM(A1)" are formulas too.
_BLANKS_AND_SEPARATORS = " \t\r\n\v\f\u00a0,;|"


#: A phone number as people write it ("+44 20 7946 0000", as netevents.accounts.schemas takes it): a leading +
#: that a spreadsheet may read as a sum of numbers, but with no name, reference or call in it nothing can run.
_PHONE_NUMBER = re.compile(r"\+[0-9][0-9 ()./-]{2,39}")


def safe_cell(value: object) -> str:
    """The cell as text a spreadsheet shows, never runs: a leading quote keeps a would-be formula text. A phone
    number stays as it is written, to be read and dialled."""
    text = "" if value is None else str(value)
    if _PHONE_NUMBER.fullmatch(text):
        return text
    if text[:1] in FORMULA_STARTS or text.lstrip(_BLANKS_AND_SEPARATORS)[:1] in FORMULA_STARTS:
        return "'" + text
    return text


def stream_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """The header at once, then the rows in chunks of about CHUNK_SIZE characters."""
    buffer = io.StringIO()
    # Every field quoted: a separator inside a cell never starts another one, whatever the reader guesses.
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)

    def take() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow(header)
    yield take()
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        if buffer.tell() >= CHUNK_SIZE:
            yield take()
    if buffer.tell():
        yield take()


def csv_response(
    filename: str, header: Sequence[str], query: Select[Any], cells: Callable[..., Sequence[object]]
) -> Response:
    """A CSV download of `query`, run as the client reads it; each result row becomes `cells(*row)`."""

    def rows() -> Iterator[Sequence[object]]:
        # The query runs here, once the header is on its way, not in the view: when the view returns, the
        # request's app context is torn down and its session closed before the server reads the body, and
        # stream_with_context pushes the contexts again around the body, with a fresh session to read from.
        with db.session.execute(query.execution_options(yield_per=YIELD_PER)) as result:
            for row in result:
                yield cells(*row)

    return Response(
        stream_with_context(stream_csv(header, rows())),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
