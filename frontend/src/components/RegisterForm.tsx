import { useState } from "preact/hooks";
import { api, ApiError } from "../lib/api";
import type { NetEvent, Registration } from "../lib/types";
import { ErrorNote, Field } from "./Form";
import { useSession } from "./Page";

const SHARING = [
  { value: "public", label: "Everyone at the event", help: "Your email and links show on your badge's public card." },
  { value: "connections", label: "Only people I meet", help: "Shared when you scan each other's badges." },
  { value: "nobody", label: "Nobody", help: "Only your name, headline and company are shown." },
];

const list = (text: string) => text.split(",").map((item) => item.trim()).filter(Boolean);

/** The first error for a field, including nested ones such as "topics.2" or "links.0.url". */
function errorFor(error: unknown, ...prefixes: string[]): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const key = Object.keys(error.fields).find((name) => prefixes.some((prefix) => name === prefix || name.startsWith(`${prefix}.`)));
  return key ? error.fields[key][0] : undefined;
}

/** The registration form: who you are, what you want from the event, and what you share. */
export function RegisterForm(props: { event: NetEvent; onRegistered: (registration: Registration) => void }) {
  const session = useSession();
  const [form, setForm] = useState({
    name: session?.user.name ?? "", email: session?.user.email ?? "", headline: "", company: "",
    topics: "", mentoring_offered: "", mentoring_sought: "", link: "",
    contact_sharing: "connections", directory_opt_in: false,
  });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const set = (name: keyof typeof form) => (event: Event) => {
    const target = event.target as HTMLInputElement;
    setForm({ ...form, [name]: target.type === "checkbox" ? target.checked : target.value });
  };

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const body: Record<string, unknown> = {
      name: form.name, email: form.email, contact_sharing: form.contact_sharing, directory_opt_in: form.directory_opt_in,
    };
    for (const key of ["headline", "company"] as const) if (form[key].trim()) body[key] = form[key];
    for (const key of ["topics", "mentoring_offered", "mentoring_sought"] as const) if (list(form[key]).length) body[key] = list(form[key]);
    if (form.link.trim()) {
      let label = "Website";
      try {
        label = new URL(form.link.trim()).hostname.replace(/^www\./, "").slice(0, 40);
      } catch {
        // the server explains what is wrong with the address
      }
      body.links = [{ label, url: form.link.trim() }];
    }
    try {
      props.onRegistered(await api<Registration>(`/events/${props.event.id}/registrations`, { method: "POST", body }));
    } catch (problem) {
      setError(problem);
      // Take the person to the first field that needs fixing.
      requestAnimationFrame(() => (document.querySelector(".field.invalid input, .field.invalid textarea") as HTMLElement | null)?.focus());
    } finally {
      setBusy(false);
    }
  }

  const fields = ["name", "email", "headline", "company", "topics", "mentoring_offered", "mentoring_sought", "links", "contact_sharing", "directory_opt_in"];
  const formLevel = error instanceof ApiError && Object.keys(error.fields).some((key) => fields.some((f) => key === f || key.startsWith(`${f}.`)))
    ? null : error;
  return (
    <form class="stack card" onSubmit={submit} noValidate aria-describedby="register-help">
      <p id="register-help" class="hint">Your badge and a sign-in link are emailed to you. Fields marked optional help people find you.</p>
      <Field label="Name on your badge" name="name" required autoComplete="name" value={form.name} onInput={set("name")} error={errorFor(error, "name")} />
      <Field label="Email" name="email" type="email" required autoComplete="email" inputMode="email" value={form.email} onInput={set("email")}
        error={errorFor(error, "email")} hint={session ? "You are signed in; the badge goes to this address." : undefined} />
      <div class="two">
        <Field label="Headline" name="headline" value={form.headline} onInput={set("headline")} placeholder="Staff engineer, platform" error={errorFor(error, "headline")} />
        <Field label="Company" name="company" autoComplete="organization" value={form.company} onInput={set("company")} error={errorFor(error, "company")} />
      </div>
      <Field label="Topics you care about" name="topics" value={form.topics} onInput={set("topics")} hint="Separate with commas, e.g. Kubernetes, tech leadership" error={errorFor(error, "topics")} />
      <div class="two">
        <Field label="You can mentor in" name="mentoring_offered" value={form.mentoring_offered} onInput={set("mentoring_offered")} hint="Commas between topics" error={errorFor(error, "mentoring_offered")} />
        <Field label="You look for a mentor in" name="mentoring_sought" value={form.mentoring_sought} onInput={set("mentoring_sought")} hint="Commas between topics" error={errorFor(error, "mentoring_sought")} />
      </div>
      <Field label="A link about you" name="link" type="url" inputMode="url" value={form.link} onInput={set("link")} placeholder="https://…" error={errorFor(error, "links")} />
      <fieldset>
        <legend>Who sees your email and link</legend>
        {SHARING.map((option) => (
          <div class="choice">
            <input type="radio" id={`sharing-${option.value}`} name="contact_sharing" value={option.value} aria-describedby={`sharing-${option.value}-help`}
              checked={form.contact_sharing === option.value} onChange={set("contact_sharing")} />
            <span><label for={`sharing-${option.value}`}>{option.label}</label><small id={`sharing-${option.value}-help`}>{option.help}</small></span>
          </div>
        ))}
        {errorFor(error, "contact_sharing") && <p class="error">{errorFor(error, "contact_sharing")}</p>}
      </fieldset>
      <label class="check">
        <input type="checkbox" name="directory_opt_in" checked={form.directory_opt_in} onChange={set("directory_opt_in")} />
        <span>List me in the event's directory, so other attendees can find me</span>
      </label>
      <ErrorNote error={formLevel} />
      <button class="button primary block" disabled={busy}>
        {busy ? "Registering…" : props.event.spots_left === 0 ? "Join the waitlist" : "Register"}
      </button>
    </form>
  );
}
