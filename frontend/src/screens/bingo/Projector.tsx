import { useEffect, useRef } from "preact/hooks";
import { useSession } from "../../components/Page";
import { ErrorNote } from "../../components/Form";
import { api, ApiError } from "../../lib/api";
import { formatTime } from "../../lib/time";
import type { Attendance, Bingo, Leaderboard, NetEvent, RoundSummary } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { Countdown, LeaderboardList, RoundNumbers } from "./parts";
import { usePoll } from "./usePoll";

const REFRESH_MS = 3000;
/** As many names as a big screen shows at once, readable from the back of the room. */
const SHOWN = 8;

interface Room {
  /** The round running, or else the last one, with its leaderboard; null: no round yet. */
  board: Leaderboard | null;
  /** Whether the organizers have set the bingo up (before any round: none set up is no bingo at this event). */
  configured: boolean;
  summary: RoundSummary | null;
  attendance: Attendance;
  generated_at: string | null;
}

/** `/organize/events/{id}/projector`: the bingo for a big screen: the countdown, the leaderboard and the room's
 * numbers, refreshing by itself. Organizers only (it shows the door's counts). */
export default function Projector(props: { params: { eventId: string } }) {
  const eventId = props.params.eventId;
  const session = useSession();
  const event = useLoad(() => api<NetEvent>(`/events/${eventId}`), [eventId]);
  // Before any round the leaderboard is not asked for (it would be a 404): the event's bingo says whether there
  // is one; once a round has started there always is a leaderboard (rounds stay).
  const played = useRef(false);
  const room = usePoll(async () => {
    const loaded = await loadRoom(eventId, played.current);
    if (loaded.board) played.current = true;
    return loaded;
  }, session ? REFRESH_MS : null, [eventId, session?.token]);
  const e = event.data;
  useEffect(() => {
    document.title = `Projector · ${e?.title ?? "Bingo"} · netevents`;
  }, [e?.title]);

  const r = room.data;
  const round = r?.board?.round ?? null;
  const refused = room.error instanceof ApiError && (room.error.status === 403 || room.error.status === 404);
  return (
    <main class="projector" id="content">
      <header class="projector-top">
        <h1>Networking bingo</h1>
        <p class="event">{e?.title}</p>
      </header>
      {!session ? (
        <p class="status-line">Sign in as an organizer of this event on <a href="/organize">the organizer page</a>, then open this screen again.</p>
      ) : refused || (!r && room.error) ? (
        <ErrorNote error={room.error} />
      ) : !r ? (
        <p class="status-line" role="status">Loading the room…</p>
      ) : (
        <>
          <div class="projector-main">
            <section aria-label="Round">
              {round?.running ? (
                <>
                  <Countdown round={round} offsetMs={room.offsetMs} class="big" />
                  <p class="status-line">Round on: ends at {formatTime(round.ends_at, e?.timezone)}</p>
                  <p class="how-to">Meet someone new, do what a square says, scan their badge in netevents and tag it. A full row, column or diagonal is a bingo.</p>
                </>
              ) : round && r.summary ? (
                <>
                  <p class="status-line">Round over</p>
                  <RoundNumbers summary={r.summary} sharesOnly />
                </>
              ) : !round && !r.configured ? (
                <div data-testid="projector-no-bingo">
                  <p class="status-line">No networking bingo at this event yet</p>
                  <p class="how-to">Set one up in <a href={`/organize/events/${eventId}/bingo`}>Bingo controls</a>: choose the card’s actions and start a round. This screen shows it by itself.</p>
                </div>
              ) : (
                <>
                  <p class="countdown-time" aria-hidden="true">—:—</p>
                  <p class="status-line">The bingo starts soon</p>
                  <p class="how-to">Open your card in netevents: My events, then “Bingo card”. Meet people, scan their badges, fill a row.</p>
                </>
              )}
            </section>
            <section aria-labelledby="board-title">
              <h2 class="board-title" id="board-title">{round && !round.running ? "Final leaderboard" : "Leaderboard"}</h2>
              {r.board ? <LeaderboardList board={r.board} limit={SHOWN} /> : <p class="board-empty">No round yet.</p>}
            </section>
          </div>
          <dl class="projector-numbers" aria-label="The room">
            <div><dt>checked in</dt><dd data-testid="room-checked-in">{r.attendance.checked_in}</dd></div>
            <div><dt>{round ? "exchanges this round" : "exchanges"}</dt><dd data-testid="room-exchanges">{r.summary?.exchanges ?? "—"}</dd></div>
            <div><dt>new connections</dt><dd data-testid="room-connections">{r.summary?.connections_made ?? "—"}</dd></div>
            <div><dt>bingos</dt><dd>{r.summary?.bingos ?? "—"}</dd></div>
          </dl>
        </>
      )}
      <footer class="projector-foot">
        <span>{room.error && r ? <span class="stale">Connection lost: showing the last numbers, retrying…</span> : `Refreshes every ${REFRESH_MS / 1000} s`}</span>
        <a href={`/organize/events/${eventId}/bingo`}>Bingo controls</a>
      </footer>
    </main>
  );
}

/** The room now; `played`: a round is known to exist, so its leaderboard is asked for at once. */
async function loadRoom(eventId: string, played: boolean): Promise<Room> {
  const base = `/events/${eventId}`;
  const [bingo, attendance] = await Promise.all([
    played ? null : api<Bingo>(`${base}/bingo`),
    api<Attendance>(`${base}/attendance`),
  ]);
  const board = played || (bingo?.rounds.length ?? 0) > 0
    ? await api<Leaderboard>(`${base}/bingo/leaderboard`, { query: { per_page: SHOWN } })
    : null;
  const summary = board ? await api<RoundSummary>(`${base}/bingo/rounds/${board.round.id}/summary`) : null;
  const configured = played || (bingo?.configured ?? false) || (bingo?.rounds.length ?? 0) > 0;
  return { board, configured, summary, attendance, generated_at: board?.generated_at ?? attendance.generated_at ?? null };
}
