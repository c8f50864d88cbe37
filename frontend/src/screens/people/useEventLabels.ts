import { api } from "../../lib/api";
import { labelsOf, STANDARD_ACTIONS, type ActionLabels } from "../../lib/actions";
import type { Connection, EventActions } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";

const STANDARD: readonly string[] = STANDARD_ACTIONS;

/** The events whose own actions these connections' tags may be: those where we met, for connections with a tag
 * that is not a standard action (only those need their organizers' words), in id order. */
export function eventsToAsk(connections: readonly Connection[]): number[] {
  const ids = new Set<number>();
  for (const connection of connections) {
    if (!connection.tags.some((tag) => /^[a-z][a-z0-9_]*$/.test(tag) && !STANDARD.includes(tag))) continue;
    for (const meeting of connection.meetings) if (meeting.event_id !== null) ids.add(meeting.event_id);
  }
  return [...ids].sort((a, b) => a - b);
}

/** The words of the event's own actions these connections are tagged with, as their organizers put them (a
 * removed action keeps its words); until they come, or for an event that cannot be read, tags are spelled out. */
export function useEventLabels(connections: readonly Connection[]): ActionLabels {
  const key = eventsToAsk(connections).join();
  const loaded = useLoad(
    () => Promise.all(key.split(",").filter(Boolean).map((id) => api<EventActions>(`/events/${id}/exchange-actions`).catch(() => null))),
    [key],
  );
  return labelsOf(...(loaded.data ?? []));
}
