import { useState } from "preact/hooks";
import { ErrorNote, Field, otherFieldErrors, useFieldErrors } from "../../components/Form";
import { Sheet } from "../../components/Sheet";
import type { DoorController, WalkInResult } from "../../door/controller";
import { newNonce } from "../../door/offline";
import { ApiError } from "../../lib/api";

/** Register someone standing at the door; they are checked in at once and their badge works. */
export function WalkInSheet(props: { door: DoorController; onClose: () => void }) {
  const [form, setForm] = useState({ name: "", email: "", headline: "", company: "" });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<WalkInResult | null>(null);
  // One per walk-in: sent again (no answer came back), the server answers as the first time. A changed form is another walk-in.
  const [nonce, setNonce] = useState(newNonce);

  const fields = useFieldErrors();
  // Registered already: the server says who, so the door checks them in instead.
  const registered = error instanceof ApiError && error.reason === "already_registered" ? Number(error.problem.registration_id) || null : null;
  const update = (name: keyof typeof form) => (event: Event) => {
    setForm({ ...form, [name]: (event.target as HTMLInputElement).value });
    setNonce(newNonce());
    fields.clear(name);
    if (name === "email" && registered) setError(null); // another address: no longer that registration
  };

  async function checkInRegistered(registrationId: number) {
    setBusy(true);
    try {
      await props.door.scanRegistration(registrationId);
      props.onClose();
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!navigator.onLine) {
      setError(new Error("Registering a walk-in needs the network. Note their name and email, and register them when it is back."));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = Object.fromEntries(Object.entries(form).filter(([, value]) => value.trim() !== ""));
      setDone(await props.door.walkIn({ ...(body as unknown as { name: string; email: string }), nonce }));
    } catch (problem) {
      setError(problem);
      fields.show(problem);
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    const secret = done.registration.badge_url?.split("/b/")[1];
    return (
      <Sheet title="Walk-in registered" onClose={props.onClose}>
        <p><strong>{done.registration.name}</strong> is registered and checked in. Their badge is on its way by email.</p>
        {secret && <img class="walkin-qr" src={`/api/v1/badges/${secret}/qr.svg`} alt={`Badge QR code for ${done.registration.name}`} />}
        <button type="button" class="button primary block" onClick={props.onClose}>Back to scanning</button>
      </Sheet>
    );
  }
  return (
    <Sheet title="Register a walk-in" onClose={props.onClose}>
      <form class="stack" onSubmit={submit} noValidate>
        <Field label="Name" name="name" id="walkin-name" required autoFocus value={form.name} onInput={update("name")} autoComplete="off" error={fields.errors.name} />
        <Field label="Email" name="email" id="walkin-email" type="email" required value={form.email} onInput={update("email")} autoComplete="off"
          hint="Their badge and sign-in link go here." error={fields.errors.email} />
        <Field label="Headline" name="headline" id="walkin-headline" value={form.headline} onInput={update("headline")} placeholder="e.g. Staff engineer" error={fields.errors.headline} />
        <Field label="Company" name="company" id="walkin-company" value={form.company} onInput={update("company")} error={fields.errors.company} />
        <ErrorNote error={error} />
        {registered && (
          <button type="button" class="button primary block" disabled={busy} onClick={() => checkInRegistered(registered)}>Check them in</button>
        )}
        {otherFieldErrors(error, ["name", "email", "headline", "company"]).map((line) => <p class="error">{line}</p>)}
        <button class="button primary block" disabled={busy}>{busy ? "Registering…" : "Register and check in"}</button>
      </form>
    </Sheet>
  );
}
