import type { EventKind, Registration, RegistrationStatus } from "../lib/types";
import { formatScanTime } from "../lib/time";
import { ApiError } from "../lib/api";
import { ErrorNote } from "./Form";

/** Something is on its way: grey placeholder lines where it will show (the words are for screen readers). */
export function Loading(props: { what?: string; lines?: number }) {
  return (
    <div class="skeleton" role="status" aria-busy="true">
      <span class="sr-only">Loading{props.what ? ` ${props.what}` : ""}…</span>
      {Array.from({ length: props.lines ?? 3 }, (_, i) => <span class="skeleton-line" style={{ width: `${[92, 75, 58, 84][i % 4]}%` }} aria-hidden="true" />)}
    </div>
  );
}

/** A list on its way: placeholder cards shaped like the ones to come. */
export function SkeletonCards(props: { what: string; count?: number }) {
  return (
    <div role="status" aria-busy="true">
      <span class="sr-only">Loading {props.what}…</span>
      {Array.from({ length: props.count ?? 3 }, () => (
        <div class="card skeleton-card" aria-hidden="true">
          <span class="skeleton-chip" />
          <span class="skeleton-lines"><span class="skeleton-line" style={{ width: "35%" }} /><span class="skeleton-line" style={{ width: "85%" }} /><span class="skeleton-line" style={{ width: "60%" }} /></span>
        </div>
      ))}
    </div>
  );
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
