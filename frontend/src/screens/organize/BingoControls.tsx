import { useEffect, useState } from "preact/hooks";
import { ErrorNote, Field, fieldError } from "../../components/Form";
import { Sheet } from "../../components/Sheet";
import { LoadFailed, Loading } from "../../components/Status";
import { api, ApiError } from "../../lib/api";
import { count } from "../../lib/plural";
import { formatDateTime, formatTime } from "../../lib/time";
import type { Bingo, EventActions, Leaderboard, NetEvent, Round, RoundSummary } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { squareLabel, STANDARD_ACTIONS } from "../../lib/actions";
import { actionSlug, actionsMissing, durationWords } from "../bingo/logic";
import { Countdown, LeaderboardList, RoundNumbers } from "../bingo/parts";
import { usePoll } from "../bingo/usePoll";

const LIVE_MS = 2500;
const IDLE_MS = 10000;
const SIZES = [3, 4, 5] as const;

interface Live { bingo: Bingo; board: Leaderboard | null; generated_at: string }

/** The event's bingo tab: set up the card, start and end a round (each confirmed), the live leaderboard, the
 * numbers of the last round, and the way to the projector. */
export function BingoControls(props: { event: NetEvent }) {
  const id = props.event.id;
  const zone = props.event.timezone;
  const [everyMs, setEveryMs] = useState(IDLE_MS);
  const live = usePoll(() => loadLive(id), everyMs, [id]);
  const running = live.data?.bingo.current_round ?? null;
  useEffect(() => setEveryMs(running ? LIVE_MS : IDLE_MS), [running]);

  const [confirm, setConfirm] = useState<"start" | "end" | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function act(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
      setConfirm(null);
      live.reload();
    } catch (problem) {
      setError(problem);
      setConfirm(null);
    } finally {
      setBusy(false);
    }
  }

  const l = live.data;
  if (!l) return live.error ? <LoadFailed error={live.error} retry={live.reload} /> : <Loading what="the bingo" />;
  const last = l.bingo.rounds.at(-1) ?? null;
  const projector = `/organize/events/${id}/projector`;
  return (
    <div class="bingo-controls">
      <p>Each attendee gets their own card of actions; a square is signed when they scan someone’s badge and tag that action. Attendees open their card from My events (“Bingo card”), or at <a href={`/e/${id}/bingo`}>{location.host}/e/{id}/bingo</a>.</p>
      <div class="bingo-columns">
        <div>
          <section class="card" aria-labelledby="round-title" data-testid="round-panel">
            <h3 id="round-title">{running ? "Round running" : "Round"}</h3>
            <ErrorNote error={error} />
            {running ? (
              <div class="round-live">
                <div>
                  <Countdown round={running} offsetMs={live.offsetMs} />
                  <p class="muted">Ends at {formatTime(running.ends_at, zone)}. Attendees see their cards fill as they meet.</p>
                </div>
                <div class="row">
                  <a class="button secondary" href={projector} target="_blank" rel="noopener">Open the projector</a>
                  <button type="button" class="button danger" disabled={busy} onClick={() => setConfirm("end")}>End the round now</button>
                </div>
              </div>
            ) : (
              <div class="stack">
                <p>{l.bingo.actions_missing > 0
                  ? <span class="need short">The card needs {count(l.bingo.actions_missing, "more action")} before a round can start: see below.</span>
                  : <>Next round: a {l.bingo.size}x{l.bingo.size} card for {count(l.bingo.round_minutes, "minute")}.</>}</p>
                <div class="row">
                  <button type="button" class="button primary" disabled={busy || l.bingo.actions_missing > 0} onClick={() => setConfirm("start")}>
                    Start a {l.bingo.round_minutes}-minute round
                  </button>
                  <a class="button secondary" href={projector} target="_blank" rel="noopener">Open the projector</a>
                </div>
              </div>
            )}
          </section>
          {!running && last && <LastRound eventId={id} round={last} />}
          <SetupForm event={props.event} bingo={l.bingo} locked={!!running} open={!running || l.bingo.actions_missing > 0} onSaved={live.reload} />
        </div>
        <div>
          <section class="card" aria-labelledby="board-heading">
            <h3 id="board-heading">{running ? "Live leaderboard" : last ? "Last round’s leaderboard" : "Leaderboard"}</h3>
            {l.board ? <LeaderboardList board={l.board} limit={10} /> : <p class="muted">No round yet: the leaderboard fills as soon as one starts.</p>}
            {running && <p class="hint">Refreshes every {LIVE_MS / 1000} s.</p>}
          </section>
          {l.bingo.rounds.length > 0 && (
            <section class="card" aria-labelledby="rounds-heading">
              <h3 id="rounds-heading">Rounds</h3>
              <ul class="list rounds-list">
                {[...l.bingo.rounds].reverse().map((round) => (
                  <li>
                    <span>{formatDateTime(round.started_at, zone)}</span>
                    <span class="muted">{round.running ? `running until ${formatTime(round.ends_at, zone)}` : `${durationWords(round.started_at, round.ends_at)}${round.ended_early ? ", ended early" : ""}`}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </div>
      </div>
      {confirm === "start" && (
        <Sheet title="Start the round now?" onClose={() => setConfirm(null)}>
          <p>Everyone confirmed for {props.event.title} gets a {l.bingo.size}x{l.bingo.size} card at once, and the {l.bingo.round_minutes}-minute countdown starts on every phone and on the projector.</p>
          <div class="row">
            <button type="button" class="button primary" disabled={busy} onClick={() => act(() => api<Round>(`/events/${id}/bingo/rounds`, { method: "POST", body: {} }))}>Start now</button>
            <button type="button" class="button secondary" onClick={() => setConfirm(null)}>Not yet</button>
          </div>
        </Sheet>
      )}
      {confirm === "end" && running && (
        <Sheet title="End the round now?" onClose={() => setConfirm(null)}>
          <p>Exchanges from now on will not count; cards and the leaderboard stop where they are, and everyone sees the round’s numbers.</p>
          <div class="row">
            <button type="button" class="button danger" disabled={busy} onClick={() => act(() => api<Round>(`/events/${id}/bingo/rounds/${running.id}/end`, { method: "POST" }))}>End the round</button>
            <button type="button" class="button secondary" onClick={() => setConfirm(null)}>Keep it running</button>
          </div>
        </Sheet>
      )}
    </div>
  );
}

async function loadLive(eventId: number): Promise<Live> {
  const bingo = await api<Bingo>(`/events/${eventId}/bingo`);
  const board = bingo.rounds.length ? await api<Leaderboard>(`/events/${eventId}/bingo/leaderboard`, { query: { per_page: 10 } }) : null;
  return { bingo, board, generated_at: bingo.generated_at };
}

/** The last round's numbers, once it is over. */
function LastRound(props: { eventId: number; round: Round }) {
  const summary = useLoad(() => api<RoundSummary>(`/events/${props.eventId}/bingo/rounds/${props.round.id}/summary`), [props.eventId, props.round.id]);
  if (summary.data) {
    return (
      <>
        <h3 class="section-title">Last round</h3>
        <RoundNumbers summary={summary.data} />
      </>
    );
  }
  return summary.error ? <LoadFailed error={summary.error} retry={summary.reload} /> : <Loading what="the last round's numbers" />;
}

/** The card of the next rounds: its size, how long a round runs, and the actions its squares ask for (the
 * event's actions, and any the organizer adds, kept in the words typed). A running round keeps the card it
 * started with. */
function SetupForm(props: { event: NetEvent; bingo: Bingo; locked: boolean; open: boolean; onSaved: () => void }) {
  const id = props.event.id;
  const offered = useLoad(() => api<EventActions>(`/events/${id}/exchange-actions`), [id]);
  const [size, setSize] = useState(props.bingo.size);
  const [minutes, setMinutes] = useState(String(props.bingo.round_minutes));
  const [chosen, setChosen] = useState<string[]>(props.bingo.actions);
  const [extra, setExtra] = useState<string[]>([]);
  /** Own actions' words as typed here, by slug: sent with the card, then the event's. */
  const [typedWords, setTypedWords] = useState<Record<string, string>>({});
  const [typed, setTyped] = useState("");
  const [typedError, setTypedError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);

  const pool = [...new Set([...(offered.data?.standard ?? []), ...(offered.data?.custom ?? []), ...props.bingo.actions, ...extra])];
  const labels = { ...offered.data?.labels, ...typedWords };
  const missing = actionsMissing(size, chosen.length);
  const toggle = (action: string, on: boolean) => {
    setSaved(false);
    setChosen((current) => (on ? [...current, action] : current.filter((a) => a !== action)));
  };
  const addOwn = () => {
    const slug = actionSlug(typed);
    if (!slug) {
      setTypedError("Type a few words, starting with a letter, like “Swap business cards”.");
      return;
    }
    setTypedError(undefined);
    setTyped("");
    const standard: readonly string[] = STANDARD_ACTIONS;
    if (!standard.includes(slug)) setTypedWords((current) => ({ ...current, [slug]: typed.trim() }));
    if (!pool.includes(slug)) setExtra((current) => [...current, slug]);
    if (!chosen.includes(slug)) toggle(slug, true);
  };

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      // Words only for actions that are the event's own once saved: the ones chosen, or its own already.
      const own = new Set([...chosen, ...(offered.data?.custom ?? [])]);
      const words = Object.fromEntries(Object.entries(typedWords).filter(([slug]) => own.has(slug)));
      const answer = await api<Bingo>(`/events/${id}/bingo`, {
        method: "PUT", body: { actions: chosen, labels: words, size, round_minutes: Number(minutes) },
      });
      setChosen(answer.actions);
      offered.reload(); // the event's own actions, now with these words
      setSaved(true);
      props.onSaved();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  const actionsError = fieldError(error, "actions");
  const minutesError = fieldError(error, "round_minutes");
  const generalError = error instanceof ApiError && (actionsError || minutesError || fieldError(error, "size")) ? null : error;
  return (
    <details class="card setup" open={props.open}>
      <summary><h3 class="summary-heading" id="setup-title">The card</h3> <span class="muted">· {props.bingo.size}x{props.bingo.size}, {count(props.bingo.round_minutes, "minute")}, {count(props.bingo.actions.length, "action")}</span><span class="setup-toggle" aria-hidden="true" /></summary>
      <form class="stack" noValidate onSubmit={save} aria-labelledby="setup-title">
        {props.locked && <p class="note">The running round keeps its card; what you save here is for the next round.</p>}
        <fieldset>
          <legend>Size</legend>
          <div class="size-choice">
            {SIZES.map((n) => (
              <label><input type="radio" name="bingo-size" value={n} checked={size === n} onChange={() => { setSize(n); setSaved(false); }} /> {n}x{n} <span class="muted">· {n * n}</span></label>
            ))}
          </div>
        </fieldset>
        <Field label="Round length, in minutes" name="round_minutes" type="number" inputMode="numeric" min={1} max={120} required value={minutes}
          error={minutesError} hint="1 to 120; ten minutes suits most rooms."
          onInput={(event) => { setMinutes((event.target as HTMLInputElement).value); setSaved(false); }} />
        <fieldset class={actionsError ? "invalid-group" : undefined} aria-describedby="actions-need">
          <legend>What the squares ask for</legend>
          <p id="actions-need" class={missing ? "need short" : "need"}>
            {missing ? `A ${size}x${size} card needs ${size * size} different actions: ${chosen.length} chosen, add ${missing} more.`
              : `${chosen.length} chosen for ${size * size} squares${chosen.length > size * size ? ": each card draws its own mix" : ""}.`}
          </p>
          {actionsError && <p class="error">{actionsError}</p>}
          {!offered.data && offered.loading ? <Loading what="the event's actions" lines={2} /> : (
            <div class="actions-pool">
              {pool.map((action) => (
                <label class="choice"><input type="checkbox" checked={chosen.includes(action)} onChange={(event) => toggle(action, (event.target as HTMLInputElement).checked)} /> {squareLabel(action, labels)}</label>
              ))}
            </div>
          )}
          <div class="add-own">
            <Field label="Add your own" name="own-action" value={typed} error={typedError} placeholder="Swap business cards" maxLength={40}
              onInput={(event) => { setTyped((event.target as HTMLInputElement).value); setTypedError(undefined); }}
              onKeyDown={(event) => { if (event.key === "Enter") { event.preventDefault(); addOwn(); } }} />
            <button type="button" class="button secondary" onClick={addOwn}>Add</button>
          </div>
          <p class="hint">Reword or remove the event’s own actions under <a href={`/organize/events/${id}/details`}>Details</a>.</p>
        </fieldset>
        <ErrorNote error={generalError} />
        {saved && <p class="note ok" role="status">Saved: the next round uses this card.</p>}
        <button class="button primary" disabled={busy}>{busy ? "Saving…" : "Save the card"}</button>
      </form>
    </details>
  );
}
