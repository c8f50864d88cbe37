import { count } from "../../lib/plural";
import type { Connection, ConnectionEvent } from "../../lib/types";
import { shownMeeting } from "./ConnectionCard";

/** The connections of a page met last at one event (or at none: "Elsewhere"). */
export interface ConnectionGroup {
  eventId: number | null;
  title: string;
  items: Connection[];
}

/** The page's connections in one section per event, by the event of the meeting each card shows. The API sorts by
 * last meeting, so people met at one event can come apart (Alice, then Bob from another event, then Eve): each
 * event still has one section, the one met most recently first, its people in the API's order. */
export function groupByEvent(items: Connection[], eventId: number | null): ConnectionGroup[] {
  const groups = new Map<number | null, ConnectionGroup & { latest: number }>();
  for (const connection of items) {
    const meeting = shownMeeting(connection, eventId);
    const at = Date.parse(meeting.scanned_at);
    const group = groups.get(meeting.event_id);
    if (group) {
      group.items.push(connection);
      group.latest = Math.max(group.latest, at);
    } else {
      groups.set(meeting.event_id, { eventId: meeting.event_id, title: meeting.event_title ?? "Elsewhere", items: [connection], latest: at });
    }
  }
  return [...groups.values()]
    .sort((a, b) => b.latest - a.latest)
    .map(({ eventId, title, items }) => ({ eventId, title, items }));
}

/** The count beside a section's heading. The event's count is everyone I met there, on every page; the section holds
 * this page's people whose latest meeting was there. When the section holds fewer, the words say both, so the
 * number never reads as what is below it: "2 of the 3 you met there · 1 of 3 followed up". */
export function groupCountWords(shown: number, event: ConnectionEvent): string {
  if (shown >= event.connections) return `${count(shown, "person", "people")} · ${event.followed_up} followed up`;
  return `${shown} of the ${event.connections} you met there · ${event.followed_up} of ${event.connections} followed up`;
}
