import type { EventKind, RegistrationStatus } from "../lib/types";
import { ErrorNote } from "./Form";

export function Loading(props: { what?: string }) {
  return <p class="loading" role="status">Loading{props.what ? ` ${props.what}` : ""}…</p>;
}

/** A load that failed: what happened, and a way to try again. */
export function LoadFailed(props: { error: unknown; retry?: () => void }) {
  return (
    <div>
      <ErrorNote error={props.error} />
      {props.retry && <button type="button" class="button secondary" onClick={props.retry}>Try again</button>}
    </div>
  );
}

const KIND_LABEL: Record<EventKind, string> = { meetup: "Meetup", workshop: "Workshop", webinar: "Webinar" };

export function KindTag(props: { kind: EventKind }) {
  return <span class="tag">{KIND_LABEL[props.kind]}</span>;
}

export function RegistrationTag(props: { status: RegistrationStatus; position?: number | null }) {
  if (props.status === "confirmed") return <span class="tag ok">✓ Confirmed</span>;
  if (props.status === "waitlisted") return <span class="tag warn">Waitlist{props.position ? ` #${props.position}` : ""}</span>;
  return <span class="tag bad">Cancelled</span>;
}
