import { useRef, useState } from "preact/hooks";
import { api } from "../lib/api";
import type { Accepted, NetEvent, Registered, Registration } from "../lib/types";
import { ErrorNote, Field, focusFirstInvalid, useFieldErrors } from "./Form";
import { useSession } from "./Page";

/** Step one of registering: a name and an email, nothing else. The profile and sharing choices come
 * after, once the person holds a badge (ProfileForm). */
export function RegisterForm(props: { event: NetEvent; onRegistered: (outcome: Registered) => void }) {
  const session = useSession();
  const [form, setForm] = useState({ name: session?.user.name ?? "", email: session?.user.email ?? "" });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const fields = useFieldErrors();
  const element = useRef<HTMLFormElement>(null);
  const set = (name: keyof typeof form) => (event: Event) => {
    setForm({ ...form, [name]: (event.target as HTMLInputElement).value });
    fields.clear(name);
  };

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: form.name, email: form.email };
      const answer = await api<Registration | Accepted>(`/events/${props.event.id}/registrations`, { method: "POST", body });
      // Only the signed-in owner of the address gets the registration back; anyone else is told it went by email.
      props.onRegistered("id" in answer ? { registration: answer } : { sent: { ...body, message: answer.message } });
    } catch (problem) {
      setError(problem);
      fields.show(problem);
      focusFirstInvalid(element.current);
    } finally {
      setBusy(false);
    }
  }

  const { errors } = fields;
  const formLevel = Object.keys(errors).some((name) => name === "name" || name === "email") ? null : error;
  return (
    <form ref={element} class="stack card" onSubmit={submit} noValidate aria-describedby="register-help">
      <Field label="Name on your badge" name="name" required autoComplete="name" value={form.name} onInput={set("name")} error={errors.name} />
      <Field label="Email" name="email" type="email" required autoComplete="email" inputMode="email" value={form.email} onInput={set("email")}
        error={errors.email} hint={session ? "You are signed in; the badge goes to this address." : undefined} />
      <ErrorNote error={formLevel} />
      <button class="button primary block" disabled={busy}>
        {busy ? "Registering…" : props.event.spots_left === 0 ? "Join the waitlist" : "Register"}
      </button>
      <p id="register-help" class="hint">Your badge comes by email with a sign-in link (at once here too when you are signed in). Your profile and who sees your contact details come next, if you like.</p>
    </form>
  );
}
