import { useState } from "preact/hooks";
import { ErrorNote, Field, useFieldErrors } from "../../components/Form";
import { MagicLinkForm } from "../../components/MagicLinkForm";
import { Page, useSession } from "../../components/Page";
import { KindTag, LoadFailed, Loading } from "../../components/Status";
import { api, ApiError, type Page as ApiPage } from "../../lib/api";
import { signInWithPassword, signOut, signUp } from "../../lib/auth";
import { formatEventTime } from "../../lib/time";
import type { NetEvent } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";

/** `/organize`: sign in, then the events you organize. */
export default function OrganizeHome() {
  const session = useSession();
  return session ? <MyOrganizedEvents name={session.user.name} /> : <OrganizerSignIn />;
}

function MyOrganizedEvents(props: { name: string }) {
  const events = useLoad(() => api<ApiPage<NetEvent>>("/events", { query: { mine: true, per_page: 100 } }));
  return (
    <Page title="Your events" wide>
      <div class="row" style={{ justifyContent: "space-between", marginBottom: "1rem" }}>
        <a class="button primary" href="/organize/new">+ New event</a>
        <span class="muted">{props.name} · <button type="button" class="button quiet small" onClick={() => signOut()}>Sign out</button></span>
      </div>
      {events.loading && !events.data && <Loading what="your events" />}
      {events.error && <LoadFailed error={events.error} retry={events.reload} />}
      {events.data?.items.length === 0 && <p class="card">No events yet. Create your first one: a meetup, a workshop with limited places, or a webinar.</p>}
      <ul class="list">
        {events.data?.items.map((event) => (
          <li>
            <a class="card event-card" href={`/organize/events/${event.id}`}>
              <span class="event-card-body">
                <span class="row"><KindTag kind={event.kind} /> <StatusTag status={event.status} /></span>
                <h2>{event.title}</h2>
                <span class="meta">{formatEventTime(event)}</span>
                <span class="meta">{event.confirmed_count} registered{event.capacity ? ` of ${event.capacity}` : ""}</span>
              </span>
            </a>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export function StatusTag(props: { status: NetEvent["status"] }) {
  const label = { draft: "Draft", published: "Published", cancelled: "Cancelled" }[props.status];
  const tone = { draft: "warn", published: "ok", cancelled: "bad" }[props.status];
  return <span class={`tag ${tone}`}>{label}</span>;
}

const ACCOUNT_WORDS = { name: "Type your name (up to 120 characters).", email: "Type your email address, like olivia@example.org." };

function OrganizerSignIn() {
  const [mode, setMode] = useState<"signin" | "signup">("signin");
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [signedUp, setSignedUp] = useState<string | null>(null);
  const fields = useFieldErrors(null, ACCOUNT_WORDS);
  const set = (name: keyof typeof form) => (event: Event) => {
    setForm({ ...form, [name]: (event.target as HTMLInputElement).value });
    fields.clear(name);
  };
  const err = (name: string) => fields.errors[name];

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (mode === "signin") await signInWithPassword(form.email, form.password);
      else {
        setSignedUp(await signUp(form.name, form.email, form.password));
        setBusy(false);
      }
    } catch (problem) {
      setError(problem);
      fields.show(problem);
      setBusy(false);
    }
  }

  const fieldsShown = error instanceof ApiError && ["name", "email", "password"].some((name) => error.field(name));
  if (signedUp) {
    return (
      <Page title="Check your inbox">
        <p class="note ok" role="status">{signedUp} We sent it to <strong>{form.email}</strong>.</p>
      </Page>
    );
  }
  return (
    <Page title={mode === "signin" ? "Organizer sign-in" : "Create an organizer account"}>
      <form class="stack card" onSubmit={submit} noValidate>
        {mode === "signup" && <Field label="Your name" name="name" required autoComplete="name" value={form.name} onInput={set("name")} error={err("name")} />}
        <Field label="Email" name="email" type="email" required autoComplete="email" inputMode="email" value={form.email} onInput={set("email")} error={err("email")} />
        <Field label="Password" name="password" type="password" required value={form.password} onInput={set("password")}
          autoComplete={mode === "signin" ? "current-password" : "new-password"} error={err("password")}
          hint={mode === "signup" ? "At least 10 characters." : undefined} />
        {!fieldsShown && <ErrorNote error={error} />}
        <button class="button primary block" disabled={busy}>{busy ? "One moment…" : mode === "signin" ? "Sign in" : "Create account"}</button>
      </form>
      <p>
        {mode === "signin"
          ? <>New here? <button type="button" class="button quiet small" onClick={() => { setMode("signup"); setError(null); }}>Create an organizer account</button></>
          : <>Have an account? <button type="button" class="button quiet small" onClick={() => { setMode("signin"); setError(null); }}>Sign in</button></>}
      </p>
      <h2>No password yet?</h2>
      <p class="muted">Co-organizers and attendees can sign in with a link by email.</p>
      <MagicLinkForm next="/organize" label="Email for a sign-in link" />
    </Page>
  );
}
