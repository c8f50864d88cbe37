import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../../components/Form";
import { Sheet } from "../../components/Sheet";
import { LoadFailed, Loading } from "../../components/Status";
import { api, type Page as ApiPage } from "../../lib/api";
import { count } from "../../lib/plural";
import { formatDateTime } from "../../lib/time";
import type { FollowUpPreview, FollowUpState, NetEvent, Registration } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { EMPTY_PREVIEW, fillPreview, PREVIEW_SANDBOX } from "./emailPreview";
import { CAME } from "./came";
import "./results.css";

/** While emails are on their way, the state is read again this often. */
const POLL_MS = 2000;

/** After the event: when the follow-up email goes out and to whom, a preview as an attendee gets it, and "send now". */
export function FollowUps(props: { event: NetEvent }) {
  const id = props.event.id;
  const state = useLoad(() => api<FollowUpState>(`/events/${id}/follow-up`), [id]);
  const [confirming, setConfirming] = useState(false);
  const [sent, setSent] = useState<number | null>(null);
  const s = state.data;
  const inFlight = s ? s.state === "sending" || s.emails.queued + s.emails.sending > 0 : false;
  const { reload } = state;
  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") reload();
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [inFlight, reload]);

  if (!s) return state.error ? <LoadFailed error={state.error} retry={state.reload} /> : <Loading what="the follow-up" />;
  const zone = props.event.timezone;
  const recipients = s.recipients.people_you_met + s.recipients.missed_you;
  /** "get" or "got" as a count of people takes it: "1 no-show gets", "2 no-shows get". */
  const got = (people: number) => (s.state === "sent" ? "got" : people === 1 ? "gets" : "get");
  return (
    <>
      <section class="card follow-up-card" aria-labelledby="follow-up-when" data-testid="follow-up-state" data-state={s.state}>
        <h3 id="follow-up-when">When it goes out</h3>
        <When state={s} zone={zone} />
        <ul class="facts-list">
          <li><b>{count(s.recipients.people_you_met, "person", "people")}</b> who came ({CAME}) {got(s.recipients.people_you_met)} “The people you met”: who they met, their notes, people to meet next, and the cards as vCards.</li>
          <li><b>{count(s.recipients.missed_you, "no-show")}</b> {got(s.recipients.missed_you)} a short “Sorry we missed you” with your next events.</li>
          {s.recipients.opted_out > 0 && <li><b>{count(s.recipients.opted_out, "person", "people")}</b> turned these emails off and {got(s.recipients.opted_out)} none.</li>}
        </ul>
        <Delivery state={s} eventId={id} />
        <p class="hint">The “stay connected” reminder follows on {formatDateTime(s.stay_connected_at, zone)}, to people with connections not yet followed up.</p>
        {sent !== null && <p class="note ok" role="status">{sent === 0 ? "Nothing more to send: everyone has theirs already." : `${count(sent, "email")} queued: the mail workers deliver them now.`}</p>}
        <SendNow state={s} recipients={recipients} onAsk={() => setConfirming(true)} />
      </section>
      {confirming && (
        <ConfirmSend eventId={id} recipients={recipients} state={s}
          onClose={() => setConfirming(false)}
          onSent={(queued) => {
            setConfirming(false);
            setSent(queued);
            state.reload();
          }} />
      )}
      <Preview event={props.event} />
    </>
  );
}

function When(props: { state: FollowUpState; zone: string }) {
  const { state: s, zone } = props;
  switch (s.state) {
    case "scheduled":
      return (
        <>
          <p class="follow-up-when">Goes out on its own on {formatDateTime(s.due_at, zone)}</p>
          <p class="hint">
            {s.send_now_refused === "event_not_over"
              ? "That is after the event ends; you can send it earlier once the event is over."
              : "The event is over: you can send it now instead of waiting."}
          </p>
        </>
      );
    case "sending":
      return <p class="follow-up-when">Going out now (started {formatDateTime(s.started_at!, zone)})</p>;
    case "sent":
      return <p class="follow-up-when">Sent on {formatDateTime(s.finished_at ?? s.started_at!, zone)}</p>;
    case "overdue":
      return (
        <>
          <p class="follow-up-when">Not sent</p>
          <p class="hint">It was due on {formatDateTime(s.due_at, zone)} and is no longer sent on its own (after {formatDateTime(s.automatic_until, zone)}). Send it now if you still want to.</p>
        </>
      );
    default:
      return <p class="follow-up-when">Not going out: the event is not published</p>;
  }
}

/** How the emails that went fare, with a bar while they are being delivered. */
function Delivery(props: { state: FollowUpState; eventId: number }) {
  const { emails } = props.state;
  const total = emails.queued + emails.sending + emails.sent + emails.failed;
  if (total === 0) return null;
  const done = emails.sent + emails.failed;
  return (
    <div class="stack" data-testid="follow-up-delivery">
      <label for="follow-up-progress" class="label">Delivered {done} of {total}</label>
      <progress id="follow-up-progress" class="progress" max={total} value={done}>{done} of {total}</progress>
      <p class="muted">
        {emails.sent} sent · {emails.queued + emails.sending} waiting · {emails.failed} failed
        {emails.failed > 0 && <> · <a href={`/organize/events/${props.eventId}/results`}>see why under Results, Emails</a></>}
      </p>
    </div>
  );
}

const REFUSED: Record<string, string> = {
  not_published: "Only a published event's attendees get follow-ups.",
  event_not_over: "You can send it once the event is over.",
  sending: "It is going out right now.",
  already_sent: "Everyone has been sent theirs; sending again sends nothing more.",
};

function SendNow(props: { state: FollowUpState; recipients: number; onAsk: () => void }) {
  const refused = props.state.send_now_refused;
  if (refused === "already_sent" || refused === "sending") return <p class="muted">{REFUSED[refused]}</p>;
  return (
    <div class="stack">
      <button type="button" class="button primary block" disabled={!!refused || props.recipients === 0} onClick={props.onAsk}
        aria-describedby={refused ? "send-now-why" : undefined}>
        Send now…
      </button>
      {refused && <p class="hint" id="send-now-why">{REFUSED[refused]}</p>}
      {!refused && props.recipients === 0 && <p class="hint">Nobody would get it: nobody is confirmed, or everyone turned these emails off.</p>}
    </div>
  );
}

function ConfirmSend(props: { eventId: number; recipients: number; state: FollowUpState; onClose: () => void; onSent: (queued: number) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const { people_you_met: came, missed_you: missed } = props.state.recipients;
  async function send() {
    setBusy(true);
    setError(null);
    try {
      const answer = await api<{ queued: number }>(`/events/${props.eventId}/follow-up`, { method: "POST" });
      props.onSent(answer.queued);
    } catch (problem) {
      setError(problem);
      setBusy(false);
    }
  }
  return (
    <Sheet title="Send the follow-up emails now?" onClose={props.onClose}>
      <ul class="facts-list">
        {came > 0 && <li>{count(came, "person", "people")} who came: “The people you met”</li>}
        {missed > 0 && <li>{count(missed, "no-show")}: “Sorry we missed you”</li>}
      </ul>
      <p class="hint">Nobody gets a second one later.</p>
      <ErrorNote error={error} />
      <div class="row">
        <button type="button" class="button primary" onClick={send} disabled={busy}>{busy ? "Sending…" : `Send ${count(props.recipients, "email")}`}</button>
        <button type="button" class="button secondary" onClick={props.onClose} disabled={busy}>Not now</button>
      </div>
    </Sheet>
  );
}

/** The email as one attendee gets it: pick whom; people who came and no-shows get different ones. */
function Preview(props: { event: NetEvent }) {
  const id = props.event.id;
  const people = useLoad(
    () => api<ApiPage<Registration>>(`/events/${id}/registrations`, { query: { status: "confirmed", per_page: 100 } }),
    [id],
  );
  const [chosen, setChosen] = useState<number | null>(null);
  const list = people.data?.items ?? [];
  const whom = chosen ?? (list.find((registration) => registration.checked_in_at) ?? list[0])?.id ?? null;
  const preview = useLoad(
    () => (whom === null ? Promise.resolve(null) : api<FollowUpPreview>(`/events/${id}/follow-up/preview`, { query: { registration_id: whom } })),
    [id, whom],
  );
  const frame = useRef<HTMLIFrameElement>(null);
  const [frameReady, setFrameReady] = useState(false);
  const html = preview.data?.html;
  useEffect(() => {
    if (frameReady && frame.current && html) fillPreview(frame.current, html);
  }, [frameReady, html]);

  return (
    <section class="card" aria-labelledby="preview-heading">
      <h3 id="preview-heading">Preview</h3>
      {people.error && <LoadFailed error={people.error} retry={people.reload} />}
      {!people.data && !people.error && <Loading what="the attendees" />}
      {people.data && list.length === 0 && <p class="muted">Nobody is confirmed yet: the preview shows the email of one of your attendees.</p>}
      {list.length > 0 && (
        <div class="field">
          <label for="preview-whom">As this attendee gets it</label>
          <select id="preview-whom" value={whom ?? ""} onChange={(event) => setChosen(Number((event.target as HTMLSelectElement).value))}>
            {list.map((registration) => (
              <option value={registration.id}>{registration.name}{registration.checked_in_at ? "" : " (did not check in)"}</option>
            ))}
          </select>
          {people.data && people.data.total > list.length && <p class="hint">The first {list.length} of {people.data.total} by name.</p>}
        </div>
      )}
      {preview.error && <LoadFailed error={preview.error} retry={preview.reload} />}
      {preview.loading && !preview.data && <Loading what="the preview" />}
      {preview.data && (
        <div class="preview-meta" data-testid="preview-meta">
          <p><span class="muted">Subject:</span> <b>{preview.data.subject}</b></p>
          {preview.data.attachments.length > 0 && (
            <p class="muted">Attached: {preview.data.attachments.map((file) => file.filename).join(", ")}</p>
          )}
        </div>
      )}
      {whom !== null && (
        <iframe ref={frame} class="preview-frame" title="Preview of the email" sandbox={PREVIEW_SANDBOX} srcdoc={EMPTY_PREVIEW}
          onLoad={() => setFrameReady(true)} data-testid="preview-frame" />
      )}
    </section>
  );
}
