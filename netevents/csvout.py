"""CSV downloads, streamed row by row, safe to open in a spreadsheet."""

import csv
import io
from collections.abc import Iterable, Sequence


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run cells that start with these as formulas; a leading quote keeps them text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def stream_csv(header: Sequence[str], rows: Iterable[Sequence]) -> Iterable[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def take() -> str:
        value = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return value

    writer.writerow(header)
    yield take()
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield take()
