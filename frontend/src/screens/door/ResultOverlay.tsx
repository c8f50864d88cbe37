import { useEffect, useRef } from "preact/hooks";
import type { ShownResult } from "../../door/controller";
import { resultKind, resultTitle } from "../../door/offline";
import { formatTime } from "../../lib/time";

const ICON = { accepted: "✓", repeat: "↺", refused: "✕" } as const;

/** The answer, full screen: green (in), amber (already inside: harmless) or red (refused), and always in
 * words too (icon, title, name, reason). A welcome needs no sentence under the name; a refusal says why
 * (or when and where they came in). It takes the focus while it shows (Escape, Enter or its button
 * dismisses it) and gives it back to where it was. */
export function ResultOverlay(props: { shown: ShownResult; timeZone: string; onDismiss: () => void }) {
  const { decision, direction, offline } = props.shown;
  const { onDismiss } = props;
  const kind = resultKind(decision);
  const ok = kind === "accepted";
  const person = decision.attendee;
  const first = decision.first_checkin;
  const button = useRef<HTMLButtonElement>(null);
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    const overlay = root.current;
    button.current?.focus({ preventScroll: true });
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") {
        event.preventDefault();
        onDismiss();
      }
    };
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("keydown", onKey);
      // Back where the person was (the button they scanned from, a search field), or the station's heading.
      const target = before && before !== document.body && before.isConnected ? before : document.querySelector<HTMLElement>(".door-title h1");
      const active = document.activeElement;
      if (!active || active === document.body || !active.isConnected || overlay?.contains(active)) target?.focus({ preventScroll: true });
    };
  }, [onDismiss]);

  return (
    <div ref={root} class={`result ${kind === "accepted" ? "accepted" : kind === "repeat" ? "repeat" : "rejected"}`} data-testid="door-result"
      data-result={decision.result} data-kind={kind} data-reason={decision.reason ?? ""} onClick={onDismiss}
      role="dialog" aria-modal="true" aria-labelledby="result-title">
      <p class="result-icon" aria-hidden="true">{ICON[kind]}</p>
      <h2 class="result-title" id="result-title">{resultTitle(decision, direction)}</h2>
      {person && <p class="result-name">{person.name}</p>}
      {person && (person.headline || person.company) && (
        <p class="result-sub">{[person.headline, person.company].filter(Boolean).join(" · ")}</p>
      )}
      {first ? (
        <p class="result-first">Inside since {formatTime(first.at, props.timeZone)}{first.station_name ? ` (${first.station_name})` : ""}</p>
      ) : !ok || !person ? (
        <p class="result-message">{decision.message}</p>
      ) : null}
      {offline && <p class="result-offline">Decided offline · syncs when the network is back</p>}
      <button type="button" class="result-hint" ref={button} onClick={(event) => {
        event.stopPropagation();
        onDismiss();
      }}>Continue <span class="sr-only">(or press Escape)</span></button>
    </div>
  );
}
