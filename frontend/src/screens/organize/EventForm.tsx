import { useState } from "preact/hooks";
import { ErrorNote, Field, otherFieldErrors, useFieldErrors } from "../../components/Form";
import { api, ApiError } from "../../lib/api";
import { isoToZoned, zonedToIso } from "../../lib/time";
import type { EventKind, NetEvent } from "../../lib/types";

const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
const zones: string[] = (Intl as unknown as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.("timeZone") ?? [browserZone];

function defaultStart(): string {
  const date = new Date(Date.now() + 7 * 86400000);
  date.setHours(18, 30, 0, 0);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T18:30`;
}

function plusHours(local: string, hours: number): string {
  const [date, time] = local.split("T");
  const moment = new Date(`${date}T${time}:00Z`);
  return new Date(moment.getTime() + hours * 3600000).toISOString().slice(0, 16);
}

/** Create or edit an event. Times are typed as wall-clock times in the event's own time zone. */
export function EventForm(props: { event?: NetEvent; onSaved: (event: NetEvent) => void }) {
  const e = props.event;
  const zone = e?.timezone ?? browserZone;
  const start = e ? isoToZoned(e.starts_at, zone) : defaultStart();
  const [form, setForm] = useState({
    kind: (e?.kind ?? "meetup") as EventKind,
    title: e?.title ?? "",
    description: e?.description ?? "",
    timezone: zone,
    starts: start,
    ends: e ? isoToZoned(e.ends_at, zone) : plusHours(start, 3),
    venue: e?.venue ?? "",
    online_url: e?.online_url ?? "",
    capacity: e?.capacity ? String(e.capacity) : "",
    waitlist_enabled: e?.waitlist_enabled ?? true,
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = useFieldErrors();
  // Fixing a field clears its message (the form's "starts"/"ends" are the API's starts_at/ends_at).
  const set = (name: keyof typeof form) => (event: Event) => {
    const target = event.target as HTMLInputElement;
    setForm({ ...form, [name]: target.type === "checkbox" ? target.checked : target.value });
    fields.clear(name === "starts" || name === "ends" ? `${name}_at` : name);
  };
  const err = (name: string) => fields.errors[name];

  async function save(status?: "draft" | "published") {
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      kind: form.kind, title: form.title, description: form.description, timezone: form.timezone,
      venue: form.kind === "webinar" ? "" : form.venue,
      online_url: form.online_url.trim() || null,
      capacity: form.capacity.trim() ? Number(form.capacity) : null,
      waitlist_enabled: form.waitlist_enabled,
    };
    try {
      if (!form.starts || !form.ends) throw new ApiError(422, "invalid_input", "Give the start and end.", {
        ...(form.starts ? {} : { starts_at: ["Give the start date and time."] }), ...(form.ends ? {} : { ends_at: ["Give the end date and time."] }),
      });
      body.starts_at = zonedToIso(form.starts, form.timezone);
      body.ends_at = zonedToIso(form.ends, form.timezone);
      if (status) body.status = status;
      const saved = e
        ? await api<NetEvent>(`/events/${e.id}`, { method: "PATCH", body })
        : await api<NetEvent>("/events", { method: "POST", body });
      props.onSaved(saved);
    } catch (problem) {
      setError(problem);
      fields.show(problem);
      requestAnimationFrame(() => (document.querySelector(".field.invalid input, .field.invalid select, .field.invalid textarea") as HTMLElement | null)?.focus());
    } finally {
      setBusy(false);
    }
  }

  const shown = ["kind", "title", "description", "timezone", "starts_at", "ends_at", "venue", "online_url", "capacity", "waitlist_enabled", "status"];
  return (
    <form class="stack card" noValidate onSubmit={(event) => {
      event.preventDefault();
      void save(e ? undefined : "draft");
    }}>
      <Field label="Kind" name="kind" required error={err("kind")}>
        <select id="field-kind" name="kind" value={form.kind} onChange={set("kind")}>
          <option value="meetup">Meetup</option>
          <option value="workshop">Workshop (limited places)</option>
          <option value="webinar">Webinar (online)</option>
        </select>
      </Field>
      <Field label="Title" name="title" required value={form.title} onInput={set("title")} error={err("title")} />
      <Field label="Description" name="description" error={err("description")}>
        <textarea id="field-description" name="description" value={form.description} onInput={set("description")} />
      </Field>
      <div class="two">
        <Field label="Starts" name="starts_at" type="datetime-local" required value={form.starts} error={err("starts_at")}
          onInput={(event) => {
            const starts = (event.target as HTMLInputElement).value;
            const keepLength = form.starts && form.ends && !e ? plusHours(starts, 3) : form.ends;
            setForm({ ...form, starts, ends: keepLength || form.ends });
          }} />
        <Field label="Ends" name="ends_at" type="datetime-local" required value={form.ends} onInput={set("ends")} error={err("ends_at")} />
      </div>
      <Field label="Time zone" name="timezone" required value={form.timezone} onInput={set("timezone")} list="zones"
        hint="Where the event happens; times above are in this zone." error={err("timezone")} />
      <datalist id="zones">{zones.map((name) => <option value={name} />)}</datalist>
      {form.kind === "webinar"
        ? <Field label="Meeting link" name="online_url" type="url" required value={form.online_url} onInput={set("online_url")}
            hint="Attendees never see it: each gets a personal join link that records attendance." error={err("online_url")} />
        : <Field label="Venue" name="venue" required value={form.venue} onInput={set("venue")} placeholder="Tech Hub, Main Hall, 12 Market Street" error={err("venue")} />}
      <div class="two">
        <Field label="Capacity" name="capacity" type="number" inputMode="numeric" min="1" value={form.capacity} onInput={set("capacity")}
          hint="Leave empty for no limit." error={err("capacity")} />
        <label class="check">
          <input type="checkbox" name="waitlist_enabled" checked={form.waitlist_enabled} onChange={set("waitlist_enabled")} />
          <span>When full, put new registrations on a waitlist</span>
        </label>
      </div>
      <ErrorNote error={error instanceof ApiError && shown.some((name) => error.field(name)) ? null : error} />
      {otherFieldErrors(error, shown).map((line) => <p class="error">{line}</p>)}
      {err("status") && <p class="error">{err("status")}</p>}
      {e ? (
        <button class="button primary block" disabled={busy}>{busy ? "Saving…" : "Save changes"}</button>
      ) : (
        <div class="row">
          <button type="button" class="button primary" disabled={busy} onClick={() => save("published")}>Publish</button>
          <button class="button secondary" disabled={busy}>Save as draft</button>
        </div>
      )}
    </form>
  );
}
