"""A `NestedList` dumps exactly what marshmallow's `List(Nested(schema))` dumps, and is documented the same."""

from datetime import UTC, datetime, timedelta, timezone

import marshmallow as ma
import pytest

from netevents.dumping import NestedList
from netevents.people.answers import ConnectionView, Meeting
from netevents.people.schemas import ConnectionSchema
from netevents.people.visibility import PersonCard


def _views() -> list[ConnectionView]:
    met = datetime(2026, 12, 3, 9, 30, 15, 123456, tzinfo=UTC)
    shown = PersonCard(
        user_id=7,
        name="Ada Lovelace",
        headline="",
        company="Analytical Engines",
        email="ada@example.org",
        phone="+44 20",
        links=({"label": "Blog", "url": "https://example.org"},),
        topics=("Kubernetes", "Rust"),
        mentoring_offered=(),
        mentoring_sought=("Leadership",),
    )
    hidden = PersonCard(user_id=8, name="Bob Builder")  # every detail: not shared with you
    meetings = (
        Meeting(id=1, event_id=3, event_title="Summit", scanned_at=met, by_me=True, actions=("introduced",)),
        Meeting(id=2, event_id=None, event_title=None, scanned_at=met + timedelta(hours=1), by_me=False, actions=None),
    )
    in_paris = datetime(2026, 12, 3, 10, 0, tzinfo=timezone(timedelta(hours=1)))
    return [
        ConnectionView(
            id=11,
            other=shown,
            connected=True,
            i_scanned=True,
            scanned_me=True,
            first_met_at=met,
            last_met_at=met + timedelta(hours=1),
            meetings=meetings,
            tags=("asked_advice",),
            note="Ask about engines",
            followed_up=False,
        ),
        ConnectionView(
            id=12,
            other=hidden,
            connected=False,
            i_scanned=False,
            scanned_me=True,
            first_met_at=in_paris,
            last_met_at=in_paris,
            meetings=meetings[1:],
            tags=(),
            note="",
            followed_up=True,
        ),
    ]


class _Plain(ma.Schema):
    met = NestedList(ConnectionSchema, required=True)


class _Marshmallow(ma.Schema):
    met = ma.fields.List(ma.fields.Nested(ConnectionSchema), required=True)


def test_dumps_what_marshmallow_dumps():
    answer = {"met": _views()}

    assert _Plain().dump(answer) == _Marshmallow().dump(answer)
    assert _Plain().dump({"met": []}) == {"met": []}


def test_a_field_type_it_does_not_know_is_refused_when_first_dumped():
    class Odd(ma.Schema):
        ratio = ma.fields.Float()

    class WithOdd(ma.Schema):
        items = NestedList(Odd)

    with pytest.raises(TypeError, match="Float"):
        WithOdd().dump({"items": [{"ratio": 0.5}]})
