import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../components/Form";
import { SvgImage } from "../components/QrImage";
import { RegistrationTag } from "../components/Status";
import { ApiError } from "../lib/api";
import { fetchBadge, joinUrl, savedBadge, type SavedBadge } from "../lib/badges";
import { getSession } from "../lib/session";
import { formatEventTime } from "../lib/time";

/** `/me/badge/{id}`: my badge, full screen, bright, for the door to scan; kept for offline use. */
export default function MyBadge(props: { params: { registrationId: string } }) {
  const id = props.params.registrationId;
  const [badge, setBadge] = useState<SavedBadge | null>(() => savedBadge(id));
  const [error, setError] = useState<unknown>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    document.title = "My badge · netevents";
    heading.current?.focus();
    if (getSession()) {
      fetchBadge(id).then(setBadge, (problem) => {
        if (!(problem instanceof ApiError && problem.isNetwork)) setError(problem);
      });
    }
    // Keep the screen on while the badge shows (where the browser allows it).
    let lock: { release(): Promise<void> } | undefined;
    (navigator as Navigator & { wakeLock?: { request(type: "screen"): Promise<{ release(): Promise<void> }> } })
      .wakeLock?.request("screen").then((held) => (lock = held), () => undefined);
    return () => void lock?.release();
  }, [id]);

  if (!badge) {
    return (
      <main class="page">
        <a class="back" href="/me">← My events</a>
        <h1 ref={heading} tabIndex={-1}>My badge</h1>
        {error ? <ErrorNote error={error} /> : getSession()
          ? <p role="status">Loading your badge…</p>
          : <p>Sign in on <a href="/me">My events</a> to show your badge. Once opened, it also works offline.</p>}
      </main>
    );
  }
  const r = badge.registration;
  const shown = badge.shown;
  const join = r.event.kind === "webinar" ? joinUrl(r) : null;
  return (
    <main class="badge-full">
      <a class="back" href="/me">← My events</a>
      <h1 class="sr-only" ref={heading} tabIndex={-1}>Badge of {r.name}</h1>
      {r.status === "cancelled" ? <p class="note warn">This registration was cancelled; the badge no longer works.</p>
        : <SvgImage class="qr" svg={badge.svg} alt={`Badge QR code of ${r.name}`} />}
      {r.status !== "cancelled" && r.badge_code && (
        <p class="badge-code" title="Someone whose camera cannot read your QR code types this on Scan to meet">
          <span class="sr-only">Badge code: </span>{r.badge_code}
        </p>
      )}
      <p class="name">{r.name}</p>
      {/* Held up for others to see: only what I share with everyone, as on the printed badge. */}
      {(shown?.headline || shown?.company) && <p class="sub">{[shown.headline, shown.company].filter(Boolean).join(" · ")}</p>}
      {((r.headline && !shown?.headline) || (r.company && !shown?.company)) && (
        <p class="hint">Your badge shows only what you share with everyone at the event. <a href="/me/profile">Your sharing choices</a></p>
      )}
      <p class="event-line">{r.event.title}</p>
      <p class="sub">{formatEventTime(r.event)}</p>
      <p><RegistrationTag status={r.status} position={r.waitlist_position} /></p>
      {r.status === "waitlisted" && <p>You are on the waitlist: this badge opens the door once you are confirmed.</p>}
      {join && r.status === "confirmed" && <a class="button primary" href={join}>Join the webinar</a>}
      {r.status === "confirmed" && r.event.kind !== "webinar" && (
        <nav class="row" aria-label="At this event">
          <a class="button secondary small" href="/scan">Scan to meet</a>
          <a class="button secondary small" href={`/e/${r.event.id}/people`}>People here</a>
          <a class="button secondary small" href={`/e/${r.event.id}/bingo`}>Bingo</a>
          <a class="button secondary small" href="/me/connections">My connections</a>
        </nav>
      )}
      <ErrorNote error={error} />
      <p class="offline-note">Saved on this phone: this badge shows even without network.</p>
    </main>
  );
}
