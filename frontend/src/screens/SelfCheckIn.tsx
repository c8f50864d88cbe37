import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../components/Form";
import { newNonce } from "../door/offline";
import { MagicLinkForm } from "../components/MagicLinkForm";
import { Page, useSession } from "../components/Page";
import { api } from "../lib/api";
import { signOut } from "../lib/auth";
import { selfCheckInMessage } from "../lib/messages";
import { formatScanTime } from "../lib/time";
import type { ScanReason, SelfCheckIn as Answer } from "../lib/types";
import "./selfCheckIn.css";

/** `/p/{secret}`: I scanned the entrance poster's QR code with my phone. Signed in, that checks me in (as a door
 * station would); signed out, I sign in first and come back here. */
export default function SelfCheckIn(props: { params: { secret: string } }) {
  const session = useSession();
  const here = `/p/${props.params.secret}`;
  if (!session) {
    return (
      <Page title="Check yourself in">
        <p>You scanned the check-in poster at the entrance. Sign in with the email you registered with, and you are checked in.</p>
        <MagicLinkForm next={here} button="Email me a sign-in link" label="Your email" />
        <p class="hint">Open the link on this phone: it brings you back here and checks you in. No email at hand? Show your badge at the door.</p>
      </Page>
    );
  }
  return <CheckingIn secret={props.params.secret} name={session.user.name} />;
}

function CheckingIn(props: { secret: string; name: string }) {
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(true);
  // One nonce per attempt: a retry after a lost answer is the same check-in; "Try again" after a refusal is a new one.
  const nonce = useRef(newNonce());
  const result = useRef<HTMLDivElement>(null);

  async function checkIn() {
    setBusy(true);
    setError(null);
    try {
      setAnswer(await api<Answer>("/checkins/self", {
        method: "POST",
        body: { qr: props.secret, nonce: nonce.current, scanned_at: new Date().toISOString() },
      }));
    } catch (problem) {
      setError(problem);
    } finally {
      setBusy(false);
    }
  }

  useEffect(() => {
    void checkIn();
  }, [props.secret]); // eslint-disable-line react-hooks/exhaustive-deps -- once per poster

  // The result replaces the "checking" line: it takes the focus, so a screen reader reads it out.
  useEffect(() => {
    if (answer) result.current?.focus();
  }, [answer]);

  const again = () => {
    nonce.current = newNonce();
    void checkIn();
  };

  if (busy && !answer) {
    return (
      <Page title="Checking you in">
        <div class="self-result pending" role="status">
          <span class="self-icon" aria-hidden="true">…</span>
          <p class="self-title">Checking you in…</p>
        </div>
      </Page>
    );
  }
  if (!answer) {
    return (
      <Page title="Check in">
        <ErrorNote error={error} />
        <button type="button" class="button primary block" onClick={() => void checkIn()} disabled={busy}>Try again</button>
        <p class="hint">Still no luck? Show your badge at the door.</p>
      </Page>
    );
  }
  return (
    <Page title={answer.event?.title ?? "Check in"} documentTitle="Check in">
      <Result answer={answer} name={props.name} focus={result} />
      <ErrorNote error={error} />
      <Next answer={answer} onAgain={again} busy={busy} name={props.name} />
    </Page>
  );
}

type Tone = "accepted" | "repeat" | "rejected";

function tone(answer: Answer): Tone {
  if (answer.checkin.result === "accepted") return "accepted";
  return answer.checkin.reason === "already_checked_in" ? "repeat" : "rejected";
}

const TITLES: Partial<Record<ScanReason, string>> = {
  outside_window: "Check-in is not open",
  not_registered: "You are not registered",
  registration_cancelled: "Your registration was cancelled",
  waitlisted: "You are on the waitlist",
  event_cancelled: "This event was cancelled",
  unknown_poster: "This is not a check-in poster",
  poster_replaced: "This poster was replaced",
  poster_removed: "This poster is out of use",
};

function Result(props: { answer: Answer; name: string; focus: preact.RefObject<HTMLDivElement> }) {
  const { checkin, event, poster_name } = props.answer;
  const zone = event?.timezone;
  const kind = tone(props.answer);
  let title: string;
  let text: string;
  if (kind === "accepted") {
    title = "You are checked in";
    text = `Welcome, ${checkin.attendee?.name ?? props.name}! Checked in at ${formatScanTime(checkin.scanned_at, zone)}, ${poster_name}.`;
  } else if (kind === "repeat") {
    const first = checkin.first_checkin;
    title = "You are already checked in";
    text = first
      ? `Inside since ${formatScanTime(first.at, zone)}${first.station_name ? ` (${first.station_name})` : ""}. Nothing more to do: enjoy the event.`
      : "Nothing more to do: enjoy the event.";
  } else {
    const reason = checkin.reason ?? "unknown_poster";
    title = TITLES[reason] ?? "Not checked in";
    text = selfCheckInMessage(reason, checkin.message);
  }
  return (
    <div class={`self-result ${kind}`} role="status" tabIndex={-1} ref={props.focus} data-testid="self-result" data-result={kind}>
      <span class="self-icon" aria-hidden="true">{kind === "accepted" ? "✓" : kind === "repeat" ? "✓" : "!"}</span>
      <p class="self-title">{title}</p>
      <p class="self-text">{text}</p>
    </div>
  );
}

function Next(props: { answer: Answer; onAgain: () => void; busy: boolean; name: string }) {
  const { checkin, event } = props.answer;
  const reason = checkin.reason;
  const inside = checkin.result === "accepted" || reason === "already_checked_in";
  const badge = checkin.registration_id ? `/me/badge/${checkin.registration_id}` : null;
  return (
    <div class="stack self-next">
      {reason === "outside_window" && (
        <button type="button" class="button primary block" onClick={props.onAgain} disabled={props.busy}>Try again</button>
      )}
      {(reason === "not_registered" || reason === "registration_cancelled") && event && (
        <a class="button primary block" href={`/e/${event.id}`}>Register for this event</a>
      )}
      {inside && <a class="button primary block" href="/scan">Meet people: scan a badge</a>}
      <nav class="row" aria-label="Next">
        {badge ? <a class="button secondary" href={badge}>My badge</a> : <a class="button secondary" href="/me">My events</a>}
      </nav>
      {reason === "not_registered" && (
        <p class="self-who muted">
          Signed in as {props.name}. Registered with another email?{" "}
          <button type="button" class="self-signout" onClick={() => void signOut()}>Sign out</button> and sign in with that one.
        </p>
      )}
    </div>
  );
}
