import { useState } from "preact/hooks";
import { ErrorNote } from "../../components/Form";
import { api } from "../../lib/api";
import type { NetEvent } from "../../lib/types";
import { EventForm } from "./EventForm";
import { ExchangeActionsEditor } from "./ExchangeActions";

/** Edit the event, publish it, cancel it; share its page; its own exchange actions. */
export function Details(props: { event: NetEvent; onChanged: (event: NetEvent) => void }) {
  const e = props.event;
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const pageUrl = `${location.origin}/e/${e.id}`;

  async function setStatus(status: NetEvent["status"], question?: string) {
    if (question && !confirm(question)) return;
    setError(null);
    try {
      props.onChanged(await api<NetEvent>(`/events/${e.id}`, { method: "PATCH", body: { status } }));
    } catch (problem) {
      setError(problem);
    }
  }

  return (
    <>
      <div class="card">
        <p class="label">Share the event page</p>
        <p><a href={`/e/${e.id}`}>{pageUrl}</a></p>
        <div class="row">
          {e.status === "draft" && <button type="button" class="button primary" onClick={() => setStatus("published")}>Publish</button>}
          {e.status === "published" && e.confirmed_count === 0 && <button type="button" class="button secondary" onClick={() => setStatus("draft")}>Back to draft</button>}
          {e.status !== "cancelled" && (
            <button type="button" class="button danger"
              onClick={() => setStatus("cancelled", `Cancel ${e.title}? Everyone registered is told by email. This cannot be undone.`)}>Cancel event</button>
          )}
        </div>
        <ErrorNote error={error} />
      </div>
      {saved && <p class="note ok" role="status">Changes saved.</p>}
      {e.status !== "cancelled" && <EventForm key={e.id} event={e} onSaved={(changed) => {
        props.onChanged(changed);
        setSaved(true);
      }} />}
      {e.status !== "cancelled" && <ExchangeActionsEditor eventId={e.id} />}
    </>
  );
}
