"""My connections as vCards (3.0, one per connection) and as CSV: only what each person shares with me now.

Both are made from `ConnectionView`s, whose cards came through the visibility policy: a detail hidden from me
is None there and absent here.
"""

from collections.abc import Iterable, Iterator

import vobject

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


def vcard(view: ConnectionView) -> str:
    """One connection as a vCard 3.0: their shared details, and my own note and tags about them."""
    person = view.other
    card = vobject.vCard()
    card.add("uid").value = f"netevents-connection-{view.id}"
    card.add("fn").value = person.name
    *given, family = person.name.split() or [""]
    card.add("n").value = vobject.vcard.Name(family=family if given else "", given=" ".join(given) or family)
    if person.email:
        email = card.add("email")
        email.value = person.email
        email.type_param = "INTERNET"
    if person.phone:
        card.add("tel").value = person.phone
    if person.company:
        card.add("org").value = [person.company]
    if person.headline:
        card.add("title").value = person.headline
    for link in person.links or ():
        card.add("url").value = link["url"]
    card.add("note").value = _note(view)
    if view.tags:
        card.add("categories").value = list(view.tags)
    return card.serialize()


def vcards(views: Iterable[ConnectionView]) -> Iterator[str]:
    """A .vcf file, card by card."""
    for view in views:
        yield vcard(view)


def connections_csv(views: Iterable[ConnectionView]) -> Iterator[str]:
    """A CSV file, row by row (netevents.csvout keeps cells from running as spreadsheet formulas)."""
    return stream_csv(CSV_HEADER, (_row(view) for view in views))


def _row(view: ConnectionView) -> list:
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
        " ".join(view.tags),
        view.note,
        view.followed_up,
    ]


def _events(view: ConnectionView) -> list[str]:
    return list(dict.fromkeys(m.event_title for m in view.meetings if m.event_title))


def _note(view: ConnectionView) -> str:
    met = f"Met at {', '.join(_events(view))}" if _events(view) else "Met"
    first = view.first_met_at.date().isoformat()
    return f"{met} ({first}), via netevents." + (f"\n\n{view.note}" if view.note else "")
