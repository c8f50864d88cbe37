"""The follow-up emails of one person: subject, text, HTML and attachments, rendered from templates/mail/.

Everything about other people comes through the visibility policy: the "people you met" email is the person's
own event summary (netevents/summary), whose cards show each person as they share with the recipient now, and
whose vCard is made from those same cards (netevents/people/exports.py). An organizer's preview shows even less:
no notes or tags (they are the attendee's own), and of each card only what the organizer may see too.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import datetime

from flask import current_app
from sqlalchemy import select

from netevents.accounts.models import EmailCategory, User
from netevents.events.models import Event, EventOrganizer, EventStatus
from netevents.extensions import db
from netevents.follow_ups.links import followed_up_url
from netevents.mail.compose import render_email
from netevents.mail.preferences import unsubscribe_url
from netevents.mail.services import Attachment
from netevents.people.actions import EventActions, tags_in_words
from netevents.people.connections import my_connections
from netevents.people.exports import vcards
from netevents.people.relations import cards_for
from netevents.people.suggestions import Suggestion
from netevents.people.visibility import PersonCard
from netevents.summary.services import EventSummary, event_summary

#: How many of the organizers' next events a no-show is told about.
NEXT_EVENTS = 3


#: What a preview shows in place of the attendee's own unsubscribe link.
PREVIEW_UNSUBSCRIBE_URL = "https://unsubscribe.link.in.the.attendees.own.copy.invalid/"


@dataclass(frozen=True)
class FollowUpEmail:
    #: The template: "people_you_met", "missed_you" or "stay_connected".
    name: str
    to: str
    subject: str
    text: str
    html: str
    category: EmailCategory
    unsubscribe_url: str
    attachments: tuple[Attachment, ...] = ()


def people_you_met(
    event: Event,
    user: User,
    *,
    previewed_by: User | None = None,
    suggested: Sequence[Suggestion] | None = None,
    summary: EventSummary | None = None,
    actions: Mapping[int, EventActions] | None = None,
) -> FollowUpEmail:
    """To someone who came: who they met, with what each shares, their notes and tags, bingo, three suggestions
    (`suggested`, when found for many people at once with `suggestions_for_each`; `summary`, their whole summary
    when read for many people at once with `summaries_for_each`; `actions`, the actions of the events where they
    met people, read for them all with `actions_of`)."""
    if summary is None:
        summary = event_summary(event.id, user, suggested=suggested)
    if previewed_by is not None:
        summary = _as_organizer_may_see(summary, previewed_by)
    met = sorted(summary.met, key=lambda view: view.other.name.casefold())
    tags = tags_in_words(met, actions)
    attachments = ()
    if met:
        # A preview names the file without its content: the cards and notes in it are the attendee's.
        content = b"" if previewed_by is not None else "".join(vcards(met, tags)).encode()
        attachments = (Attachment(f"people-you-met-{event.id}.vcf", content, "text/vcard"),)
    return _email(
        "people_you_met",
        user,
        EmailCategory.follow_up,
        f"The people you met at {event.title}",
        attachments,
        event=event,
        met=met,
        tags=tags,
        bingo=summary.bingo,
        suggested=summary.suggested,
        preview=previewed_by is not None,
        why=f"you came to {event.title}",
        for_preview=previewed_by is not None,
    )


def missed_you(event: Event, user: User, now: datetime, *, for_preview: bool = False) -> FollowUpEmail:
    """To someone confirmed who never came: a short note and the organizers' next events."""
    return _email(
        "missed_you",
        user,
        EmailCategory.follow_up,
        f"Sorry we missed you at {event.title}",
        (),
        event=event,
        next_events=next_events(event, now),
        why=f"you registered for {event.title}",
        for_preview=for_preview,
    )


def stay_connected(event: Event, user: User) -> FollowUpEmail | None:
    """To someone who came: the connections made there not followed up yet, each with a "done" link; None if none."""
    pending = [view for view in my_connections(user, event_id=event.id) if not view.followed_up]
    if not pending:
        return None
    pending.sort(key=lambda view: view.other.name.casefold())
    people = [(view, followed_up_url(user.id, view.id)) for view in pending]
    return _email(
        "stay_connected",
        user,
        EmailCategory.stay_connected,
        f"Stay in touch with the people you met at {event.title}",
        (),
        event=event,
        people=people,
        why=f"you met people at {event.title}",
    )


def next_events(event: Event, now: datetime) -> list[Event]:
    """The next published events of this event's organizers, soonest first."""
    organizers = select(EventOrganizer.user_id).where(EventOrganizer.event_id == event.id)
    return list(
        db.session.scalars(
            select(Event)
            .join(EventOrganizer, EventOrganizer.event_id == Event.id)
            .where(
                EventOrganizer.user_id.in_(organizers),
                Event.status == EventStatus.published,
                Event.starts_at > now,
                Event.id != event.id,
            )
            .distinct()
            .order_by(Event.starts_at, Event.id)
            .limit(NEXT_EVENTS)
        )
    )


def _email(
    name, user: User, category: EmailCategory, subject: str, attachments, *, for_preview: bool = False, **context
) -> FollowUpEmail:
    """`for_preview`: an organizer's preview, whose unsubscribe link is a placeholder (the real one is the
    attendee's to use, and would let whoever holds it turn their emails off)."""
    link = PREVIEW_UNSUBSCRIBE_URL if for_preview else unsubscribe_url(user.id, category)
    base_url = current_app.config["BASE_URL"]
    text, html = render_email(name, subject=subject, user=user, base_url=base_url, unsubscribe_url=link, **context)
    return FollowUpEmail(name, user.email, subject, text, html, category, link, tuple(attachments))


def _as_organizer_may_see(summary: EventSummary, organizer: User) -> EventSummary:
    """The summary without the attendee's notes and tags, each card cut to what the organizer may see too."""
    people = [view.other for view in summary.met] + [suggestion.person for suggestion in summary.suggested]
    users = db.session.scalars(select(User).where(User.id.in_({card.user_id for card in people})))
    theirs = cards_for(organizer.id, list(users))
    return replace(
        summary,
        met=tuple(replace(v, other=_both(v.other, theirs.get(v.other.user_id)), note="", tags=()) for v in summary.met),
        suggested=tuple(replace(s, person=_both(s.person, theirs.get(s.person.user_id))) for s in summary.suggested),
    )


def _both(card: PersonCard, organizers: PersonCard | None) -> PersonCard:
    """A card with only the details both the attendee's and the organizer's cards have."""
    hidden = {
        field.name: None
        for field in fields(card)
        if field.name not in ("user_id", "name") and (organizers is None or getattr(organizers, field.name) is None)
    }
    return replace(card, **hidden)
