import { useState } from "preact/hooks";
import { ErrorNote } from "../../components/Form";
import { Sheet } from "../../components/Sheet";
import { api } from "../../lib/api";
import { actionLabel, type ActionLabels } from "../../lib/actions";
import { refusalTitle, type PendingExchange } from "../../lib/meet";
import { linkWords } from "../../lib/people";
import type { Connection, ExchangeAnswer } from "../../lib/types";

/** What a scan came to: the server's answer, or kept on this phone until the network is back. */
export type Outcome =
  | { kind: "answered"; exchange: PendingExchange; answer: ExchangeAnswer }
  | { kind: "queued"; exchange: PendingExchange };

/** After a scan: the other person's card as they share it, one-tap tags of what happened, a private note. */
export function MeetSheet(props: {
  outcome: Outcome;
  actions: string[];
  /** The event's own actions in its organizers' words. */
  labels?: ActionLabels;
  /** Keep the tags and note of an exchange still waiting on this phone (sent with it). */
  onQueuedSave: (exchange: PendingExchange) => Promise<void>;
  onSaved: () => void;
  onClose: () => void;
}) {
  const { outcome } = props;
  const connection = outcome.kind === "answered" ? outcome.answer.connection ?? null : null;
  const [initialTags] = useState<string[]>(() => connection?.tags ?? outcome.exchange.actions);
  const [initialNote] = useState(() => connection?.note ?? outcome.exchange.note);
  const [tags, setTags] = useState(initialTags);
  const [note, setNote] = useState(initialNote);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<unknown>(null);

  if (outcome.kind === "answered" && outcome.answer.result === "rejected") {
    return (
      <Sheet title={refusalTitle(outcome.answer.reason)} onClose={props.onClose}>
        <div class="meet-result refused" role="alert">
          <p>{outcome.answer.message}</p>
        </div>
        <button type="button" class="button primary block" onClick={props.onClose}>Scan another badge</button>
      </Sheet>
    );
  }

  const choices = [...new Set([...props.actions, ...tags])];
  const toggle = (slug: string) => setTags((now) => (now.includes(slug) ? now.filter((t) => t !== slug) : [...now, slug]));

  // Tapped tags or a typed note are meant: "Done" keeps them too, it only skips the save when nothing changed.
  const changed = note !== initialNote || tags.length !== initialTags.length || tags.some((t) => !initialTags.includes(t));

  async function save(event: Event) {
    event.preventDefault();
    setSaving(true);
    setError(null);
    try {
      if (outcome.kind === "queued") await props.onQueuedSave({ ...outcome.exchange, actions: tags, note });
      else if (connection) {
        // Tags added here are what happened at this meeting: they join the scan's own actions, so a bingo round
        // signs the square they name. Removing a tag or changing the note edits my side of the connection.
        const added = tags.filter((tag) => !initialTags.includes(tag));
        if (added.length > 0 && outcome.answer.id != null) {
          await api<Connection>(`/exchanges/${outcome.answer.id}`, { method: "PATCH", body: { actions: added } });
        }
        if (note !== initialNote || initialTags.some((tag) => !tags.includes(tag))) {
          await api<Connection>(`/me/connections/${connection.id}`, { method: "PATCH", body: { tags, note } });
        }
      }
      props.onSaved();
    } catch (problem) {
      setError(problem);
      setSaving(false);
    }
  }

  const title = connection ? connection.other.name : "Saved on this phone";
  return (
    <Sheet title={title} onClose={props.onClose}>
      {outcome.kind === "queued" ? (
        <div class="meet-result queued" role="status">
          <p><strong>No network: this scan is kept on your phone</strong> with its time, and sent as soon as you are back online. You will see who it was then.</p>
        </div>
      ) : (
        <div class="meet-result ok" role="status">
          <p><strong>{outcome.answer.message}</strong>{outcome.answer.new ? "" : " Your earlier notes are below."}</p>
        </div>
      )}
      {connection && <PersonCardView connection={connection} />}
      <form class="stack" onSubmit={save}>
        <fieldset class="meet-tags">
          <legend>What happened? <span class="optional">(tap all that fit)</span></legend>
          <div class="row">
            {choices.map((slug) => (
              <button type="button" class="meet-chip" aria-pressed={tags.includes(slug) ? "true" : "false"} onClick={() => toggle(slug)}>
                {tags.includes(slug) ? "✓ " : ""}{actionLabel(slug, props.labels)}
              </button>
            ))}
          </div>
        </fieldset>
        <div class="field">
          <label for="meet-note">Private note <span class="optional">(only you see it)</span></label>
          <textarea id="meet-note" name="note" rows={3} maxLength={1000} value={note}
            placeholder="What you talked about, what to follow up on"
            onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        </div>
        <ErrorNote error={error} />
        <div class="meet-sheet-actions">
          <button type="submit" class="button primary" disabled={saving}>{saving ? "Saving…" : "Save"}</button>
          <button type="button" class="button secondary" disabled={saving} onClick={(e) => (changed ? void save(e) : props.onClose())}>Done</button>
        </div>
      </form>
    </Sheet>
  );
}

/** The other person as they share it with me now: nulls are what they keep to themselves. */
function PersonCardView(props: { connection: Connection }) {
  const other = props.connection.other;
  const line = [other.headline, other.company].filter(Boolean).join(" · ");
  return (
    <div class="meet-card" data-testid="meet-card">
      {line && <p class="meet-card-line">{line}</p>}
      <ul class="list meet-contact">
        {other.email && <li><a href={`mailto:${other.email}`}>{other.email}</a></li>}
        {other.phone && <li><a href={`tel:${other.phone}`}>{other.phone}</a></li>}
        {(other.links ?? []).map((link) => <li><a class="one-line" href={link.url} title={link.url} rel="noopener noreferrer" target="_blank">{linkWords(link)}</a></li>)}
      </ul>
      {!!other.topics?.length && <p class="tags">{other.topics.map((topic) => <span class="tag">{topic}</span>)}</p>}
      {props.connection.scanned_me && <p class="hint">They scanned your badge too.</p>}
    </div>
  );
}
