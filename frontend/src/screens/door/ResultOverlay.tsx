import type { ShownResult } from "../../door/controller";
import { resultTitle } from "../../door/offline";
import { formatTime } from "../../lib/time";

/** The answer, full screen: green or red, and always in words too (icon, title, name, reason).
 * A welcome needs no sentence under the name; a refusal says why (or when and where they came in). */
export function ResultOverlay(props: { shown: ShownResult; timeZone: string; onDismiss: () => void }) {
  const { decision, direction, offline } = props.shown;
  const ok = decision.result === "accepted";
  const person = decision.attendee;
  const first = decision.first_checkin;
  return (
    <div class={ok ? "result accepted" : "result rejected"} data-testid="door-result" data-result={decision.result}
      data-reason={decision.reason ?? ""} onClick={props.onDismiss}>
      <p class="result-icon" aria-hidden="true">{ok ? "✓" : "✕"}</p>
      <h2 class="result-title">{resultTitle(decision, direction)}</h2>
      {person && <p class="result-name">{person.name}</p>}
      {person && (person.headline || person.company) && (
        <p class="result-sub">{[person.headline, person.company].filter(Boolean).join(" · ")}</p>
      )}
      {first ? (
        <p class="result-first">First check-in: {formatTime(first.at, props.timeZone)}{first.station_name ? ` at ${first.station_name}` : ""}</p>
      ) : !ok || !person ? (
        <p class="result-message">{decision.message}</p>
      ) : null}
      {offline && <p class="result-offline">Decided offline · syncs when the network is back</p>}
      <p class="result-hint">Tap to continue</p>
    </div>
  );
}
