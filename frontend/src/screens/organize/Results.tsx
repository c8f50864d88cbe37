import type { NetEvent } from "../../lib/types";

/** The event's Results tab (being built). */
export function Results(props: { event: NetEvent }) {
  return <p>This section of {props.event.title} is being built.</p>;
}
