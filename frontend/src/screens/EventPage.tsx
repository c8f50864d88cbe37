import { useEffect, useRef, useState } from "preact/hooks";
import { Page, useSession } from "../components/Page";
import { KindTag, LoadFailed, Loading, RegistrationTag } from "../components/Status";
import { RegisterForm } from "../components/RegisterForm";
import { ProfileForm } from "../components/ProfileForm";
import { ErrorNote } from "../components/Form";
import { api } from "../lib/api";
import { joinUrl } from "../lib/badges";
import { cancelRegistration, myRegistrationFor } from "../lib/registrations";
import { formatEventTime, zoneLabel } from "../lib/time";
import type { NetEvent, Profile, Registered as Outcome, Registration } from "../lib/types";
import { useLoad } from "../lib/useLoad";

/** `/e/{id}`: the event, and the registration form (or why registering is not possible). */
export default function EventPage(props: { params: { eventId: string } }) {
  const session = useSession();
  const event = useLoad(() => api<NetEvent>(`/events/${props.params.eventId}`), [props.params.eventId]);
  const [registered, setRegistered] = useState<Outcome | null>(null);
  // Signed in, my registration for this event, if I have one: then the page shows it instead of the form.
  const signedIn = !!session;
  const mine = useLoad(
    () => (signedIn ? myRegistrationFor(Number(props.params.eventId)) : Promise.resolve(null)),
    [props.params.eventId, signedIn],
  );
  const e = event.data;
  if (!e) {
    return (
      <Page title={event.error ? "Event not available" : "Event"} back={{ href: "/", label: "All events" }}>
        {event.loading ? <Loading what="the event" /> : <LoadFailed error={event.error} retry={event.reload} />}
      </Page>
    );
  }
  const full = e.spots_left === 0;
  const over = new Date(e.ends_at) < new Date();
  return (
    <Page title={e.title} back={{ href: "/", label: "All events" }}>
      <p><KindTag kind={e.kind} /> {e.status === "cancelled" && <span class="tag bad">Cancelled</span>} {e.status === "draft" && <span class="tag warn">Draft</span>}</p>
      <dl class="facts">
        <dt>When</dt>
        <dd>{formatEventTime(e)} <span class="muted">({zoneLabel(e.starts_at, e.timezone)})</span></dd>
        <dt>Where</dt>
        <dd>{e.kind === "webinar" ? "Online: your personal join link comes with your registration" : e.venue}</dd>
        {e.capacity !== null && (
          <>
            <dt>Places</dt>
            <dd>{full ? (e.waitlist_enabled ? "Full · waitlist open" : "Full") : `${e.spots_left} of ${e.capacity} left`}</dd>
          </>
        )}
      </dl>
      {e.viewer_is_organizer && <p class="note">You organize this event. <a href={`/organize/events/${e.id}`}>Manage it</a>.</p>}

      <h2 id="register">{mine.data && !registered ? "Your registration" : "Register"}</h2>
      {registered ? (
        "registration" in registered
          ? <Registered registration={registered.registration} signedIn={!!session} />
          : <SentByEmail {...registered.sent} event={e} />
      ) : signedIn && mine.loading ? (
        <Loading what="your registration" />
      ) : mine.data ? (
        <AlreadyRegistered registration={mine.data} onCancelled={() => {
          mine.reload();
          event.reload();
        }} />
      ) : e.status === "cancelled" ? (
        <p class="note warn">This event was cancelled; registration is closed.</p>
      ) : e.status !== "published" ? (
        <p class="note warn">This event is not open for registration yet.</p>
      ) : over ? (
        <p class="note warn">This event is over; registration is closed.</p>
      ) : full && !e.waitlist_enabled ? (
        <p class="note warn">This event is full and has no waitlist. Keep an eye on the organizers' next events.</p>
      ) : (
        <>
          {full && (
            <p class="note warn" id="waitlist-note">
              <strong>This {e.kind} is full.</strong> Register to join the waitlist: if someone cancels, the first person
              waiting gets the place automatically, and we email you at once.
            </p>
          )}
          <RegisterForm event={e} onRegistered={(outcome) => {
            setRegistered(outcome);
            event.reload();
          }} />
        </>
      )}
      <h2>About this {e.kind}</h2>
      {e.description && <p class="description">{e.description}</p>}
      <p><a href={`/api/v1/events/${e.id}/calendar.ics`} download>Add to calendar (.ics)</a></p>
    </Page>
  );
}

/** The badge's QR image, straight from the registration's badge secret (holding the secret is holding the badge). */
function badgeQrUrl(registration: Registration): string | null {
  const secret = registration.badge_url?.split("/b/")[1];
  return secret ? `/api/v1/badges/${secret}/qr.svg` : null;
}

function Registered(props: { registration: Registration; signedIn: boolean }) {
  const r = props.registration;
  const heading = useRef<HTMLHeadingElement>(null);
  // The form the focus was in is gone: the news takes the focus, so a screen reader reads it.
  useEffect(() => heading.current?.focus(), []);
  if (r.status === "waitlisted") {
    return (
      <div class="card" role="status">
        <p><RegistrationTag status={r.status} position={r.waitlist_position} /></p>
        <h3 ref={heading} tabIndex={-1}>You are on the waitlist{r.waitlist_position ? `, number ${r.waitlist_position}` : ""}.</h3>
        <p>If someone cancels, you move up automatically and we email {r.email} at once with your badge.</p>
      </div>
    );
  }
  const qr = badgeQrUrl(r);
  const badgePage = props.signedIn ? `/me/badge/${r.id}` : r.badge_url ? new URL(r.badge_url, location.href).pathname : null;
  return (
    <>
      <div class="card registered" role="status">
        <p><RegistrationTag status={r.status} /></p>
        <h3 ref={heading} tabIndex={-1}>You are registered, {r.name}!</h3>
        {qr && <img class="card-qr" src={qr} alt={`Badge QR code of ${r.name}`} width={240} height={240} />}
        <p>This is your badge: show it at the door{r.event.kind === "webinar" ? "; for a webinar, the email has your personal join link" : ""}.
          A copy, a calendar file and a sign-in link are on their way to <strong>{r.email}</strong>.</p>
        {badgePage && <a class="button secondary block" href={badgePage}>Open my badge</a>}
      </div>
      <ProfileStep registration={r} signedIn={props.signedIn} />
    </>
  );
}

/** Signed in and registered already: my place and my badge, not a form that could only answer "already registered". */
function AlreadyRegistered(props: { registration: Registration; onCancelled: () => void }) {
  const r = props.registration;
  const [error, setError] = useState<unknown>(null);
  const over = new Date(r.event.ends_at) < new Date();
  const join = r.event.kind === "webinar" && r.status === "confirmed" ? joinUrl(r) : null;

  async function cancel() {
    setError(null);
    try {
      if (await cancelRegistration(r)) props.onCancelled();
    } catch (problem) {
      setError(problem);
    }
  }

  return (
    <div class="card registered stack" data-testid="already-registered">
      <p><RegistrationTag status={r.status} position={r.waitlist_position} /></p>
      <h3>{r.status === "waitlisted"
        ? `You're on the waitlist${r.waitlist_position ? `, number ${r.waitlist_position}` : ""}`
        : "You're registered"}</h3>
      <p>{r.status === "waitlisted"
        ? `If someone cancels, you move up automatically and we email ${r.email} at once with your badge.`
        : <>As <strong>{r.name}</strong>; your badge went to {r.email}.</>}</p>
      <div class="row">
        {r.status === "confirmed" && r.event.kind !== "webinar" && <a class="button primary" href={`/me/badge/${r.id}`}>Open my badge</a>}
        {join && <a class="button primary" href={join}>Join the webinar</a>}
        {!over && <button type="button" class="button danger" onClick={cancel}>Cancel registration</button>}
      </div>
      <ErrorNote error={error} />
    </div>
  );
}

/** Registered as anyone but the signed-in owner of the address: the answer does not say whether the address has
 * an account or was registered already (a stranger could have typed it), so the badge goes by email. */
function SentByEmail(props: { name: string; email: string; message: string; event: NetEvent }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <>
      <div class="card registered" role="status">
        <h3 ref={heading} tabIndex={-1}>Check your inbox, {props.name}</h3>
        <p>Your registration for {props.event.title} is on its way to <strong>{props.email}</strong>: your badge (or your
          place on the waitlist), a calendar file and a sign-in link. Open the link on this phone to see your badge here.</p>
        <p class="hint">Nothing after a few minutes? Look in your spam folder, or ask for a <a href="/signin">sign-in link</a>.</p>
      </div>
      <section class="card stack" aria-labelledby="profile-step">
        <h3 id="profile-step">Help people find you <span class="optional">(optional)</span></h3>
        <p class="hint">A headline, topics and mentoring help others start a conversation; you choose who sees your email and link.
          Only you can save your profile: it waits on this phone until you open the sign-in link we emailed you.</p>
        <ProfileForm draftFor={{ email: props.email, eventId: props.event.id }} />
      </section>
    </>
  );
}

/** Step two: the profile and sharing choices, once the badge is in hand. */
function ProfileStep(props: { registration: Registration; signedIn: boolean }) {
  const me = useLoad(() => (props.signedIn ? api<Profile>("/me") : Promise.resolve(null)), [props.signedIn]);
  return (
    <section class="card stack" aria-labelledby="profile-step">
      <h3 id="profile-step">Help people find you <span class="optional">(optional)</span></h3>
      <p class="hint">A headline, topics and mentoring help others start a conversation; you choose who sees your email and link.
        {!props.signedIn && " Only you can save your profile: it waits on this phone until you open the sign-in link we emailed you."}</p>
      {!props.signedIn ? (
        <ProfileForm draftFor={{ email: props.registration.email, eventId: props.registration.event_id }} />
      ) : me.loading ? <Loading what="your profile" /> : me.error ? <LoadFailed error={me.error} retry={me.reload} /> : (
        <ProfileForm initial={me.data ?? undefined} registrationId={props.registration.id} />
      )}
    </section>
  );
}
