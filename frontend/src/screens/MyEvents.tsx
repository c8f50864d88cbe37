import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../components/Form";
import { MagicLinkForm } from "../components/MagicLinkForm";
import { Page, useSession } from "../components/Page";
import { LoadFailed, Loading, RegistrationTag } from "../components/Status";
import { api, ApiError, type Page as ApiPage } from "../lib/api";
import { signOut } from "../lib/auth";
import { joinUrl, savedBadges } from "../lib/badges";
import { applyDraft, directoryQuestion, forgetDirectoryQuestion, forgetDraft, keepDirectoryQuestion, loadDraft } from "../lib/profileDraft";
import { cancelRegistration } from "../lib/registrations";
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
    setError(null);
    try {
      if (await cancelRegistration(registration)) list.reload();
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
      {!offline && <DraftSaved email={props.email} />}
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

    </Page>
  );
}

/** A profile filled in right after registering, before signing in, is saved now (the sign-in proved the address).
 * The profile itself is at /me/profile. A directory listing the draft asked for that differs from a choice the person
 * made before (an account older than this registration) is not saved behind their back: they are asked, and the
 * question stays on this phone until they answer it. */
function DraftSaved(props: { email: string }) {
  const [draft] = useState(() => loadDraft(props.email));
  const [asked] = useState(() => directoryQuestion(props.email));
  const [state, setState] = useState<"saving" | "saved" | "failed" | null>(draft ? "saving" : asked !== null ? "saved" : null);
  const [directory, setDirectoryQuestion] = useState<boolean | null>(draft ? null : asked);
  const [listed, setListed] = useState<boolean | null>(null);
  const [error, setError] = useState<unknown>(null);
  const setDirectory = (question: boolean | null) => {
    if (question === null) forgetDirectoryQuestion();
    else keepDirectoryQuestion(props.email, question);
    setDirectoryQuestion(question);
  };
  useEffect(() => {
    if (!draft) return;
    applyDraft(draft).then(
      (saved) => {
        if (saved.directory !== null) keepDirectoryQuestion(props.email, saved.directory);
        setDirectoryQuestion(saved.directory);
        forgetDraft();
        setState("saved");
      },
      (problem) => {
        setState("failed");
        setError(problem);
      },
    );
  }, [draft, props.email]);

  async function choose(listMe: boolean) {
    setError(null);
    try {
      await api<Profile>("/me", { method: "PATCH", body: { directory_opt_in: listMe } });
      setListed(listMe);
      setDirectory(null);
    } catch (problem) {
      setError(problem);
    }
  }

  if (state === null) return null;
  return (
    <section class="card stack" aria-labelledby="draft-heading" data-testid="draft-saved">
      <h2 id="draft-heading" class="summary-heading">Your profile from registration</h2>
      {state === "saving" && <Loading what="your profile" />}
      {state === "saved" && <p class="note ok" role="status">Saved. <a href="/me/profile">See or change your profile</a>.</p>}
      {state === "failed" && <p class="note warn">Not saved yet: <a href="/me/profile">check it in your profile</a>, then save.</p>}
      {directory !== null && (
        <div class="stack" data-testid="directory-question">
          <p>{directory
            ? "When you registered you ticked “list me in the directory”, but your profile keeps you out of every event's directory. Which do you want?"
            : "When you registered you left “list me in the directory” unticked, but your profile lists you in the directory of every event you attend. Which do you want?"}</p>
          <div class="row">
            <button type="button" class="button primary" onClick={() => choose(directory)}>{directory ? "List me in event directories" : "Take me out of every directory"}</button>
            <button type="button" class="button secondary" onClick={() => setDirectory(null)}>{directory ? "Keep me out" : "Keep me listed"}</button>
          </div>
        </div>
      )}
      {listed !== null && <p class="note ok" role="status">{listed ? "You are listed in the directory of every event you attend." : "You are out of every event's directory."}</p>}
      <ErrorNote error={error} />
    </section>
  );
}
