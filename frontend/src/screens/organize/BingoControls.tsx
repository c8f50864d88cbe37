import type { NetEvent } from "../../lib/types";

/** The event's BingoControls tab (being built). */
export function BingoControls(props: { event: NetEvent }) {
  return <p>This section of {props.event.title} is being built.</p>;
}
