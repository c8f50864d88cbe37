import { KindTag, LoadFailed, Loading } from "../components/Status";
import { Page } from "../components/Page";
import { api, type Page as ApiPage } from "../lib/api";
import { formatEventTime } from "../lib/time";
import type { NetEvent } from "../lib/types";
import { useLoad } from "../lib/useLoad";

/** `/`: upcoming published events. */
export default function Events() {
  const events = useLoad(() => api<ApiPage<NetEvent>>("/events", { query: { per_page: 50 }, auth: "none" }));
  return (
    <Page title="Upcoming events">
      <p class="muted">Meetups, workshops and webinars for people who grow through their network.</p>
      {events.loading && !events.data && <Loading what="events" />}
      {events.error && <LoadFailed error={events.error} retry={events.reload} />}
      {events.data && events.data.items.length === 0 && <p class="card">No upcoming events yet. Check back soon.</p>}
      <ul class="list">
        {events.data?.items.map((event) => (
          <li>
            <a class="card event-card" href={`/e/${event.id}`}>
              <KindTag kind={event.kind} />
              <h2>{event.title}</h2>
              <p class="meta">{formatEventTime(event)}</p>
              <p class="meta">{event.kind === "webinar" ? "Online" : event.venue}</p>
              {event.spots_left === 0 && <p class="meta"><span class="tag warn">{event.waitlist_enabled ? "Full · waitlist open" : "Full"}</span></p>}
            </a>
          </li>
        ))}
      </ul>
    </Page>
  );
}
