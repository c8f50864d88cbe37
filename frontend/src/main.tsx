import { render } from "preact";
import { useEffect, useState } from "preact/hooks";

type EventSummary = { id: number; title: string; starts_at: string; venue: string; kind: string };

function EventsPage() {
  const [events, setEvents] = useState<EventSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    fetch("/api/v1/events")
      .then((response) => response.json())
      .then((page) => setEvents(page.items))
      .catch(() => setError("Could not load events. Check your connection and reload."));
  }, []);
  return (
    <main>
      <h1>netevents</h1>
      <p>Check-in and networking for meetups, workshops and webinars.</p>
      {error && <p role="alert">{error}</p>}
      {events === null && !error && <p>Loading events…</p>}
      {events && events.length === 0 && <p>No upcoming events yet.</p>}
      <ul>
        {events?.map((event) => (
          <li key={event.id}>
            <a href={`/e/${event.id}`}>{event.title}</a> — {new Date(event.starts_at).toLocaleString()} · {event.venue}
          </li>
        ))}
      </ul>
      <p><a href="/api/docs">API documentation</a></p>
    </main>
  );
}

render(<EventsPage />, document.getElementById("app")!);
