"""What an exchange can be tagged with: the standard actions, plus each event's own (declared by its organizers)."""

import enum
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from types import MappingProxyType

from sqlalchemy import bindparam, select

from netevents.accounts.models import User
from netevents.bingo.models import BingoRound
from netevents.db import utcnow
from netevents.errors import DomainError
from netevents.events.services import get_organized_event, get_visible_event
from netevents.extensions import db
from netevents.people.answers import ConnectionView
from netevents.people.models import EventExchangeActions


class ExchangeAction(enum.StrEnum):
    """The actions every event offers (and networking bingo's cards are made of)."""

    introduced = "introduced"
    asked_advice = "asked_advice"
    offered_help = "offered_help"
    mentoring = "mentoring"
    shared_knowledge = "shared_knowledge"


STANDARD_ACTIONS: tuple[str, ...] = tuple(ExchangeAction)
#: The standard actions as what happened, in the words the web app shows (frontend/src/lib/actions.ts, `WORDS`;
#: tests/people/test_action_words.py checks that the two agree).
ACTION_WORDS: Mapping[str, str] = MappingProxyType(
    {
        ExchangeAction.introduced: "Introduced ourselves",
        ExchangeAction.asked_advice: "Asked for advice",
        ExchangeAction.offered_help: "Offered help",
        ExchangeAction.mentoring: "Talked mentoring",
        ExchangeAction.shared_knowledge: "Shared knowledge",
    }
)
#: The standard actions as a bingo square asks for them, in the web app's words (actions.ts, `WORDS`' `toDo`;
#: checked by the same test). The server shows no square; it keeps these to tell an event's own actions apart.
SQUARE_WORDS: Mapping[str, str] = MappingProxyType(
    {
        ExchangeAction.introduced: "Introduce yourself",
        ExchangeAction.asked_advice: "Ask for advice",
        ExchangeAction.offered_help: "Offer help",
        ExchangeAction.mentoring: "Talk about mentoring",
        ExchangeAction.shared_knowledge: "Share what you know",
    }
)
#: A tag that is an action (a slug), as opposed to one in my own words ("Hiring in Q3").
_ACTION_SLUG = re.compile(r"[a-z][a-z0-9_]*")
#: An event's own action: a short lower-case slug.
CUSTOM_ACTION_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
MAX_CUSTOM_ACTIONS = 20
#: An own action's words, as its organizer typed them ("Talked AI"): one line, as long as a slug may be.
ACTION_LABEL_LENGTH = 40


@dataclass(frozen=True, slots=True)
class EventActions:
    event_id: int
    custom: tuple[str, ...]
    #: The organizer's words for those of `custom` that have some (older ones may not), and for actions they
    #: removed since: exchanges tagged before keep those tags, read in these words.
    labels: Mapping[str, str] = field(default_factory=dict)
    standard: tuple[str, ...] = STANDARD_ACTIONS

    @property
    def allowed(self) -> frozenset[str]:
        return frozenset(self.standard + self.custom)

    @property
    def retired(self) -> tuple[str, ...]:
        """The event's own actions its organizers removed (with words kept): no new exchange may carry them."""
        return tuple(sorted(set(self.labels) - set(self.custom)))


_CUSTOM_ACTIONS = select(EventExchangeActions.event_id, EventExchangeActions.custom, EventExchangeActions.labels).where(
    EventExchangeActions.event_id.in_(bindparam("event_ids", expanding=True))
)


def actions_of(event_ids: Iterable[int]) -> dict[int, EventActions]:
    """The actions each event allows, by event id."""
    ids = set(event_ids)
    rows = db.session.execute(_CUSTOM_ACTIONS, {"event_ids": list(ids)}) if ids else ()
    found = {event_id: EventActions(event_id, tuple(custom), labels) for event_id, custom, labels in rows}
    return {event_id: found.get(event_id) or EventActions(event_id, ()) for event_id in ids}


def check_actions(actions: Iterable[str], allowed: frozenset[str], field: str) -> None:
    """Refuse (422, naming `field`) actions this event does not offer."""
    unknown = sorted(set(actions) - allowed)
    if unknown:
        raise DomainError(
            "unknown_action",
            f"Not an action here: {', '.join(unknown)}. Use one of: {', '.join(sorted(allowed))}.",
            status=422,
            field=field,
        )


def event_actions(event_id: int, viewer: User | None) -> EventActions:
    """The actions of an event anyone may see (its organizers, for a draft)."""
    return actions_of([get_visible_event(event_id, viewer).id])[event_id]


def set_custom_actions(
    event_id: int,
    organizer: User,
    custom: list[str],
    labels: Mapping[str, str] | None = None,
    custom_field: str = "custom",
) -> EventActions:
    """Replace an event's own actions (its organizers only). Tags already given keep their names.

    `labels` gives words to some of them; the others keep the words they had. An action that leaves the list
    keeps its words too: exchanges tagged with it keep the tag and are still read in those words, while new
    exchanges can no longer carry it (and added again, it has its words back). An action on the cards of a bingo
    round running now cannot leave the list until the round ends. `custom_field` is the request's name for `custom`.
    """
    event = get_organized_event(event_id, organizer, lock=True)  # two organizers' changes one after the other
    clashes = sorted(set(custom) & set(STANDARD_ACTIONS))
    if clashes:
        raise DomainError(
            "standard_action", f"Already a standard action: {', '.join(clashes)}.", status=422, field=custom_field
        )
    if len(set(custom)) != len(custom):
        raise DomainError("duplicate_action", "Each action once, please.", status=422, field=custom_field)
    labels = dict(labels or {})
    unlisted = sorted(set(labels) - set(custom))
    if unlisted:
        raise DomainError(
            "label_without_action",
            f"Words for an action that is not one of the event's own: {', '.join(unlisted)}. Give words only to "
            "the event's own actions (the standard ones have theirs).",
            status=422,
            field="labels",
        )
    row = db.session.get(EventExchangeActions, event_id)
    kept_labels = {**(row.labels if row is not None else {}), **labels}
    _check_words_differ(custom, kept_labels, set(labels), custom_field)
    if row is not None:
        _check_not_on_running_cards(set(row.custom) - set(custom), kept_labels, event.id, event.zone, custom_field)
    if row is None:
        row = EventExchangeActions(event_id=event_id, labels={})
        db.session.add(row)
    row.custom = list(custom)
    row.labels = kept_labels  # a new dict: the JSON column sees the change
    db.session.flush()
    return EventActions(event_id, tuple(custom), dict(row.labels))


def _same_words(words: str) -> str:
    """Words as people tell them apart: "  talked ABOUT ai!" reads as "Talked about AI" (case, spaces and
    punctuation aside, unless the words are all punctuation)."""
    letters = "".join(char if char.isalnum() else " " for char in words)
    return " ".join((letters if letters.strip() else words).split()).casefold()


def _check_words_differ(
    custom: list[str], labels: Mapping[str, str], labelled_now: set[str], custom_field: str
) -> None:
    """Refuse (422) two actions of the event reading the same, the standard ones included: two chips alike, or
    two bingo squares (an event's own action reads the same on a chip and on a square; a standard one differs)."""
    standard = (*ACTION_WORDS.values(), *SQUARE_WORDS.values())
    taken: dict[str, str] = {_same_words(words): words for words in standard}
    for slug in custom:
        words = tag_words(slug, labels)
        other = taken.get(_same_words(words))
        taken.setdefault(_same_words(words), words)
        if other is not None:
            raise DomainError(
                "same_words",
                f"Two actions would read “{other}”: give one of them other words.",
                status=422,
                field="labels" if slug in labelled_now else custom_field,
            )


def _check_not_on_running_cards(
    removed: set[str], labels: Mapping[str, str], event_id: int, zone: tzinfo, custom_field: str
) -> None:
    """Refuse (409) removing an action the cards of the round running now are dealt from: its squares could no
    longer be signed. (Under the event's lock, which starting a round takes too.)"""
    if not removed:
        return
    now = utcnow()
    running = db.session.scalar(
        select(BingoRound)
        .where(BingoRound.event_id == event_id, BingoRound.started_at <= now, BingoRound.ends_at > now)
        .limit(1)
    )
    on_cards = sorted(removed & set(running.actions)) if running is not None else []
    if running is None or not on_cards:
        return
    names = ", ".join(f"“{tag_words(slug, labels)}”" for slug in on_cards)
    raise DomainError(
        "action_in_round",
        f"{names} {'is' if len(on_cards) == 1 else 'are'} on the cards of the bingo round running until "
        f"{running.ends_at.astimezone(zone):%H:%M}: end the round first, or remove {'it' if len(on_cards) == 1 else 'them'} "
        "once it is over.",
        field=custom_field,
        actions=on_cards,
    )


def tag_words(tag: str, labels: Mapping[str, str]) -> str:
    """A connection's tag as people read it (as the web app's `tagLabel`): a standard action in its words, an
    event's own in its organizers' (`labels`), spelled out when it has none; a tag in my own words as I typed it."""
    if tag in ACTION_WORDS:
        return ACTION_WORDS[tag]
    if not _ACTION_SLUG.fullmatch(tag):
        return tag
    words = labels.get(tag, "").strip() or tag.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def tags_in_words(
    views: Iterable[ConnectionView], actions: Mapping[int, EventActions] | None = None
) -> dict[int, tuple[str, ...]]:
    """Each connection's tags in words, by connection id: an event's own actions in the words of the events where
    we met (where two name one slug, the first meeting's event's words). `actions`: those events' actions, when
    already read for many people's connections at once (any missing are read here)."""
    views = list(views)
    known = dict(actions or {})
    missing = events_met_at(views) - known.keys()
    if missing:
        known.update(actions_of(missing))
    words = {}
    for view in views:
        labels: dict[str, str] = {}
        for meeting in reversed(view.meetings):
            if meeting.event_id is not None:
                labels.update(known[meeting.event_id].labels)
        words[view.id] = tuple(tag_words(tag, labels) for tag in view.tags)
    return words


def events_met_at(views: Iterable[ConnectionView]) -> set[int]:
    """The events where these connections' meetings were."""
    return {m.event_id for view in views for m in view.meetings if m.event_id is not None}
