"""My connections as vCards (3.0, one per connection) and as CSV: only what each person shares with me now.

Both are made from `ConnectionView`s, whose cards came through the visibility policy: a detail hidden from me
is None there and absent here. Tags go in words (`people/actions.py`'s `tags_in_words`), as the web app shows them.
"""

from collections.abc import Iterable, Iterator, Mapping, Sequence

from netevents.csvout import stream_csv
from netevents.people.answers import ConnectionView

CSV_HEADER = (
    "name",
    "headline",
    "company",
    "email",
    "phone",
    "links",
    "events",
    "first_met_at",
    "last_met_at",
    "i_scanned",
    "scanned_me",
    "tags",
    "note",
    "followed_up",
)


def vcard(view: ConnectionView, tags: Sequence[str]) -> str:
    """One connection as a vCard 3.0: their shared details, and my own note and tags (in words) about them."""
    person = view.other
    family, given = _name_parts(person.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"UID:netevents-connection-{view.id}",
        f"FN:{_text(person.name)}",
        f"N:{_text(family)};{_text(given)};;;",
    ]
    if person.email:
        lines.append(f"EMAIL;TYPE=INTERNET:{_text(person.email)}")
    if person.phone:
        lines.append(f"TEL:{_text(person.phone)}")
    if person.company:
        lines.append(f"ORG:{_text(person.company)}")
    if person.headline:
        lines.append(f"TITLE:{_text(person.headline)}")
    lines.extend(f"URL:{_text(link['url'])}" for link in person.links or ())
    lines.append(f"NOTE:{_text(_note(view))}")
    if tags:
        lines.append("CATEGORIES:" + ",".join(_text(tag) for tag in tags))
    lines.append("END:VCARD")
    return "".join(_folded(line) for line in lines)


def _name_parts(name: str) -> tuple[str, str]:
    """(family, given) for a card's N: the last word with a letter in it is the family name, so "Ada Lovelace 🚀"
    files under Lovelace, not under the rocket; one such word is a given name alone. FN keeps the name as written."""
    words = [word for word in name.split() if any(char.isalpha() for char in word)]
    if len(words) < 2:
        return "", " ".join(words) or name.strip()
    return words[-1], " ".join(words[:-1])


# Written by hand rather than with vobject: its serializer took 2 ms a card, half the time of a whole "people you
# met" email with 20 connections (bench/follow_up_bench.py). tests/people/test_exports.py reads the cards back with
# vobject, hard names and notes included.
def _text(value: str) -> str:
    """A TEXT value (RFC 2426 section 5): backslash, comma and semicolon escaped, line breaks as \\n."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _folded(line: str) -> str:
    """A content line folded after 75 octets (RFC 2425 section 5.8.1), never inside a UTF-8 character."""
    if line.isascii():  # one octet a character: slices (a card's note is often longer than a line)
        if len(line) <= 75:
            return line + "\r\n"
        return "\r\n ".join([line[:75], *(line[start : start + 74] for start in range(75, len(line), 74))]) + "\r\n"
    parts, current, size = [], [], 0
    for char in line:
        width = len(char.encode())
        if size + width > 75:
            parts.append("".join(current))
            current, size = [], 1  # a continuation line starts with one space
        current.append(char)
        size += width
    parts.append("".join(current))
    return "\r\n ".join(parts) + "\r\n"


def vcards(views: Iterable[ConnectionView], tags: Mapping[int, Sequence[str]]) -> Iterator[str]:
    """A .vcf file, card by card; `tags`: each connection's tags in words, by connection id."""
    for view in views:
        yield vcard(view, tags[view.id])


def connections_csv(views: Iterable[ConnectionView], tags: Mapping[int, Sequence[str]]) -> Iterator[str]:
    """A CSV file, row by row (netevents.csvout keeps cells from running as spreadsheet formulas); `tags`: each
    connection's tags in words, by connection id."""
    return stream_csv(CSV_HEADER, (_row(view, tags[view.id]) for view in views))


def _row(view: ConnectionView, tags: Sequence[str]) -> list:
    person = view.other
    return [
        person.name,
        person.headline,
        person.company,
        person.email,
        person.phone,
        " ".join(link["url"] for link in person.links) if person.links is not None else None,
        "; ".join(_events(view)),
        view.first_met_at.isoformat(),
        view.last_met_at.isoformat(),
        view.i_scanned,
        view.scanned_me,
        "; ".join(tags),  # a tag may be a few words
        view.note,
        view.followed_up,
    ]


def _events(view: ConnectionView) -> list[str]:
    return list(dict.fromkeys(m.event_title for m in view.meetings if m.event_title))


def _note(view: ConnectionView) -> str:
    met = f"Met at {', '.join(_events(view))}" if _events(view) else "Met"
    first = view.first_met_at.date().isoformat()
    return f"{met} ({first}), via netevents." + (f"\n\n{view.note}" if view.note else "")
