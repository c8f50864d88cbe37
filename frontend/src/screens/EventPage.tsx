import { useState } from "preact/hooks";
import { Page, useSession } from "../components/Page";
import { KindTag, LoadFailed, Loading, RegistrationTag } from "../components/Status";
import { RegisterForm } from "../components/RegisterForm";
import { api } from "../lib/api";
import { formatEventTime, zoneLabel } from "../lib/time";
import type { NetEvent, Registration } from "../lib/types";
import { useLoad } from "../lib/useLoad";

/** `/e/{id}`: the event, and the registration form (or why registering is not possible). */
export default function EventPage(props: { params: { eventId: string } }) {
  const session = useSession();
  const event = useLoad(() => api<NetEvent>(`/events/${props.params.eventId}`), [props.params.eventId]);
  const [registered, setRegistered] = useState<Registration | null>(null);
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
      <p><a href={`/api/v1/events/${e.id}/calendar.ics`} download>Add to calendar (.ics)</a></p>
      {e.description && <p class="description">{e.description}</p>}
      {e.viewer_is_organizer && <p class="note">You organize this event. <a href={`/organize/events/${e.id}`}>Manage it</a>.</p>}

      <h2 id="register">Register</h2>
      {registered ? (
        <Registered registration={registered} signedIn={!!session} />
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
          <RegisterForm event={e} onRegistered={(registration) => {
            setRegistered(registration);
            event.reload();
          }} />
        </>
      )}
    </Page>
  );
}

function Registered(props: { registration: Registration; signedIn: boolean }) {
  const r = props.registration;
  if (r.status === "waitlisted") {
    return (
      <div class="card" role="status">
        <p><RegistrationTag status={r.status} position={r.waitlist_position} /></p>
        <p><strong>You are on the waitlist{r.waitlist_position ? `, number ${r.waitlist_position}` : ""}.</strong></p>
        <p>If someone cancels, you move up automatically and we email {r.email} at once with your badge.</p>
      </div>
    );
  }
  return (
    <div class="card" role="status">
      <p><RegistrationTag status={r.status} /></p>
      <p><strong>You are registered, {r.name}!</strong></p>
      <p>Your badge QR code, a calendar file and a sign-in link are on their way to <strong>{r.email}</strong>.
        Show the QR code at the door{r.event.kind === "webinar" ? "; for a webinar, the email has your personal join link" : ""}.</p>
      {props.signedIn
        ? <a class="button primary block" href={`/me/badge/${r.id}`}>Show my badge</a>
        : <p class="muted">Open the sign-in link in the email to see your badge in “My events”, even offline.</p>}
    </div>
  );
}
