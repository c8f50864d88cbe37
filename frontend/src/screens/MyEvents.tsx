import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/Form";
import { MagicLinkForm } from "../components/MagicLinkForm";
import { ProfileForm } from "../components/ProfileForm";
import { Page, useSession } from "../components/Page";
import { LoadFailed, Loading, RegistrationTag } from "../components/Status";
import { api, ApiError, type Page as ApiPage } from "../lib/api";
import { signOut } from "../lib/auth";
import { forgetBadge, joinUrl, savedBadges } from "../lib/badges";
import { applyDraft, forgetDraft, loadDraft } from "../lib/profileDraft";
import { formatEventTime } from "../lib/time";
import type { Profile, Registration } from "../lib/types";
import { useLoad } from "../lib/useLoad";

/** `/me`: the events I registered for, my badges, the webinar join links. */
export default function MyEvents() {
  const session = useSession();
  if (!session) {
    const offline = savedBadges();
    return (
      <Page title="My events">
        <p>Sign in to see your registrations and badges. We email you a link; no password needed.</p>
        <MagicLinkForm next="/me" />
        {offline.length > 0 && <SavedList />}
      </Page>
    );
  }
  return <Registrations name={session.user.name} email={session.user.email} />;
}

function SavedList() {
  return (
    <>
      <h2>Badges on this phone</h2>
      <ul class="list">
        {savedBadges().map(({ registration: r }) => (
          <li class="card"><strong>{r.event.title}</strong><br /><a href={`/me/badge/${r.id}`}>Show badge</a></li>
        ))}
      </ul>
    </>
  );
}

function Registrations(props: { name: string; email: string }) {
  const list = useLoad(() => api<ApiPage<Registration>>("/me/registrations", { query: { per_page: 50 } }));
  const [error, setError] = useState<unknown>(null);
  const offline = list.error instanceof ApiError && list.error.isNetwork;

  async function cancel(registration: Registration) {
    if (!confirm(`Cancel your registration for ${registration.event.title}? Your badge stops working${registration.status === "confirmed" ? " and your place goes to the waitlist" : ""}.`)) return;
    setError(null);
    try {
      await api(`/registrations/${registration.id}/cancel`, { method: "POST" });
      forgetBadge(registration.id);
      list.reload();
    } catch (problem) {
      setError(problem);
    }
  }

  return (
    <Page title="My events">
      <div class="row signed-in">
        <p class="muted">Signed in as <strong>{props.name}</strong><br />{props.email}</p>
        <button type="button" class="button secondary small" onClick={() => signOut()}>Sign out</button>
      </div>
      <nav class="row" aria-label="My account">
        <a class="button secondary small" href="/me/connections">My connections</a>
        <a class="button secondary small" href="/me/profile">Profile, sharing and my data</a>
      </nav>
      <ErrorNote error={error} />
      {list.loading && !list.data && <Loading what="your events" />}
      {offline && <><p class="note warn">You are offline. Badges you opened before still work:</p><SavedList /></>}
      {list.error && !offline && <LoadFailed error={list.error} retry={list.reload} />}
      {list.data && list.data.items.length === 0 && <p class="card">You have not registered for anything yet. <a href="/">Find an event</a>.</p>}
      <ul class="list">
        {list.data?.items.map((r) => {
          const past = new Date(r.event.ends_at) < new Date();
          const join = r.event.kind === "webinar" && r.status === "confirmed" ? joinUrl(r) : null;
          return (
            <li class="card">
              <p><RegistrationTag status={r.status} position={r.waitlist_position} />{past && <span class="tag"> Past</span>}</p>
              <h2 style={{ marginTop: 0 }}><a href={`/e/${r.event.id}`}>{r.event.title}</a></h2>
              <p class="meta">{formatEventTime(r.event)} · {r.event.kind === "webinar" ? "Online" : r.event.venue}</p>
              {r.status === "waitlisted" && <p>You are number {r.waitlist_position} on the waitlist. We email you when a place opens.</p>}
              <div class="row">
                {r.status === "confirmed" && r.event.kind !== "webinar" && <a class="button primary" href={`/me/badge/${r.id}`}>Show badge</a>}
                {join && <a class="button primary" href={join}>Join the webinar</a>}
                {r.status === "confirmed" && <a class="button secondary" href={`/e/${r.event.id}/people`}>People here</a>}
                {r.status === "confirmed" && !past && <a class="button secondary" href={`/e/${r.event.id}/bingo`}>Bingo card</a>}
                {r.status !== "cancelled" && !past && <button type="button" class="button danger" onClick={() => cancel(r)}>Cancel registration</button>}
              </div>
            </li>
          );
        })}
      </ul>
      {!offline && <MyProfile email={props.email} />}
    </Page>
  );
}

/** My profile and sharing choices: what the registration's second step offers, here for later. A profile
 * filled in right after registering, before signing in, is saved now (the sign-in proved the address). */
function MyProfile(props: { email: string }) {
  const me = useLoad(() => api<Profile>("/me"));
  const [draft] = useState(() => loadDraft(props.email));
  const [applied, setApplied] = useState<"waiting" | "saved" | null>(draft ? "waiting" : null);
  const [applyError, setApplyError] = useState<unknown>(null);
  const { reload } = me;
  useEffect(() => {
    if (!draft) return;
    applyDraft(draft).then(
      () => {
        forgetDraft();
        setApplied("saved");
        reload();
      },
      (problem) => {
        setApplied(null);
        setApplyError(problem);
      },
    );
  }, [draft, reload]);
  const open = location.hash === "#profile" || applied !== null || applyError !== null;
  return (
    <details class="card" id="profile" open={open}>
      <summary><h2 class="summary-heading">My profile and sharing</h2></summary>
      {applied === "saved" && <p class="note ok" role="status">Your profile from registration is saved.</p>}
      {applyError && draft ? (
        <>
          <p class="note warn">Your profile from registration was not saved yet: check the fields below, then save.</p>
          <ProfileForm initial={draft.body} initialError={applyError} onSaved={() => forgetDraft()} />
        </>
      ) : applied === "waiting" || (me.loading && !me.data) ? <Loading what="your profile" /> : me.error ? <LoadFailed error={me.error} retry={me.reload} />
        : me.data && <ProfileForm key={me.data.headline + me.data.topics.join()} initial={me.data} />}
    </details>
  );
}