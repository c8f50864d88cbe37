import { useRef, useState } from "preact/hooks";
import { ErrorNote, useFieldErrors } from "../../components/Form";
import { Sheet } from "../../components/Sheet";
import { labelsOf, STANDARD_ACTIONS, type ActionLabels } from "../../lib/actions";
import { api } from "../../lib/api";
import { formatAtEvent } from "../../lib/time";
import type { Connection, EventActions } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import { ContactDetails } from "./ConnectionCard";
import { tagLabel } from "./connectionFilters";

const NOTE_LENGTH = 4000;
/** My own tags (netevents/people/schemas.py: MAX_OWN_TAGS, OWN_TAG_LENGTH). */
const MAX_TAGS = 20;
const TAG_LENGTH = 40;
const WORDS = {
  note: `Keep your note under ${NOTE_LENGTH.toLocaleString("en-GB")} characters.`,
  tags: `Keep to ${MAX_TAGS} tags, each a word or a few on one line (up to ${TAG_LENGTH} characters).`,
};

type Step = "edit" | "remove" | "block";

/** The tags offered as choices: the actions of the events where we met (standard and each event's own, with
 * their organizers' words), and whatever it has already; my own words are added beside them. */
function useOfferedTags(connection: Connection): { tags: string[]; labels: ActionLabels } {
  const eventIds = [...new Set(connection.meetings.map((m) => m.event_id).filter((id): id is number => id !== null))].join();
  // An event's actions that cannot be read (deleted since) leave the standard ones and the tags it has.
  const loaded = useLoad(
    () => Promise.all(eventIds.split(",").filter(Boolean).map((id) => api<EventActions>(`/events/${id}/exchange-actions`).catch(() => null))),
    [eventIds],
  );
  const fromEvents = (loaded.data ?? []).flatMap((actions) => (actions ? [...actions.standard, ...actions.custom] : []));
  return {
    tags: [...new Set([...STANDARD_ACTIONS, ...fromEvents, ...connection.tags])],
    labels: labelsOf(...(loaded.data ?? [])),
  };
}

/** One connection, opened: their card and our meetings; my private note, tags and follow-up; remove or block. */
export function ConnectionSheet(props: {
  connection: Connection;
  onClose: () => void;
  onSaved: (connection: Connection) => void;
  /** They left my list (removed or blocked): what to say about it. */
  onGone: (message: string) => void;
}) {
  const c = props.connection;
  const name = c.other.name;
  const offered = useOfferedTags(c);
  const [note, setNote] = useState(c.note);
  const [tags, setTags] = useState<string[]>(c.tags);
  const [ownTag, setOwnTag] = useState("");
  const [followedUp, setFollowedUp] = useState(c.followed_up);
  const [step, setStep] = useState<Step>("edit");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const fields = useFieldErrors(undefined, WORDS);
  const form = useRef<HTMLFormElement>(null);
  const changed = note.trim() !== c.note || followedUp !== c.followed_up || tags.join() !== c.tags.join();

  async function act(work: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (problem) {
      setError(problem);
      fields.show(problem);
    } finally {
      setBusy(false);
    }
  }

  function save(event: Event) {
    event.preventDefault();
    setSaved(false);
    void act(async () => {
      const updated = await api<Connection>(`/me/connections/${c.id}`, {
        method: "PATCH",
        body: { note, tags, followed_up: followedUp },
      });
      setNote(updated.note);
      setSaved(true);
      props.onSaved(updated);
    });
  }

  function toggleTag(tag: string, on: boolean) {
    fields.clear("tags");
    setSaved(false);
    setTags((current) => (on ? [...current, tag] : current.filter((t) => t !== tag)));
  }

  /** A tag in my own words: added to the choices, ticked; saved with the rest. */
  function addOwnTag() {
    const tag = ownTag.trim();
    if (!tag) return;
    setOwnTag("");
    if (!tags.includes(tag)) toggleTag(tag, true);
  }

  const choices = [...new Set([...offered.tags, ...tags])];
  const remove = () => act(async () => {
    await api(`/me/connections/${c.id}`, { method: "DELETE" });
    props.onGone(`${name} was removed from your connections.`);
  });
  const block = () => act(async () => {
    await api("/me/blocks", { method: "POST", body: { user_id: c.other.user_id } });
    props.onGone(`You blocked ${name}. You can unblock them under “Blocked people”.`);
  });

  const role = [c.other.headline, c.other.company].filter(Boolean).join(" · ");
  return (
    <Sheet title={name} onClose={props.onClose}>
      <div class="connection-sheet">
        {role && <p class="meta">{role}</p>}
        <ContactDetails person={c.other} full />

        {step === "edit" && (
          <form ref={form} class="stack" onSubmit={save} noValidate>
            <div class={fields.errors.note ? "field invalid" : "field"}>
              <label for="connection-note">Your note <span class="optional">(only you see it)</span></label>
              <textarea
                id="connection-note"
                name="note"
                maxLength={NOTE_LENGTH}
                value={note}
                placeholder="What you talked about, what you promised, who to introduce them to…"
                aria-invalid={fields.errors.note ? "true" : undefined}
                aria-describedby={fields.errors.note ? "connection-note-error" : undefined}
                onInput={(e) => {
                  fields.clear("note");
                  setSaved(false);
                  setNote(e.currentTarget.value);
                }}
              />
              {fields.errors.note && <p class="error" id="connection-note-error">{fields.errors.note}</p>}
            </div>
            <fieldset class={fields.errors.tags ? "tag-choices invalid-group" : "tag-choices"} aria-describedby={fields.errors.tags ? "connection-tags-error" : undefined}>
              <legend class="label">Tags <span class="optional">(only you see them)</span></legend>
              <div class="chips">
                {choices.map((tag) => (
                  <label class="chip">
                    <input type="checkbox" checked={tags.includes(tag)} onChange={(e) => toggleTag(tag, e.currentTarget.checked)} />
                    <span>{tagLabel(tag, offered.labels)}</span>
                  </label>
                ))}
              </div>
              <div class="row own-tag">
                <label class="sr-only" for="connection-own-tag">A tag of your own</label>
                <input
                  id="connection-own-tag"
                  type="text"
                  maxLength={TAG_LENGTH}
                  value={ownTag}
                  placeholder="Your own, like “hiring”"
                  disabled={tags.length >= MAX_TAGS}
                  onInput={(e) => setOwnTag(e.currentTarget.value)}
                  onKeyDown={(e) => {
                    if (e.key === "Enter") {
                      e.preventDefault(); // adds the tag; Save stays the form's button
                      addOwnTag();
                    }
                  }}
                />
                <button type="button" class="button secondary small" disabled={!ownTag.trim() || tags.length >= MAX_TAGS} onClick={addOwnTag}>
                  Add tag
                </button>
              </div>
              {fields.errors.tags && <p class="error" id="connection-tags-error">{fields.errors.tags}</p>}
            </fieldset>
            <label class="check followed-check">
              <input type="checkbox" checked={followedUp} onChange={(e) => {
                setSaved(false);
                setFollowedUp(e.currentTarget.checked);
              }} />
              <span>I followed up with {name}<small class="muted">Wrote, called or met again after the event.</small></span>
            </label>
            <ErrorNote error={error} />
            {saved && !changed && <p class="note ok" role="status">Saved.</p>}
            <div class="row sheet-actions">
              <button type="submit" class="button primary" disabled={busy || !changed}>{busy ? "Saving…" : "Save"}</button>
              <button type="button" class="button quiet" onClick={props.onClose}>Done</button>
            </div>
          </form>
        )}
        <h3 class="sheet-sub">When you met</h3>
        <ul class="meetings">
          {c.meetings.map((m) => (
            <li>
              <span>{m.event_title ?? "An event"}</span>
              <span class="meta">{formatAtEvent(m.scanned_at, m.event_timezone)} · {m.by_me ? "you scanned them" : "they scanned you"}</span>
            </li>
          )).reverse()}
        </ul>
        {step === "edit" && (
          <div class="danger-zone">
            <button type="button" class="button danger small" onClick={() => { setError(null); setStep("remove"); }}>Remove connection</button>
            <button type="button" class="button danger small" onClick={() => { setError(null); setStep("block"); }}>Block {name}</button>
          </div>
        )}

        {step === "remove" && (
          <div class="confirm" role="group" aria-labelledby="confirm-remove">
            <h3 id="confirm-remove">Remove {name} from your connections?</h3>
            <ul>
              <li>Your note and tags about them are erased.</li>
              <li>Neither of you sees the other’s connections-only details (email, phone, links shared with connections) any more.</li>
              <li>{name} is not told, and keeps their own note about you.</li>
              <li>Scanning their badge again connects you again.</li>
            </ul>
            <ErrorNote error={error} />
            <div class="row">
              <button type="button" class="button danger" disabled={busy} onClick={remove}>{busy ? "Removing…" : "Remove"}</button>
              <button type="button" class="button secondary" onClick={() => setStep("edit")}>Keep {name}</button>
            </div>
          </div>
        )}

        {step === "block" && (
          <div class="confirm" role="group" aria-labelledby="confirm-block">
            <h3 id="confirm-block">Block {name}?</h3>
            <ul>
              <li>You are hidden from each other everywhere: directory, suggestions, connections, bingo and follow-up emails.</li>
              <li>Neither of you can connect with the other by scanning a badge.</li>
              <li>{name} leaves your connections, with your note and tags. They get no message; only a scan of your badge tells them they cannot connect with you.</li>
              <li>You can unblock them later under “Blocked people”; that does not bring the connection back.</li>
            </ul>
            <ErrorNote error={error} />
            <div class="row">
              <button type="button" class="button danger" disabled={busy} onClick={block}>{busy ? "Blocking…" : `Block ${name}`}</button>
              <button type="button" class="button secondary" onClick={() => setStep("edit")}>Cancel</button>
            </div>
          </div>
        )}
      </div>
    </Sheet>
  );
}
