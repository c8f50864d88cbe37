import { useState } from "preact/hooks";
import { Sheet } from "../../components/Sheet";
import { ErrorNote } from "../../components/Form";
import type { DoorController, Match } from "../../door/controller";
import { formatTime } from "../../lib/time";

/** Lost badge: find the person by name and check them in with one tap. */
export function SearchSheet(props: { door: DoorController; onClose: () => void }) {
  const [q, setQ] = useState("");
  const [found, setFound] = useState<{ items: Match[]; offline: boolean } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const zone = props.door.timeZone;

  async function search(event: Event) {
    event.preventDefault();
    if (q.trim().length < 2) {
      setError(new Error("Type at least 2 letters of their name."));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      setFound(await props.door.search(q));
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  function state(match: Match): string {
    if (match.status === "cancelled") return "Registration cancelled";
    if (match.status === "waitlisted") return "On the waitlist";
    const where = match.checked_in_station ? ` at ${match.checked_in_station}` : "";
    if (match.inside && match.checked_in_at) return `Checked in ${formatTime(match.checked_in_at, zone)}${where}`;
    if (match.checked_in_at) return `Left (checked in ${formatTime(match.checked_in_at, zone)}${where})`;
    return "Not checked in yet";
  }

  // Only what a tap can do: nobody is checked in twice, and the waitlisted or cancelled are not let in.
  const exit = props.door.state.direction === "exit";
  function action(match: Match): string | null {
    if (match.status !== "confirmed") return null;
    if (exit) return match.inside ? "Check out" : null;
    return match.inside ? null : "Check in";
  }
  function nothingToDo(match: Match): string {
    if (match.status !== "confirmed") return "Cannot check in";
    return match.inside ? "Already inside" : "Not inside";
  }

  return (
    <Sheet title="Find by name" onClose={props.onClose}>
      <form class="search-row" role="search" onSubmit={search}>
        <label class="sr-only" for="door-search">Name, email or company</label>
        <input id="door-search" type="search" autoFocus value={q} placeholder="Name, email or company" autoComplete="off"
          enterKeyHint="search" onInput={(event) => setQ((event.target as HTMLInputElement).value)} />
        <button class="button primary" disabled={busy}>Search</button>
      </form>
      <ErrorNote error={error} />
      {found && (
        <div aria-live="polite">
          {found.offline && <p class="hint">Offline: searching this phone's badge list.</p>}
          {found.items.length === 0 && <p>Nobody matches “{q}”. Check the spelling, or register them as a walk-in.</p>}
          <ul class="list people">
            {found.items.map((match) => (
              <li>
                <div>
                  <strong>{match.name}</strong>
                  {(match.headline || match.company) && <span class="muted">{[match.headline, match.company].filter(Boolean).join(" · ")}</span>}
                  <span class="muted">{state(match)}</span>
                </div>
                {action(match) ? (
                  <button type="button" class="button primary" aria-label={`${action(match)} ${match.name}`}
                    onClick={() => {
                      props.onClose();
                      void props.door.scanRegistration(match.registration_id);
                    }}>{action(match)}</button>
                ) : <span class="tag" data-testid="search-nothing-to-do">{nothingToDo(match)}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Sheet>
  );
}
