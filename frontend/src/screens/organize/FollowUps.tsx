import type { NetEvent } from "../../lib/types";

/** The event's FollowUps tab (being built). */
export function FollowUps(props: { event: NetEvent }) {
  return <p>This section of {props.event.title} is being built.</p>;
}
