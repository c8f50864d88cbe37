// What the bingo screens share: the countdown, a card's grid, the leaderboard and a round's numbers.
import { count } from "../../lib/plural";
import type { BingoCard, Leaderboard, Round, RoundSummary } from "../../lib/types";
import { squareLabel } from "../../lib/actions";
import { countdownWords, durationWords, formatCountdown, percent, positionsIn, remainingMs } from "./logic";
import { useNow } from "./usePoll";
import "./bingo.css";

/** The time left in a round, on the server's clock (`offsetMs`), ticking each second; screen readers hear it
 * once a minute. */
export function Countdown(props: { round: Round; offsetMs: number; class?: string }) {
  const now = useNow(props.round.running);
  const left = props.round.running ? remainingMs(props.round.ends_at, props.offsetMs, now) : 0;
  return (
    <div class={`countdown ${props.class ?? ""} ${left > 0 && left <= 60_000 ? "last-minute" : ""}`}>
      <span class="countdown-label">{left > 0 ? "Time left" : "Round over"}</span>
      <span class="countdown-time" role="timer" aria-atomic="true" data-testid="countdown">{formatCountdown(left)}</span>
      <span class="sr-only" aria-live="polite">{countdownWords(left)}</span>
    </div>
  );
}

/** A card as a grid: each square's action, and who signed it. Squares of a completed line are marked;
 * `fresh` ones (signed since the last look) light up briefly. */
export function CardGrid(props: { card: BingoCard; fresh?: Set<number> }) {
  const { card } = props;
  const inLine = positionsIn(card.lines, card.size);
  return (
    <ol class={`bingo-grid size-${card.size}`} aria-label={`Your card: ${card.squares_signed} of ${card.squares.length} squares signed`}>
      {card.squares.map((square) => {
        const classes = ["square", square.signed ? "signed" : "open", inLine.has(square.position) ? "in-line" : "", props.fresh?.has(square.position) ? "fresh" : ""];
        return (
          <li class={classes.filter(Boolean).join(" ")} data-position={square.position}>
            <span class="square-action">{squareLabel(square.action)}</span>
            {square.signed
              ? <span class="square-by"><span aria-hidden="true">✓ </span><span class="sr-only">signed by </span>{square.signed_by?.name ?? "someone"}</span>
              : <span class="square-by open-by"><span class="sr-only">not signed yet</span><span aria-hidden="true">—</span></span>}
          </li>
        );
      })}
    </ol>
  );
}

/** The leaderboard's first page: rank, name, lines and squares; "you" marked. */
export function LeaderboardList(props: { board: Leaderboard; class?: string; limit?: number }) {
  const items = props.board.items.slice(0, props.limit ?? props.board.items.length);
  if (items.length === 0) {
    return <p class="muted board-empty">Nobody has a signed square yet. The first exchange puts its scanner on the board.</p>;
  }
  return (
    <ol class={`board ${props.class ?? ""}`} aria-label="Leaderboard">
      {items.map((entry) => (
        <li class={entry.you ? "you" : ""}>
          <span class="board-rank" aria-hidden="true">{entry.rank}</span>
          <span class="board-name">
            <span class="sr-only">Rank {entry.rank}: </span>{entry.name}{entry.you && <span class="tag">you</span>}
            {entry.bingo_at && <span class="tag bingo-tag">Bingo</span>}
          </span>
          <span class="board-score">
            <strong>{count(entry.lines, "line")}</strong>
            <span>{count(entry.squares_signed, "square")}</span>
          </span>
        </li>
      ))}
    </ol>
  );
}

/** What a round did for the room: its headline (the connections made, and in how long), then the numbers;
 * `sharesOnly` leaves the counts out (the projector shows them beside it). */
export function RoundNumbers(props: { summary: RoundSummary; class?: string; sharesOnly?: boolean }) {
  const s = props.summary;
  const length = durationWords(s.round.started_at, s.round.ends_at);
  const stats = [
    { value: percent(s.met_someone_new_share), label: `met someone new (${s.attendees_met_someone_new} of ${count(s.attendees, "person", "people")})`, share: true, key: "met" },
    { value: s.pairs_with_companies ? percent(s.cross_company_share) : "—", label: "of new pairs across companies", share: true, key: "cross" },
    { value: s.exchanges, label: s.exchanges === 1 ? "exchange" : "exchanges", share: false, key: "exchanges" },
    { value: s.bingos, label: s.bingos === 1 ? "bingo" : "bingos", share: false, key: "bingos" },
  ].filter((stat) => stat.share || !props.sharesOnly);
  return (
    <section class={`round-numbers ${props.class ?? ""}`} aria-labelledby={`round-${s.round.id}-headline`} data-testid="round-numbers">
      <p class="headline" id={`round-${s.round.id}-headline`}>
        <strong>{s.connections_made}</strong> new {s.connections_made === 1 ? "connection" : "connections"}
        <span> in {length}</span>
      </p>
      <dl class="number-grid">
        {stats.map((stat) => (
          <div data-stat={stat.key}>
            <dt>{stat.label}</dt>
            <dd>{stat.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
