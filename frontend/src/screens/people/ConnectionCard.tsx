import type { ActionLabels } from "../../lib/actions";
import { initials, linkWords } from "../../lib/people";
import { formatAtEvent } from "../../lib/time";
import type { Connection, PersonCard } from "../../lib/types";
import { tagLabel } from "./connectionFilters";

type Meeting = Connection["meetings"][number];

/** Who scanned whom, in words: "You scanned each other", "They scanned you", "You scanned them". */
export function scanWords(connection: Pick<Connection, "i_scanned" | "scanned_me">): string {
  if (connection.i_scanned && connection.scanned_me) return "You scanned each other";
  return connection.scanned_me ? "They scanned you" : "You scanned them";
}

/** The meeting to show on the card: the latest, or the latest at the event the list is filtered to. */
export function shownMeeting(connection: Connection, eventId: number | null): Meeting {
  const at = eventId === null ? connection.meetings : connection.meetings.filter((m) => m.event_id === eventId);
  return (at.length ? at : connection.meetings)[(at.length ? at : connection.meetings).length - 1];
}

/** Where and when, on the event's clock: "Staff Engineers Meetup · Tue 3 Dec, 18:42" (and the zone's name when
 * this browser is on another clock). */
export function meetingWords(meeting: Meeting): string {
  return `${meeting.event_title ?? "An event"} · ${formatAtEvent(meeting.scanned_at, meeting.event_timezone)}`;
}

/** The other person's contact details as they share them with me now (a hidden detail is simply absent). */
export function ContactDetails(props: { person: PersonCard; full?: boolean }) {
  const { email, phone, links, topics, mentoring_offered: mentors, mentoring_sought: seeks } = props.person;
  const shared = email || phone || (links && links.length > 0);
  return (
    <>
      {shared ? (
        <ul class="contact-lines">
          {email && <li><span class="contact-kind">Email</span><a href={`mailto:${email}`}>{email}</a></li>}
          {phone && <li><span class="contact-kind">Phone</span><a href={`tel:${phone.replace(/[^\d+]/g, "")}`}>{phone}</a></li>}
          {links?.map((link) => <li><span class="contact-kind">Link</span><a class="one-line" href={link.url} title={link.url} rel="noopener noreferrer" target="_blank">{linkWords(link)}</a></li>)}
        </ul>
      ) : (
        <p class="meta">No contact details shared with you.</p>
      )}
      {props.full && topics && topics.length > 0 && <p class="meta"><strong>Topics:</strong> {topics.join(", ")}</p>}
      {props.full && mentors && mentors.length > 0 && <p class="meta"><strong>Can mentor in:</strong> {mentors.join(", ")}</p>}
      {props.full && seeks && seeks.length > 0 && <p class="meta"><strong>Looking for a mentor in:</strong> {seeks.join(", ")}</p>}
    </>
  );
}

/** One connection in my list: their card as they share it, where and when we met, who scanned whom, my tags
 * and the start of my note; "Open" for the rest (note, tags, follow-up, remove, block). */
export function ConnectionCard(props: {
  connection: Connection;
  eventId: number | null;
  /** The words of the events' own actions (useEventLabels). */
  labels: ActionLabels;
  onOpen: (connection: Connection) => void;
}) {
  const { connection: c } = props;
  const person = c.other;
  const role = [person.headline, person.company].filter(Boolean).join(" · ");
  const meeting = shownMeeting(c, props.eventId);
  const more = c.meetings.length - 1;
  return (
    <li class="card connection-card" data-testid="connection">
      <div class="connection-head">
        <span class="avatar" aria-hidden="true">{initials(person.name)}</span>
        <div class="connection-who">
          <h3 class="connection-name">{person.name}</h3>
          {role && <p class="meta">{role}</p>}
        </div>
      </div>
      <p class="met-line">Met at {meetingWords(meeting)}{more > 0 && <span class="muted"> (+{more} more {more === 1 ? "meeting" : "meetings"})</span>}</p>
      <div class="tags">
        {c.followed_up && <span class="tag ok">✓ Followed up</span>}
        <span class={c.scanned_me ? "tag scan-tag them" : "tag scan-tag"}>{scanWords(c)}</span>
        {c.tags.map((tag) => <span class="tag action-tag">{tagLabel(tag, props.labels)}</span>)}
      </div>
      <ContactDetails person={person} />
      {!c.connected && <p class="note warn small-note">They removed this connection: you see only what they share with everyone.</p>}
      {c.note && <p class="note-preview"><span class="sr-only">Your note: </span>{c.note}</p>}
      <div class="row connection-actions">
        <button type="button" class="button secondary small" aria-label={`Open ${person.name}: note, tags, follow-up`} onClick={() => props.onOpen(c)}>
          Open
        </button>
      </div>
    </li>
  );
}
