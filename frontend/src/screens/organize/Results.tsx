import type { ComponentType } from "preact";
import { useEffect, useState } from "preact/hooks";
import { LoadFailed, Loading } from "../../components/Status";
import { api, type Page as ApiPage } from "../../lib/api";
import { count } from "../../lib/plural";
import { formatDateTime } from "../../lib/time";
import type { Attendance, EventMail, NetEvent, Network, Registration } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { ArrivalsChart } from "./ArrivalsChart";
import { CAME } from "./came";
import "./results.css";

type Picture = ComponentType<{ network: Network }>;

const PER_PAGE = 20;

/** After the event: the headline numbers, arrivals, who did not come, how the emails fared, and who met whom. */
export function Results(props: { event: NetEvent }) {
  const id = props.event.id;
  const attendance = useLoad(() => api<Attendance>(`/events/${id}/attendance`), [id]);
  const network = useLoad(() => api<Network>(`/events/${id}/network`), [id]);
  const a = attendance.data;
  const n = network.data;
  const metSomeone = n ? n.dots.filter((dot) => dot.attended && dot.degree > 0).length : null;
  return (
    <>
      {attendance.error && <LoadFailed error={attendance.error} retry={attendance.reload} />}
      {network.error && <LoadFailed error={network.error} retry={network.reload} />}
      {!a && !attendance.error && <Loading what="the results" />}
      {a && (
        <div class="stats" data-testid="results-numbers">
          <Stat label="Registered" value={a.registered} />
          <Stat label="Came" value={a.came} note={`${CAME}${a.registered ? ` · ${Math.round((100 * a.came) / a.registered)}% of registered` : ""}`} />
          <Stat label="No-shows" value={a.no_shows} />
          <Stat label="Walk-ins" value={a.walk_ins ?? 0} />
          <Stat label="Connections made" value={n?.numbers.connections_made} note={n && n.numbers.pairs_met > n.numbers.connections_made ? `${n.numbers.pairs_met} pairs met in all` : "new pairs who met here"} />
          <Stat label="Met someone" value={metSomeone} note={n?.numbers.share_with_new_connection != null ? `${Math.round(100 * n.numbers.share_with_new_connection)}% made a new connection` : "of the people who came"} />
        </div>
      )}
      {a && (
        <section class="card">
          <h3>Arrivals (per 5 minutes)</h3>
          <ArrivalsChart arrivals={a.arrivals} timeZone={props.event.timezone} />
        </section>
      )}
      <section class="card" aria-labelledby="network-heading">
        <h3 id="network-heading">Who met whom</h3>
        {!n && !network.error && <Loading what="the network" />}
        {n && n.dots.length === 0 && <p class="muted">Nobody registered, so there is no network to show.</p>}
        {n && n.dots.length > 0 && (
          <>
            {n.lines.length === 0 && <p class="muted">Nobody scanned anyone's badge yet: the lines appear as people meet (Meet, in the menu).</p>}
            <LazyPicture network={n} />
            <NetworkTable network={n} />
            <CrossCompany network={n} />
            {n.numbers.top_topics.length > 0 && (
              <p class="hint">Topics people met over: {n.numbers.top_topics.map((topic) => `${topic.topic} (${topic.connections})`).join(", ")}.</p>
            )}
          </>
        )}
      </section>
      <NoShows event={props.event} />
      <MailStatus event={props.event} />
    </>
  );
}

/** The picture, from its own chunk (cytoscape is big): fetched only when this tab has a network to show. */
function LazyPicture(props: { network: Network }) {
  const [picture, setPicture] = useState<{ Picture: Picture } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    import("./NetworkPicture").then(
      (module) => current && setPicture({ Picture: module.default }),
      (problem) => current && setError(problem),
    );
    return () => {
      current = false;
    };
  }, [round]);
  if (picture) return <picture.Picture network={props.network} />;
  if (error) return <LoadFailed error={new Error("The picture could not be loaded; the table below has the same.")} retry={() => { setError(null); setRound(round + 1); }} />;
  return <Loading what="the picture" />;
}

function Stat(props: { label: string; value: number | null | undefined; note?: string }) {
  return (
    <div class="stat" data-stat={props.label}>
      <span class="value">{props.value ?? "…"}</span>
      <span class="label">{props.label}</span>
      {props.note && <span class="stat-note">{props.note}</span>}
    </div>
  );
}

/** The picture's data as a table (screen readers, keyboards, and anyone who wants the names). */
function NetworkTable(props: { network: Network }) {
  const [open, setOpen] = useState(false);
  const { dots, lines } = props.network;
  const name = new Map(dots.map((dot) => [dot.key, dot.name === "Attendee" ? `Attendee #${dot.key}` : dot.name]));
  const metWith = new Map<number, number[]>();
  for (const line of lines) {
    metWith.set(line.source, [...(metWith.get(line.source) ?? []), line.target]);
    metWith.set(line.target, [...(metWith.get(line.target) ?? []), line.source]);
  }
  const sorted = [...dots].sort((a, b) => b.degree - a.degree || name.get(a.key)!.localeCompare(name.get(b.key)!));
  return (
    <details class="network-table" onToggle={(event) => setOpen((event.currentTarget as HTMLDetailsElement).open)}>
      <summary>The same as a table ({count(dots.length, "person", "people")}, {count(lines.length, "pair", "pairs")})</summary>
      {open && (
        // Scrolls sideways on a phone: focusable, so a keyboard can scroll it too.
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Who met whom, as a table">
          <table>
            <caption class="sr-only">Each person, their company, whether they came, and whom they met</caption>
            <thead><tr><th scope="col">Person</th><th scope="col">Company</th><th scope="col">Came</th><th scope="col">Met</th></tr></thead>
            <tbody>
              {sorted.map((dot) => (
                <tr>
                  <th scope="row">{name.get(dot.key)}</th>
                  <td>{dot.company ?? <span class="muted">not shared</span>}</td>
                  <td>{dot.attended ? "Yes" : "No"}</td>
                  <td>{dot.degree === 0 ? <span class="muted">nobody</span> : (metWith.get(dot.key) ?? []).map((key) => name.get(key)).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="hint">Names show only for people listed in the event's directory; the others are "Attendee". No contact details are shown here.</p>
    </details>
  );
}

/** How many pairs met across companies, counted only over pairs whose two companies both show (the API says
 * null, unknown, for the others: a hidden company is never hinted at). */
function CrossCompany(props: { network: Network }) {
  const share = props.network.numbers.cross_company_share;
  const known = props.network.lines.filter((line) => line.cross_company !== null).length;
  if (share === null || known === 0) {
    return props.network.lines.length > 0 ? <p class="hint" data-testid="cross-company">Across companies: unknown (no pair who met both share their company).</p> : null;
  }
  const hidden = props.network.lines.length - known;
  return (
    <p class="hint" data-testid="cross-company">
      Across companies: {Math.round(100 * share)}% of the {count(known, "pair", "pairs")} whose two companies show
      {hidden > 0 ? ` (${count(hidden, "pair", "pairs")} left out: a company not shared)` : ""}.
    </p>
  );
}

/** Confirmed people who did not come (neither checked in nor met anyone there). */
function NoShows(props: { event: NetEvent }) {
  const id = props.event.id;
  const [pages, setPages] = useState(1);
  const list = useLoad(
    () => api<ApiPage<Registration>>(`/events/${id}/registrations`, { query: { status: "confirmed", came: false, per_page: PER_PAGE * pages } }),
    [id, pages],
  );
  const data = list.data;
  return (
    <section class="card" aria-labelledby="no-shows-heading">
      <h3 id="no-shows-heading">No-shows{data ? ` (${data.total})` : ""}</h3>
      {list.error && <LoadFailed error={list.error} retry={list.reload} />}
      {!data && !list.error && <Loading what="the no-shows" />}
      {data && data.total === 0 && <p class="muted">Everyone who registered came.</p>}
      {data && data.total > 0 && (
        <>
          <p class="hint">Confirmed, but neither checked in nor met anyone there. They get the “Sorry we missed you” email after the event (Follow-ups).</p>
          <ul class="list" data-testid="no-shows">
            {data.items.map((registration) => (
              <li class="attendee">
                <div>
                  <div class="who">{registration.name}</div>
                  <div class="muted">{registration.email}{registration.company ? ` · ${registration.company}` : ""}</div>
                </div>
              </li>
            ))}
          </ul>
          {data.items.length < data.total && (
            <button type="button" class="button secondary block" onClick={() => setPages(pages + 1)} disabled={list.loading}>Show more</button>
          )}
        </>
      )}
    </section>
  );
}

type MailState = keyof EventMail["counts"];
const MAIL_STATES: { id: MailState; label: string; tag: string }[] = [
  { id: "failed", label: "Failed", tag: "bad" },
  { id: "queued", label: "Queued", tag: "warn" },
  { id: "sending", label: "Sending", tag: "warn" },
  { id: "sent", label: "Sent", tag: "ok" },
];

/** How the event's emails fared: counts by state, and the emails of one state (failed ones with the reason). */
function MailStatus(props: { event: NetEvent }) {
  const id = props.event.id;
  const zone = props.event.timezone;
  const [status, setStatus] = useState<MailState | "">("");
  const [pages, setPages] = useState(1);
  const mail = useLoad(
    () => api<EventMail>(`/events/${id}/mail`, { query: { status, per_page: PER_PAGE * pages } }),
    [id, status, pages],
  );
  const data = mail.data;
  const all = data ? Object.values(data.counts).reduce((sum, n) => sum + n, 0) : 0;
  const choose = (next: MailState | "") => {
    setStatus(next);
    setPages(1);
  };
  return (
    <section class="card" aria-labelledby="mail-heading">
      <h3 id="mail-heading">Emails</h3>
      {mail.error && <LoadFailed error={mail.error} retry={mail.reload} />}
      {!data && !mail.error && <Loading what="the emails" />}
      {data && (
        <>
          <div class="mail-filter" role="group" aria-label="Show emails">
            <button type="button" class="chip" aria-pressed={status === ""} onClick={() => choose("")}>All <b>{all}</b></button>
            {MAIL_STATES.filter((state) => state.id !== "sending" || data.counts.sending > 0 || status === "sending").map((state) => (
              <button type="button" class={`chip ${state.tag}`} aria-pressed={status === state.id} onClick={() => choose(state.id)} data-status={state.id}>
                {state.label} <b>{data.counts[state.id]}</b>
              </button>
            ))}
            <button type="button" class="button quiet small" onClick={mail.reload} disabled={mail.loading}>Refresh</button>
          </div>
          {data.total === 0 && (
            <p class="muted" role="status">{status ? `No ${status} emails.` : "No emails yet: confirmations, reminders and follow-ups show here as they go out."}</p>
          )}
          <ul class="list mail-list" data-testid="mail-list">
            {data.items.map((item) => {
              const state = MAIL_STATES.find((s) => s.id === item.status)!;
              return (
                <li class="attendee">
                  <div>
                    <div class="who">{item.recipient}</div>
                    <div class="muted">{item.subject}</div>
                    <div class="muted">
                      {item.sent_at ? `Sent ${formatDateTime(item.sent_at, zone)}` : `Written ${formatDateTime(item.created_at, zone)}`}
                      {item.attempts > 1 ? ` · ${count(item.attempts, "attempt")}` : ""}
                      {item.status === "queued" && item.next_attempt_at ? ` · next try ${formatDateTime(item.next_attempt_at, zone)}` : ""}
                    </div>
                    {item.last_error && <p class="inline-result bad">{item.last_error}</p>}
                  </div>
                  <span class={`tag ${state.tag}`}>{state.label}</span>
                </li>
              );
            })}
          </ul>
          {data.items.length < data.total && (
            <button type="button" class="button secondary block" onClick={() => setPages(pages + 1)} disabled={mail.loading}>Show more</button>
          )}
        </>
      )}
    </section>
  );
}
