import { useEffect, useState } from "preact/hooks";
import { ErrorNote, Field, fieldError } from "../../components/Form";
import { LoadFailed, Loading } from "../../components/Status";
import { api } from "../../lib/api";
import { actionLabel, STANDARD_ACTIONS } from "../../lib/actions";
import type { EventActions } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { actionSlug } from "../bingo/logic";

/** What an organizer confirms before removing one of the event's own actions. */
export const removalQuestion = (words: string) =>
  `Remove “${words}”? People can no longer tag new meetings with “${words}”; past meetings keep it.`;

/** What people can tag a meeting with at this event: the standard actions (every event has them) and the event's
 * own, which organizers add, reword and remove. A removed action stays on the meetings already tagged with it (in
 * its words) and is no longer offered for new ones. */
export function ExchangeActionsEditor(props: { eventId: number }) {
  const url = `/events/${props.eventId}/exchange-actions`;
  const offered = useLoad(() => api<EventActions>(url), [url]);
  const [words, setWords] = useState<Record<string, string>>({});
  const [typed, setTyped] = useState("");
  const [typedError, setTypedError] = useState<string | undefined>();
  const [error, setError] = useState<unknown>(null);
  const [said, setSaid] = useState("");
  const [busy, setBusy] = useState(false);
  const o = offered.data;
  useEffect(() => {
    if (o) setWords(Object.fromEntries(o.custom.map((slug) => [slug, actionLabel(slug, o.labels)])));
  }, [o]);

  async function save(custom: string[], labels: Record<string, string>, message: string) {
    setBusy(true);
    setError(null);
    setSaid("");
    try {
      offered.set(await api<EventActions>(url, { method: "PATCH", body: { custom, labels } }));
      setSaid(message);
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  if (!o) return offered.error ? <LoadFailed error={offered.error} retry={offered.reload} /> : <Loading what="the event's actions" lines={2} />;
  /** The words typed for the actions kept (blank ones keep the words they had). */
  const typedWords = (kept: string[]) => Object.fromEntries(kept.map((slug) => [slug, (words[slug] ?? "").trim()]).filter(([, w]) => w));
  const remove = (slug: string) => {
    const words = actionLabel(slug, o.labels);
    if (!confirm(removalQuestion(words))) return;
    const kept = o.custom.filter((s) => s !== slug);
    void save(kept, typedWords(kept), `Removed “${words}”: meetings already tagged with it keep it; it is no longer offered.`);
  };
  const add = () => {
    const slug = actionSlug(typed);
    const standard: readonly string[] = STANDARD_ACTIONS;
    if (!slug || standard.includes(slug) || o.custom.includes(slug)) {
      setTypedError(!slug ? "Type a few words, starting with a letter, like “Swapped business cards”." : "This event offers that action already.");
      return;
    }
    setTypedError(undefined);
    setTyped("");
    const custom = [...o.custom, slug];
    void save(custom, { ...typedWords(o.custom), [slug]: typed.trim() }, `Added “${typed.trim()}”.`);
  };

  const wordsError = fieldError(error, "labels") ?? fieldError(error, "custom");
  return (
    <section class="card stack" aria-labelledby="actions-title" data-testid="exchange-actions">
      <h3 id="actions-title">What people can tag a meeting with</h3>
      <p class="muted">When attendees scan each other’s badges they can say what happened; bingo squares ask for these too.
        The five standard actions are offered at every event (a bingo card may leave them out): {STANDARD_ACTIONS.map((slug) => actionLabel(slug)).join(", ")}.</p>
      <form class="stack" noValidate onSubmit={(event) => { event.preventDefault(); void save(o.custom, typedWords(o.custom), "Saved the words."); }}>
        {o.custom.length === 0 ? <p>This event has no actions of its own yet.</p> : (
          <ul class="list own-actions">
            {o.custom.map((slug) => (
              <li class="row">
                <Field label={`Words for “${actionLabel(slug, o.labels)}”`} name={`action-${slug}`} value={words[slug] ?? ""} maxLength={40} required
                  onInput={(event) => setWords((current) => ({ ...current, [slug]: (event.target as HTMLInputElement).value }))} />
                <button type="button" class="button secondary small" disabled={busy} onClick={() => remove(slug)}
                  aria-label={`Remove “${actionLabel(slug, o.labels)}”`}>Remove</button>
              </li>
            ))}
          </ul>
        )}
        {o.custom.length > 0 && <button class="button primary" disabled={busy}>{busy ? "Saving…" : "Save the words"}</button>}
      </form>
      <div class="add-own">
        <Field label="Add an action of your own" name="new-action" value={typed} error={typedError} placeholder="Swapped business cards" maxLength={40}
          onInput={(event) => { setTyped((event.target as HTMLInputElement).value); setTypedError(undefined); }}
          onKeyDown={(event) => { if (event.key === "Enter") { event.preventDefault(); add(); } }} />
        <button type="button" class="button secondary" disabled={busy} onClick={add}>Add</button>
      </div>
      <p class="hint">Removing an action stops offering it for new meetings and bingo cards; meetings already tagged with it keep the tag, in its words.</p>
      {o.retired.length > 0 && (
        <p class="muted" data-testid="retired-actions">Removed, kept on past meetings: {o.retired.map((slug) => actionLabel(slug, o.labels)).join(", ")}.</p>
      )}
      {wordsError && <p class="error">{wordsError}</p>}
      <ErrorNote error={wordsError ? null : error} />
      {said && <p class="note ok" role="status">{said}</p>}
    </section>
  );
}
