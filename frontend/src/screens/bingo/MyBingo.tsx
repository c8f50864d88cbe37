import { useEffect, useRef, useState } from "preact/hooks";
import { Page, useSession } from "../../components/Page";
import { LoadFailed, Loading } from "../../components/Status";
import { api, ApiError } from "../../lib/api";
import { count } from "../../lib/plural";
import { formatDateTime, formatTime } from "../../lib/time";
import type { Bingo, BingoCard, EventActions, NetEvent, RoundSummary } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import type { ActionLabels } from "../../lib/actions";
import { lineName, newLines, newlySigned, signedAnnouncement, type LineRef } from "./logic";
import { CardGrid, Countdown, RoundNumbers } from "./parts";
import { usePoll } from "./usePoll";

/** How often the card asks while a round runs ("within a few seconds"), and while waiting for one. */
const RUNNING_MS = 2500;
const WAITING_MS = 5000;
const ENDED_MS = 10000;
/** How long a newly signed square stays lit. */
const FRESH_MS = 4000;

/** `/e/{id}/bingo`: my card in the round running now, signed live; the countdown; a celebration when a line
 * completes; after the round, what it did for the room. */
export default function MyBingo(props: { params: { eventId: string } }) {
  const eventId = props.params.eventId;
  const session = useSession();
  const event = useLoad(() => api<NetEvent>(`/events/${eventId}`), [eventId]);
  const back = { href: `/e/${eventId}`, label: event.data?.title ?? "The event" };

  if (!session) {
    return (
      <Page title="Bingo" back={back}>
        <p>Your bingo card is tied to your registration. <a href={`/signin?next=${encodeURIComponent(`/e/${eventId}/bingo`)}`}>Sign in</a> to see it.</p>
      </Page>
    );
  }
  const e = event.data;
  return (
    <Page title="Bingo" documentTitle={e ? `Bingo · ${e.title}` : "Bingo"} back={back}>
      {e?.viewer_is_organizer ? <OrganizerNote eventId={eventId} />
        : e ? <Card eventId={eventId} event={e} />
        : event.error ? <LoadFailed error={event.error} retry={event.reload} />
        : <Loading what="your bingo card" lines={4} />}
    </Page>
  );
}

/** What the card screen shows: the card of the round running (or the last one), or, before any round, whether
 * the organizers have set a bingo up. */
interface Look {
  card: BingoCard | null;
  configured: boolean;
  /** The server's clock at the answer: usePoll sets the countdown's clock by it. */
  generated_at: string;
}

function Card(props: { eventId: string; event: NetEvent }) {
  const { eventId, event } = props;
  const [everyMs, setEveryMs] = useState<number | null>(RUNNING_MS);
  // Until a round exists the card is not asked for (it would be a 404): the event's bingo says whether one is
  // set up; once a round has started, there is always a card to show (rounds stay).
  const played = useRef(false);
  const look = usePoll(async (): Promise<Look> => {
    if (!played.current) {
      const bingo = await api<Bingo>(`/events/${eventId}/bingo`);
      if (bingo.rounds.length === 0) return { card: null, configured: bingo.configured, generated_at: bingo.generated_at };
      played.current = true;
    }
    const card = await api<BingoCard>(`/events/${eventId}/bingo/card`);
    return { card, configured: true, generated_at: card.generated_at };
  }, everyMs, [eventId]);
  const card = { ...look, data: look.data?.card ?? null };
  // The squares' words: the event's own actions as its organizer typed them, asked once a card is there and
  // again for each round (its card may bring new ones). Until they come, a square spells its slug out.
  const roundId = card.data?.round.id;
  const actions = useLoad(
    () => (roundId === undefined ? Promise.resolve(null) : api<EventActions>(`/events/${eventId}/exchange-actions`)),
    [eventId, roundId]);
  const labels = actions.data?.labels;
  const c = card.data;
  const problem = card.error instanceof ApiError ? card.error : null;
  // A refusal that waiting will not change stops the polling; no round yet asks now and then.
  const state = stateOf(look.data, problem);
  const wanted = state === "running" ? RUNNING_MS : state === "waiting" || state === "none" ? WAITING_MS : state === "ended" ? ENDED_MS
    : state === "error" ? WAITING_MS : null;
  useEffect(() => setEveryMs(wanted), [wanted]);

  const { fresh, celebration, announcement, dismiss } = useChanges(c, labels);

  if (!look.data && card.loading) return <Loading what="your bingo card" lines={4} />;
  if (state === "not-registered") {
    return (
      <div class="stack bingo-state" data-testid="bingo-not-registered">
        <p class="note">Bingo is for the people registered for {event ? <strong>{event.title}</strong> : "this event"}, once their place is confirmed.</p>
        <p>Register on the <a href={`/e/${eventId}`}>event page</a>, and your card appears here when the organizer starts a round.</p>
      </div>
    );
  }
  if (state === "none") return <NoBingo event={event} />;
  if (state === "waiting") return <NoRoundYet event={event} />;
  if (!c) return <LoadFailed error={card.error} retry={card.reload} />;

  const running = c.round.running;
  return (
    <div class="my-bingo">
      <p class="sr-only" aria-live="polite" data-testid="bingo-announcement">{announcement}</p>
      {card.error ? <p class="note warn" role="status">The connection dropped: your card may be behind. Trying again…</p> : null}
      {running ? (
        <div class="bingo-head">
          <Countdown round={c.round} offsetMs={card.offsetMs} />
          <p class="bingo-progress">
            <strong>{c.squares_signed} of {c.squares.length}</strong> signed
            {c.lines.length > 0 && <> · <strong>{count(c.lines.length, "line")}</strong></>}
          </p>
        </div>
      ) : (
        <div class="bingo-head ended" data-testid="round-over">
          <h2>Round over</h2>
          <p>{c.round.ended_early ? "The organizer ended it" : "Time ran out"} at {formatTime(c.round.ends_at, event?.timezone)}.
            You signed {c.squares_signed} of {c.squares.length}{c.lines.length ? `, ${count(c.lines.length, "line")}` : ""}.</p>
        </div>
      )}
      {celebration && <Celebration lines={celebration} onDismiss={dismiss} />}
      {!celebration && c.bingo && running && (
        <p class="note ok bingo-won">Bingo! {c.lines.map((line) => lineName(line)).join(", ")}. Keep going for more lines.</p>
      )}
      {!running && <RoundResult eventId={eventId} roundId={c.round.id} />}
      {!running && <h2>Your card</h2>}
      {running && (
        <p class="how">Meet someone, do what a square says, then scan their badge and tag it: the square gets their name. One square per person.
          {" "}<a class="button primary small" href="/scan">Scan a badge</a></p>
      )}
      <CardGrid card={c} fresh={fresh} labels={labels} />
      {!running && <p class="muted">If the organizer starts another round, your new card shows here by itself.</p>}
    </div>
  );
}

type State = "running" | "ended" | "waiting" | "none" | "not-registered" | "error";

function stateOf(look: Look | null, problem: ApiError | null): State {
  if (problem?.status === 403 || problem?.status === 401) return "not-registered";
  const card = look?.card;
  if (card) return card.round.running ? "running" : "ended";
  if (look) return look.configured ? "waiting" : "none";
  return "error";
}

/** The organizer's own look at the attendees' screen: no card, the way to run the bingo. */
function OrganizerNote(props: { eventId: string }) {
  return (
    <div class="stack bingo-state">
      <p class="note">You organize this event and have no card of your own.</p>
      <p><a class="button primary" href={`/organize/events/${props.eventId}/bingo`}>Run the bingo</a> <a class="button secondary" href={`/organize/events/${props.eventId}/projector`}>Projector view</a></p>
    </div>
  );
}

/** The organizers have not set a bingo up (and no round was ever played): there is none to wait for, but one may
 * still come, so the screen keeps looking now and then. */
function NoBingo(props: { event: NetEvent }) {
  return (
    <div class="stack bingo-state" data-testid="bingo-none">
      <p class="note">There is no networking bingo at {props.event.title} (its organizers have not set one up).</p>
      <p class="muted">You can still meet people and scan their badges: they show on <a href="/me/connections">your connections</a>. If the organizers start a bingo, your card appears here.</p>
    </div>
  );
}

/** What changed since the last look at the card: squares just signed (lit and announced), lines just done
 * (celebrated). Nothing is celebrated on opening the screen, only while it watches. */
function useChanges(card: BingoCard | null, labels: ActionLabels | undefined) {
  const last = useRef<BingoCard | null>(null);
  const words = useRef(labels); // read when the card changes: new words alone announce nothing
  words.current = labels;
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const [celebration, setCelebration] = useState<LineRef[] | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const fading = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(fading.current), []);
  useEffect(() => {
    if (!card) return;
    const before = last.current?.round.id === card.round.id ? last.current : null;
    const opened = last.current === null;
    last.current = card;
    const signed = newlySigned(before?.squares ?? (opened ? null : []), card.squares);
    const lines = newLines(before?.lines ?? (opened ? null : []), card.lines);
    if (signed.length) {
      setFresh(new Set(signed.map((square) => square.position)));
      setAnnouncement(signedAnnouncement(signed, words.current));
      clearTimeout(fading.current);
      fading.current = setTimeout(() => setFresh(new Set()), FRESH_MS);
    }
    if (lines.length) setCelebration(lines);
  }, [card]);
  return { fresh, celebration, announcement, dismiss: () => setCelebration(null) };
}

/** Bingo! Said at once to screen readers (an alert), with confetti for those who did not ask for less motion. */
function Celebration(props: { lines: LineRef[]; onDismiss: () => void }) {
  return (
    <section class="celebration" role="alert" data-testid="celebration">
      <div class="confetti" aria-hidden="true">{Array.from({ length: 14 }, (_, i) => <span class={`bit bit-${i % 7}`} />)}</div>
      <p class="celebration-title">Bingo!</p>
      <p class="celebration-lines">{props.lines.map((line) => lineName(line)).join(" and ")} complete.</p>
      <button type="button" class="button secondary" onClick={props.onDismiss}>Keep going</button>
    </section>
  );
}

/** After a round: what it did for the room (the API says it to attendees once the round is over). */
function RoundResult(props: { eventId: string; roundId: number }) {
  const summary = useLoad(() => api<RoundSummary>(`/events/${props.eventId}/bingo/rounds/${props.roundId}/summary`), [props.eventId, props.roundId]);
  if (summary.data) return <RoundNumbers summary={summary.data} />;
  if (summary.error) return <LoadFailed error={summary.error} retry={summary.reload} />;
  return <Loading what="the round's numbers" />;
}

/** No round has started yet: before the event, when it begins; during it, any moment now. */
function NoRoundYet(props: { event: NetEvent }) {
  const e = props.event;
  const before = e && Date.parse(e.starts_at) > Date.now();
  return (
    <div class="stack bingo-state" data-testid="bingo-no-round">
      <div class="bingo-empty" aria-hidden="true">{Array.from({ length: 9 }, () => <span />)}</div>
      {before ? (
        <p class="note">The bingo has not started: rounds happen during the event, from {formatDateTime(e.starts_at, e.timezone)}. Your card appears here when the organizer starts one.</p>
      ) : (
        <p class="note" role="status">No round yet. When the organizer starts one, your card appears here by itself: keep this page open.</p>
      )}
      <p class="muted">How it works: each square asks for something to do with someone new (introduce yourself, ask for advice…). Scan their badge and tag it, and the square is signed with their name. A full row, column or diagonal is a bingo.</p>
    </div>
  );
}
