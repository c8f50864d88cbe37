import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../../components/Form";
import { CheckInTag, LoadFailed, Loading, RegistrationTag } from "../../components/Status";
import { api, ApiError, request, type Page as ApiPage } from "../../lib/api";
import { downloadCsv, openHtml } from "../../lib/download";
import { newNonce } from "../../door/offline";
import type { NetEvent, Registration, ScanAnswer } from "../../lib/types";
import { count } from "../../lib/plural";
import { useLoad } from "../../lib/useLoad";

const PER_PAGE = 50;

/** The attendee list: search, filter, check someone in by hand, import and export CSV, print badges. */
export function Attendees(props: { event: NetEvent }) {
  const id = props.event.id;
  const [q, setQ] = useState("");
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState("");
  const [pages, setPages] = useState(1);
  const [results, setResults] = useState<Record<number, ScanAnswer | string>>({});
  const [error, setError] = useState<unknown>(null);
  const list = useLoad(
    () => api<ApiPage<Registration>>(`/events/${id}/registrations`, { query: { q: query, status, per_page: PER_PAGE * pages } }),
    [id, query, status, pages],
  );

  useEffect(() => {
    const timer = setTimeout(() => {
      setQuery(q.trim());
      setPages(1);
    }, 300);
    return () => clearTimeout(timer);
  }, [q]);

  async function checkIn(registration: Registration) {
    try {
      const answer = await api<ScanAnswer>("/checkins", {
        method: "POST", body: { registration_id: registration.id, event_id: id, nonce: newNonce() },
      });
      setResults({ ...results, [registration.id]: answer });
    } catch (problem) {
      setResults({ ...results, [registration.id]: problem instanceof ApiError ? problem.message : "Check-in failed; try again." });
    }
    list.reload(); // show who is in now (and drop the button for them)
  }

  async function run(action: () => Promise<void>) {
    setError(null);
    try {
      await action();
    } catch (problem) {
      setError(problem);
    }
  }

  const data = list.data;
  return (
    <>
      <div class="row" style={{ marginBottom: "0.75rem" }}>
        <button type="button" class="button secondary" onClick={() => run(() => downloadCsv(`/events/${id}/registrations`, `event-${id}-attendees.csv`, { q: query, status }))}>Export CSV</button>
        <button type="button" class="button secondary" onClick={() => run(() => openHtml(`/events/${id}/badges/sheet.html`))}>Print badges</button>
      </div>
      <ErrorNote error={error} />
      <CsvImport eventId={id} onImported={list.reload} />

      <form class="row" role="search" style={{ margin: "1rem 0 0.5rem" }} onSubmit={(event) => event.preventDefault()}>
        <div style={{ flex: "1 1 14rem" }}>
          <label class="sr-only" for="attendee-search">Search attendees</label>
          <input id="attendee-search" type="search" placeholder="Search name, email or company" value={q}
            onInput={(event) => setQ((event.target as HTMLInputElement).value)} />
        </div>
        <div style={{ flex: "0 1 11rem" }}>
          <label class="sr-only" for="attendee-status">Status</label>
          <select id="attendee-status" value={status} onChange={(event) => {
            setStatus((event.target as HTMLSelectElement).value);
            setPages(1);
          }}>
            <option value="">Everyone</option>
            <option value="confirmed">Confirmed</option>
            <option value="waitlisted">Waitlisted</option>
            <option value="cancelled">Cancelled</option>
          </select>
        </div>
      </form>
      {list.error && <LoadFailed error={list.error} retry={list.reload} />}
      {!data && list.loading && <Loading what="attendees" />}
      {data && <p class="muted" role="status">{data.total} {data.total === 1 ? "person" : "people"}{query ? ` matching “${query}”` : ""}</p>}
      {data && data.total === 0 && !query && !status && <p class="card">Nobody has registered yet. Share the event page, or import a CSV above.</p>}
      <ul class="list">
        {data?.items.map((registration) => {
          const result = results[registration.id];
          return (
            <li class="attendee">
              <div>
                <div class="who">{registration.name}</div>
                <div class="muted">{registration.email}{registration.company ? ` · ${registration.company}` : ""}</div>
                <div class="tags">
                  <RegistrationTag status={registration.status} position={registration.waitlist_position} />
                  <CheckInTag registration={registration} timeZone={props.event.timezone} />
                </div>
                {result && (
                  <p class={typeof result !== "string" && result.result === "accepted" ? "inline-result ok" : "inline-result bad"} role="status">
                    {typeof result === "string" ? result : `${result.result === "accepted" ? "✓" : "✕"} ${result.message}`}
                  </p>
                )}
              </div>
              {registration.status === "confirmed" && !registration.inside && (
                registration.checked_in_at
                  ? <button type="button" class="button small secondary" aria-label={`Check in again: ${registration.name}`} onClick={() => checkIn(registration)}>Check in again</button>
                  : <button type="button" class="button small secondary" aria-label={`Check in ${registration.name}`} onClick={() => checkIn(registration)}>Check in</button>
              )}
            </li>
          );
        })}
      </ul>
      {data && data.items.length < data.total && (
        <button type="button" class="button secondary block" onClick={() => setPages(pages + 1)} disabled={list.loading}>Show more</button>
      )}
    </>
  );
}

/** Import attendees from a CSV file: all or nothing, with every problem listed by line. */
function CsvImport(props: { eventId: number; onImported: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function upload() {
    const file = input.current?.files?.[0];
    if (!file) {
      setError(new Error("Choose a CSV file first."));
      return;
    }
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const response = await request(`/events/${props.eventId}/registrations/import`, {
        method: "POST", rawBody: { data: await file.text(), type: "text/csv" },
      });
      const result = (await response.json()) as { rows: number; confirmed: number; waitlisted: number };
      setDone(`Imported ${count(result.rows, "attendee")}: ${result.confirmed} confirmed, ${result.waitlisted} waitlisted. Each gets their badge by email.`);
      input.current!.value = "";
      props.onImported();
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  const rows = error instanceof ApiError ? error.rows : [];
  return (
    <details class="card">
      <summary><strong>Import attendees from CSV</strong></summary>
      <p class="hint">Columns: <code>email</code>, <code>name</code> (required), <code>headline</code>, <code>company</code>. If any line has a problem, nothing is imported.</p>
      <div class="row">
        <label class="sr-only" for="csv-file">CSV file</label>
        <input id="csv-file" ref={input} type="file" accept=".csv,text/csv" style={{ flex: "1 1 14rem" }} />
        <button type="button" class="button primary" onClick={upload} disabled={busy}>{busy ? "Importing…" : "Import"}</button>
      </div>
      {done && <p class="note ok" role="status">{done}</p>}
      <ErrorNote error={error} />
      {rows.length > 0 && (
        <ul class="rows-problems">
          {rows.map((row) => <li>Line {row.line}{row.field ? ` (${row.field})` : ""}: {row.message}</li>)}
        </ul>
      )}
    </details>
  );
}
