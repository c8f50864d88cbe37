"""Creating, publishing, changing and finding events; who may organize them."""

import math
from datetime import datetime, timedelta

from sqlalchemy import Select, func, or_, select

from netevents import signals
from netevents.accounts.models import User
from netevents.accounts.services import find_user_by_email, get_or_create_attendee
from netevents.db import utcnow
from netevents.errors import DomainError, Forbidden, NotFound
from netevents.events.emails import send_co_organizer_added
from netevents.events.models import Event, EventKind, EventOrganizer, EventStatus, OrganizerRole
from netevents.extensions import db
from netevents.mail.allowance import Allowance, check_allowance
from netevents.pagination import paginate
from netevents.people.blocks import blocked

ALLOWED_TRANSITIONS = {
    EventStatus.draft: {EventStatus.published, EventStatus.cancelled},
    EventStatus.published: {EventStatus.cancelled, EventStatus.draft},
    EventStatus.cancelled: set(),
}


def is_organizer(event: Event, user: User | None) -> bool:
    return user is not None and any(o.user_id == user.id for o in event.organizers)


def is_owner(event: Event, user: User | None) -> bool:
    return user is not None and any(o.user_id == user.id and o.role == OrganizerRole.owner for o in event.organizers)


def _owner_only(event: Event, user: User, what: str) -> None:
    """Co-organizers do what their invitation says (edit and publish, attendees, the door); the rest is the owner's."""
    if not is_owner(event, user):
        raise DomainError(
            "owner_only",
            f"Only the event's owner, {event.owner.name}, can {what}; co-organizers can edit and publish it, "
            "manage its attendees and set up its door.",
            status=403,
        )


def get_visible_event(event_id: int, user: User | None) -> Event:
    """An event anyone may see (published or cancelled), or a draft its organizers may see."""
    event = db.session.get(Event, event_id)
    if event is None:
        raise NotFound("event")
    # Transient, read by the schema: organizers see the raw meeting link.
    event.viewer_is_organizer = is_organizer(event, user)
    if event.status == EventStatus.draft and not event.viewer_is_organizer:
        raise NotFound("event")
    return event


def get_organized_event(event_id: int, user: User, *, lock: bool = False) -> Event:
    """An event the user organizes; others get 404 for drafts and 403 for public events."""
    event = get_visible_event(event_id, user)
    if not is_organizer(event, user):
        raise Forbidden("Only this event's organizers can do this.")
    return lock_event(event.id) if lock else event


def lock_event(event_id: int) -> Event:
    """The event row, locked until commit (PostgreSQL); SQLite's write transactions are serial already."""
    return db.session.scalars(
        select(Event).where(Event.id == event_id).with_for_update().execution_options(populate_existing=True)
    ).one()


def _check_rules(event: Event) -> None:
    if event.ends_at <= event.starts_at:
        raise DomainError("ends_before_start", "The end must be after the start.", status=422, field="ends_at")
    opens, closes = event.checkin_window
    if closes <= opens:
        raise DomainError(
            "checkin_window_empty", "Check-in must close after it opens.", status=422, field="checkin_closes_at"
        )
    if event.status == EventStatus.published:
        if event.kind == EventKind.webinar and not event.online_url:
            raise DomainError(
                "online_url_required",
                "A webinar needs its online meeting link before it is published.",
                status=422,
                field="online_url",
            )
        if event.kind != EventKind.webinar and not event.venue:
            raise DomainError(
                "venue_required", "Say where it happens (venue) before publishing.", status=422, field="venue"
            )


#: Events one person may create in a day (drafts included), and while their account is less than a day old.
EVENTS_PER_DAY = 50
NEW_ACCOUNT_EVENTS_PER_DAY = 10
NEW_ACCOUNT_AGE = timedelta(days=1)


def check_creation_allowance(user: User) -> None:
    """Refuse (429) a person's request for one more event past the day's allowance: each event is a public page
    and can send emails. Requests check it; the demo seed, imports and tests create events freely."""
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())  # one creation at a time
    now = utcnow()
    new = now - user.created_at < NEW_ACCOUNT_AGE
    limit = NEW_ACCOUNT_EVENTS_PER_DAY if new else EVENTS_PER_DAY
    created, oldest = db.session.execute(
        select(func.count(), func.min(Event.created_at))
        .join(EventOrganizer, EventOrganizer.event_id == Event.id)
        .where(
            EventOrganizer.user_id == user.id,
            EventOrganizer.role == OrganizerRole.owner,
            Event.created_at > now - timedelta(days=1),
        )
    ).one()
    if created >= limit:
        retry_after = max(60, math.ceil((oldest + timedelta(days=1) - now).total_seconds()))
        hours = math.ceil(retry_after / 3600)
        why = " while your account is less than a day old" if new else ""
        raise DomainError(
            "too_many_events",
            f"You can create {limit} events a day{why}, and you have created {created}. "
            f"Nothing was created; try again in {hours} hour{'s' if hours != 1 else ''}, or reuse a draft.",
            status=429,
            headers={"Retry-After": str(retry_after)},
        )


def create_event(user: User, data: dict) -> Event:
    event = Event(**data)
    event.organizers.append(EventOrganizer(user_id=user.id, role=OrganizerRole.owner))
    event.viewer_is_organizer = True
    _check_rules(event)
    db.session.add(event)
    db.session.flush()
    return event


def update_event(event_id: int, user: User, changes: dict) -> Event:
    event = get_organized_event(event_id, user, lock=True)
    new_status = changes.pop("status", event.status)
    if new_status == EventStatus.cancelled and event.status != EventStatus.cancelled:
        _owner_only(event, user, "cancel it")
    if new_status != event.status:
        if new_status not in ALLOWED_TRANSITIONS[event.status]:
            raise DomainError(
                "invalid_status_change",
                f"A {event.status} event cannot become {new_status}.",
                status=422,
                field="status",
            )
        if new_status == EventStatus.draft and event.confirmed_count:
            raise DomainError(
                "has_registrations",
                "People have registered; cancel the event instead of unpublishing it.",
                field="status",
            )
    if event.status == EventStatus.cancelled and changes:
        raise DomainError("event_cancelled", "A cancelled event cannot be changed.")
    if "capacity" in changes and changes["capacity"] is not None and changes["capacity"] < event.confirmed_count:
        raise DomainError(
            "capacity_below_registrations",
            f"{event.confirmed_count} people are already confirmed; capacity cannot go below that.",
            status=422,
            field="capacity",
        )
    for name, value in changes.items():
        setattr(event, name, value)
    old_status, event.status = event.status, new_status
    _check_rules(event)
    db.session.flush()
    # Registrations follow in this transaction, under the event's lock: everyone registered is emailed
    # about a cancellation, and seats a change freed go to the waitlist.
    signals.event_changing.send(__name__, event_id=event.id, previous_status=old_status)
    if new_status == EventStatus.cancelled and old_status != EventStatus.cancelled:
        signals.announce(signals.event_cancelled, __name__, event_id=event.id)
    return event


def delete_event(event_id: int, user: User) -> None:
    event = get_organized_event(event_id, user, lock=True)
    _owner_only(event, user, "delete it")
    if event.status == EventStatus.published:
        raise DomainError(
            "event_published", "A published event cannot be deleted; cancel it first (attendees are told)."
        )
    db.session.delete(event)
    db.session.flush()


def list_events(
    user: User | None,
    *,
    mine: bool,
    kind=None,
    status=None,
    q=None,
    starts_after: datetime | None = None,
    starts_before: datetime | None = None,
    page: int = 1,
    per_page: int = 20,
) -> dict:
    query: Select = select(Event)
    if mine:
        query = query.join(EventOrganizer).where(EventOrganizer.user_id == user.id)
        if status:
            query = query.where(Event.status == status)
    else:
        query = query.where(Event.status == (status or EventStatus.published))
        if status == EventStatus.draft:
            raise DomainError(
                "drafts_are_private", "Drafts are listed only with mine=true.", status=422, field="status"
            )
        if starts_after is None and starts_before is None:
            starts_after = utcnow()  # the public list shows what is coming up
    if kind:
        query = query.where(Event.kind == kind)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(or_(func.lower(Event.title).like(pattern), func.lower(Event.venue).like(pattern)))
    if starts_after:
        query = query.where(Event.ends_at >= starts_after)
    if starts_before:
        query = query.where(Event.starts_at < starts_before)
    result = paginate(query.order_by(Event.starts_at, Event.id), page, per_page)
    for event in result["items"]:
        event.viewer_is_organizer = mine or is_organizer(event, user)
    return result


def organized_event_count(user_id: int, *, as_owner: bool = False) -> int:
    query = select(func.count()).select_from(EventOrganizer).where(EventOrganizer.user_id == user_id)
    if as_owner:
        query = query.where(EventOrganizer.role == OrganizerRole.owner)
    return db.session.scalar(query)


def add_organizer(event_id: int, user: User, email: str) -> EventOrganizer:
    event = get_organized_event(event_id, user)
    _owner_only(event, user, "add organizers")
    # Before the allowance: adding someone who organizes it already sends nothing, so it spends nothing either.
    invited = find_user_by_email(email)
    if is_organizer(event, invited):
        raise DomainError("already_organizer", "This person already organizes this event.", field="email")
    if invited is not None:
        _check_no_block(user, invited)
    check_allowance(Allowance.invitation, user, event.id)
    co_organizer, _ = get_or_create_attendee(email, name=email.split("@")[0])
    link = EventOrganizer(user_id=co_organizer.id, role=OrganizerRole.co_organizer)
    event.organizers.append(link)
    db.session.flush()
    send_co_organizer_added(event, co_organizer, added_by=user, link_id=link.id)
    return link


def _check_no_block(owner: User, invited: User) -> None:
    """Organizers see and reach their co-organizers: nobody is made one by a person they blocked. The refusal says
    no more than it must: the owner hears of their own block, and of the other only that it cannot be done."""
    if blocked(owner.id, invited.id):
        raise DomainError(
            "cannot_add_organizer",
            "You blocked this person. Unblock them (in your profile) before adding them as an organizer.",
            field="email",
        )
    if blocked(invited.id, owner.id):
        raise DomainError(
            "cannot_add_organizer",
            "This person cannot be added as an organizer of your events. Nothing was sent to them.",
            field="email",
        )


def remove_organizer(event_id: int, user: User, organizer_user_id: int) -> None:
    """The owner removes a co-organizer; a co-organizer may only step down themselves."""
    event = get_organized_event(event_id, user)
    if organizer_user_id != user.id and not is_owner(event, user):
        raise DomainError(
            "owner_only",
            f"Only the owner removes other organizers; you can remove yourself. Ask {event.owner.name}, "
            "the event's owner, to remove someone else.",
            status=403,
        )
    link = next((o for o in event.organizers if o.user_id == organizer_user_id), None)
    if link is None:
        raise NotFound("organizer")
    if link.role == OrganizerRole.owner:
        raise DomainError("cannot_remove_owner", "The event's owner cannot be removed.")
    event.organizers.remove(link)
    db.session.flush()
