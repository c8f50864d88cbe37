import { useEffect, useState } from "preact/hooks";
import { KindTag, LoadFailed, SkeletonCards } from "../components/Status";
import { Page } from "../components/Page";
import { api, type Page as ApiPage } from "../lib/api";
import { dateChip, formatEventTime, formatTime, isHappeningNow } from "../lib/time";
import type { NetEvent } from "../lib/types";

const PER_PAGE = 20;
const SEARCH_WAIT_MS = 250;

/** `/`: upcoming published events (and those running now), searchable, a page at a time. */
export default function Events() {
  const [typed, setTyped] = useState(() => new URLSearchParams(location.search).get("q") ?? "");
  const [q, setQ] = useState(typed.trim());
  const [pages, setPages] = useState<ApiPage<NetEvent>[]>([]);
  const [page, setPage] = useState(1);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);

  // Search as the person types (a short pause first); the address keeps the search, to share or reload.
  useEffect(() => {
    const timer = setTimeout(() => {
      const next = typed.trim();
      if (next === q) return;
      setQ(next);
      setPage(1);
      history.replaceState(null, "", next ? `/?q=${encodeURIComponent(next)}` : "/");
    }, SEARCH_WAIT_MS);
    return () => clearTimeout(timer);
  }, [typed, q]);

  useEffect(() => {
    let current = true;
    setLoading(true);
    setError(null);
    api<ApiPage<NetEvent>>("/events", { query: { per_page: PER_PAGE, page, q: q || undefined }, auth: "none" }).then(
      (answer) => {
        if (!current) return;
        setPages((before) => (page === 1 ? [answer] : [...before.slice(0, page - 1), answer]));
        setLoading(false);
      },
      (problem) => {
        if (!current) return;
        setError(problem);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
  }, [q, page, round]);

  const events = pages.flatMap((answer) => answer.items);
  const last = pages[pages.length - 1];
  const fresh = loading && page === 1;
  return (
    <Page title="Upcoming events">
      <p class="muted">Meetups, workshops and webinars for people who grow through their network.</p>
      <form class="search-row" role="search" onSubmit={(event) => {
        event.preventDefault();
        setQ(typed.trim());
        setPage(1);
      }}>
        <label class="sr-only" for="event-search">Search events by title or venue</label>
        <input id="event-search" type="search" placeholder="Search by title or venue" value={typed} autoComplete="off" enterKeyHint="search"
          onInput={(event) => setTyped((event.target as HTMLInputElement).value)} />
      </form>
      {error ? <LoadFailed error={error} retry={() => setRound((n) => n + 1)} /> : null}
      {fresh && !error && <SkeletonCards what="events" />}
      {!fresh && !error && events.length === 0 && (
        <p class="card" role="status">{q ? <>No upcoming event matches “{q}”. Try another word.</> : "No upcoming events yet. Check back soon."}</p>
      )}
      {!fresh && q && events.length > 0 && <p class="muted" role="status">{last.total} {last.total === 1 ? "event matches" : "events match"} “{q}”</p>}
      <ul class="list" aria-busy={loading ? "true" : undefined}>
        {!fresh && events.map((event) => <EventCard event={event} />)}
      </ul>
      {!fresh && last && last.page < last.pages && (
        <button type="button" class="button secondary block" disabled={loading} onClick={() => setPage(last.page + 1)}>
          {loading ? "Loading more…" : `Show more events (${last.total - events.length} more)`}
        </button>
      )}
    </Page>
  );
}

function EventCard(props: { event: NetEvent }) {
  const { event } = props;
  const chip = dateChip(event.starts_at, event.timezone);
  const now = isHappeningNow(event);
  return (
    <li>
      <a class="card event-card" href={`/e/${event.id}`}>
        <span class="date-chip" aria-hidden="true">
          <span class="weekday">{chip.weekday}</span>
          <span class="day">{chip.day}</span>
          <span class="month">{chip.month}</span>
        </span>
        <span class="event-card-body">
          <span class="row tags-row">
            {now && <span class="tag now" data-testid="happening-now">● Happening now · until {formatTime(event.ends_at, event.timezone)}</span>}
            <KindTag kind={event.kind} />
            {event.spots_left === 0 && <span class="tag warn">{event.waitlist_enabled ? "Full · waitlist open" : "Full"}</span>}
          </span>
          <h2>{event.title}</h2>
          <span class="meta">{formatEventTime(event)}</span>
          <span class="meta">{event.kind === "webinar" ? "Online" : event.venue}</span>
        </span>
      </a>
    </li>
  );
}
