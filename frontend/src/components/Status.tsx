import type { EventKind, Registration, RegistrationStatus } from "../lib/types";
import { formatScanTime } from "../lib/time";
import { ApiError } from "../lib/api";
import { ErrorNote } from "./Form";

export function Loading(props: { what?: string }) {
  return <p class="loading" role="status">Loading{props.what ? ` ${props.what}` : ""}…</p>;
}

/** A load that failed: what happened, and a way to try again when trying again can help. */
export function LoadFailed(props: { error: unknown; retry?: () => void }) {
  const error = props.error;
  const worthRetrying = !(error instanceof ApiError) || error.isNetwork || error.status >= 500 || error.status === 429;
  return (
    <div class="stack">
      <ErrorNote error={error} />
      {props.retry && worthRetrying && <button type="button" class="button secondary" onClick={props.retry}>Try again</button>}
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

/** Whether someone came, in words: "✓ In since 18:42 · Door A", or "Left" once they scanned out. */
export function CheckInTag(props: { registration: Pick<Registration, "checked_in_at" | "checked_in_station" | "inside">; timeZone: string }) {
  const { checked_in_at: at, checked_in_station: where, inside } = props.registration;
  if (!at) return null;
  const since = `${formatScanTime(at, props.timeZone)}${where ? ` · ${where}` : ""}`;
  return inside
    ? <span class="tag in" data-testid="checkin-tag">✓ In since {since}</span>
    : <span class="tag" data-testid="checkin-tag">Left · came in {since}</span>;
}
