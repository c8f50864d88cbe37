import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/Form";
import { MagicLinkForm } from "../components/MagicLinkForm";
import { Page } from "../components/Page";
import { redeemMagicLink, safeNext } from "../lib/auth";
import { navigate } from "../router";

/** `/signin`: ask for a sign-in link, or (opened from the email: #code=…&next=…) use it. */
export default function SignIn() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const code = fragment.get("code");
  const next = safeNext(fragment.get("next") ?? new URLSearchParams(location.search).get("next"));
  const [error, setError] = useState<unknown>(null);
  const [redeeming, setRedeeming] = useState(!!code);

  useEffect(() => {
    if (!code) return;
    history.replaceState(null, "", "/signin"); // the code works once: keep it out of history
    redeemMagicLink(code).then(
      () => navigate(next, { replace: true }),
      (problem) => {
        setError(problem);
        setRedeeming(false);
      },
    );
  }, [code, next]); // the code is taken out of the address at once: it is redeemed once

  if (redeeming) {
    return <Page title="Signing you in"><p role="status">Signing you in…</p></Page>;
  }
  return (
    <Page title="Sign in">
      <ErrorNote error={error} />
      <p>No password needed: we email you a link that signs you in on this device.</p>
      <MagicLinkForm next={next} />
      <p class="muted" style={{ marginTop: "1.5rem" }}>Organizing with a password? <a href="/organize">Organizer sign-in</a>.</p>
    </Page>
  );
}
