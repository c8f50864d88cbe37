import { useEffect, useRef, useState } from "preact/hooks";
import { fieldErrors } from "../lib/fieldMessages";
import { requestMagicLink } from "../lib/auth";
import { ErrorNote, Field } from "./Form";

const EMAIL_WORDS = { email: "Type your email address, like ada@example.org." };

/** Ask for a one-time sign-in link by email (works for every account, with or without a password). */
export function MagicLinkForm(props: { next: string; button?: string; label?: string }) {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const note = useRef<HTMLParagraphElement>(null);
  // The button the focus was on is gone: the news takes it, so keyboard and screen reader users stay in place.
  useEffect(() => {
    if (sent) note.current?.focus();
  }, [sent]);
  const emailError = fieldErrors(error, EMAIL_WORDS).email;
  if (sent) {
    return (
      <p class="note ok" role="status" tabIndex={-1} ref={note}>
        If an account exists for <strong>{email}</strong>, a sign-in link is on its way. Open it on this phone; it works once, for 30 minutes.
      </p>
    );
  }
  return (
    <form class="stack" noValidate onSubmit={async (event) => {
      event.preventDefault();
      setBusy(true);
      setError(null);
      try {
        await requestMagicLink(email, props.next);
        setSent(true);
      } catch (problem) {
        setError(problem);
      } finally {
        setBusy(false);
      }
    }}>
      <Field label={props.label ?? "Email"} name="email" id="magic-email" type="email" required autoComplete="email" inputMode="email" value={email}
        onInput={(event) => {
          setEmail((event.target as HTMLInputElement).value);
          if (emailError) setError(null); // being fixed: the old message no longer applies
        }}
        error={emailError} />
      {!emailError && <ErrorNote error={error} />}
      <button class="button primary block" disabled={busy}>{busy ? "Sending…" : props.button ?? "Email me a sign-in link"}</button>
    </form>
  );
}
