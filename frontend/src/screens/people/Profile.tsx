import { useEffect, useState } from "preact/hooks";
import { ErrorNote, Field } from "../../components/Form";
import { MagicLinkForm } from "../../components/MagicLinkForm";
import { Page, useSession } from "../../components/Page";
import { PersonCard } from "../../components/PersonCard";
import { ProfileForm } from "../../components/ProfileForm";
import { Sheet } from "../../components/Sheet";
import { LoadFailed, Loading } from "../../components/Status";
import { api } from "../../lib/api";
import { downloadFile } from "../../lib/download";
import {
  blockedName, cardAs, DELETE_WORD, deleteConfirmed, deleteMyAccount, exportFileName, hiddenFrom, loadBlocks, unblockPerson,
  type PreviewProfile, type Viewer,
} from "../../lib/people";
import { draftOver, forgetDraft, loadDraft, type ProfileBody } from "../../lib/profileDraft";
import { getSession, setSession } from "../../lib/session";
import { formatDateTime } from "../../lib/time";
import type { Block, EmailPreferences, Profile as MyProfile } from "../../lib/types";
import { useLoad } from "../../lib/useLoad";
import "./people.css";

/** `/me/profile`: my profile and who sees each detail (with a preview of what others see), the directory, my email
 * preferences, the people I blocked, and my data: download it, or delete my account. */
export default function Profile() {
  const session = useSession();
  const [deleted, setDeleted] = useState(false);
  if (deleted) {
    return (
      <Page title="Your account is deleted">
        <p class="note ok" role="status" data-testid="account-deleted">Your profile, registrations, badges, connections and notes are gone, and you are signed out on this phone.</p>
        <p>Thank you for using netevents. <a href="/">See upcoming events</a></p>
      </Page>
    );
  }
  if (!session) {
    return (
      <Page title="My profile">
        <p>Sign in to change your profile, who sees what, and your email; or to download or delete your data. We email you a link; no password needed.</p>
        <MagicLinkForm next="/me/profile" />
      </Page>
    );
  }
  return <SignedIn onDeleted={() => setDeleted(true)} />;
}

function SignedIn(props: { onDeleted: () => void }) {
  const me = useLoad(() => api<MyProfile>("/me"));
  // A profile from registration that could not be saved on "My events" (a field to fix) waits here, filled in.
  const [draft, setDraft] = useState(() => loadDraft(getSession()?.user.email ?? ""));
  // Opened at #directory (from an event's people), the directory's choice is in view.
  useEffect(() => {
    if (me.data && location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView({ block: "center" });
  }, [me.data]);

  function saved(profile: MyProfile | null) {
    if (!profile) return;
    forgetDraft();
    setDraft(null);
    me.set(profile);
    const session = getSession();
    if (session && session.user.name !== profile.name) setSession({ ...session, user: { ...session.user, name: profile.name } });
  }

  return (
    <Page title="My profile" wide back={{ href: "/me", label: "My events" }}>
      {me.loading && !me.data && <Loading what="your profile" lines={6} />}
      {me.error ? <LoadFailed error={me.error} retry={me.reload} /> : null}
      {me.data && (
        <>
          <section class="card profile-section" aria-labelledby="profile-heading">
            <h2 id="profile-heading">Profile and sharing</h2>
            <p class="muted">What people at your events learn about you, and who sees each detail. Signed in as {me.data.email}.</p>
            {draft && <p class="note warn" data-testid="draft-waiting">Your profile from registration is filled in below, not saved yet: check it, then save.</p>}
            <ProfileForm detailed class="profile-form" initial={draft ? { ...me.data, ...draftOver(draft.body, me.data).body } : me.data} onSaved={saved}
              preview={(body) => <Preview me={me.data!} body={body} />} />
          </section>
          <EmailChoices preferences={me.data.email_preferences} onSaved={me.set} />
          <Blocked />
          <MyData email={me.data.email} onDeleted={props.onDeleted} />
        </>
      )}
    </Page>
  );
}

const VIEWERS: { value: Viewer; label: string }[] = [
  { value: "attendee", label: "Someone at my events" },
  { value: "connection", label: "Someone I met" },
];

/** What others see of me, from the form as it is now (the same rules as every screen that shows me). */
function Preview(props: { me: MyProfile; body: ProfileBody }) {
  const [viewer, setViewer] = useState<Viewer>("attendee");
  const { me, body } = props;
  const edited: PreviewProfile = {
    ...me, ...body, name: body.name?.trim() || me.name, phone: body.phone ?? me.phone,
    sharing: { ...me.sharing, ...body.sharing } as PreviewProfile["sharing"],
  };
  const hidden = hiddenFrom(edited, viewer);
  return (
    <aside class="profile-preview" aria-labelledby="preview-heading">
      <h3 id="preview-heading">What others see</h3>
      <div class="segmented" role="radiogroup" aria-label="Seen by">
        {VIEWERS.map((option) => (
          <label class={viewer === option.value ? "on" : undefined}>
            <input type="radio" name="preview-viewer" value={option.value} checked={viewer === option.value}
              onChange={() => setViewer(option.value)} />
            {option.label}
          </label>
        ))}
      </div>
      <div data-testid="preview-card" aria-live="polite">
        <PersonCard person={cardAs(edited, viewer)} preview headingLevel={3} />
      </div>
      <p class="hint">{hidden.length ? `Hidden from them: ${hidden.join(", ")}.` : "They see everything on your profile."} Changes show here as you make them; others see them once you save.</p>
    </aside>
  );
}

const EMAILS: { key: keyof Required<EmailPreferences>; label: string; help: string }[] = [
  { key: "follow_up", label: "After an event: the people I met", help: "Who you met, your notes, their shared contact details, and people you missed. If you could not come: what is next." },
  { key: "stay_connected", label: "Weeks later: a nudge to stay in touch", help: "The people you met and have not followed up with yet." },
];

/** Emails I can turn off, each saved as soon as it changes. */
function EmailChoices(props: { preferences: EmailPreferences; onSaved: (profile: MyProfile) => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  // Shown as chosen at once; put back if saving fails.
  const [chosen, setChosen] = useState(props.preferences);
  async function change(key: keyof EmailPreferences, on: boolean) {
    const before = chosen;
    setChosen({ ...chosen, [key]: on });
    setBusy(key);
    setError(null);
    setSaved(null);
    try {
      props.onSaved(await api<MyProfile>("/me", { method: "PATCH", body: { email_preferences: { [key]: on } } }));
      setSaved(on ? "You will get these emails." : "Turned off: you will not get these emails.");
    } catch (problem) {
      setChosen(before);
      setError(problem);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section class="card profile-section" aria-labelledby="emails-heading">
      <h2 id="emails-heading">Email from netevents</h2>
      <fieldset class="bare">
        <legend class="sr-only">Emails you get</legend>
        {EMAILS.map(({ key, label, help }) => (
          <div class="choice">
            <input type="checkbox" id={`email-${key}`} aria-describedby={`email-${key}-help`} checked={chosen[key] !== false}
              disabled={busy === key} onChange={(event) => change(key, (event.target as HTMLInputElement).checked)} />
            <span><label for={`email-${key}`}>{label}</label><small id={`email-${key}-help`}>{help}</small></span>
          </div>
        ))}
      </fieldset>
      <p class="hint">Sign-in links, registration confirmations and changes to your events always come.</p>
      <p role="status" class={saved ? "note ok" : "sr-only"}>{saved}</p>
      <ErrorNote error={error} />
    </section>
  );
}

function Blocked() {
  const list = useLoad(loadBlocks);
  const [error, setError] = useState<unknown>(null);
  const [lifted, setLifted] = useState<string | null>(null);
  async function unblock(block: Block) {
    setError(null);
    try {
      await unblockPerson(block.user_id);
      setLifted(`${block.name ?? "They"} can see you again where you both are, and you them. Your connection does not come back: you both scan each other's badge to connect again.`);
      list.set((list.data ?? []).filter((other) => other.user_id !== block.user_id));
    } catch (problem) {
      setError(problem);
    }
  }
  return (
    <section class="card profile-section" aria-labelledby="blocked-heading">
      <h2 id="blocked-heading">People you blocked</h2>
      {list.loading && !list.data && <Loading what="the people you blocked" lines={2} />}
      {list.error ? <LoadFailed error={list.error} retry={list.reload} /> : null}
      {list.data && list.data.length === 0 && (
        <p class="muted">Nobody. To block someone, use “Block” on their card in an event's people. They get no message; only a scan of your badge tells them they cannot connect with you.</p>
      )}
      {list.data && list.data.length > 0 && (
        <ul class="list blocked-list">
          {list.data.map((block) => (
            <li>
              <span><strong>{blockedName(block)}</strong><small class="muted">Blocked {formatDateTime(block.blocked_at)}</small></span>
              <button type="button" class="button secondary small" onClick={() => unblock(block)}>
                Unblock<span class="sr-only"> {block.name ?? "this person"}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {lifted && <p class="note ok" role="status">{lifted}</p>}
      <ErrorNote error={error} />
    </section>
  );
}

function MyData(props: { email: string; onDeleted: () => void }) {
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [deleting, setDeleting] = useState(false);
  async function download() {
    setExporting(true);
    setError(null);
    try {
      await downloadFile("/me/export", exportFileName(), "application/json");
      setExported(true);
    } catch (problem) {
      setError(problem);
    } finally {
      setExporting(false);
    }
  }
  return (
    <section class="card profile-section" aria-labelledby="data-heading">
      <h2 id="data-heading">Your data</h2>
      <p>Everything netevents holds about you, in one JSON file: your profile, registrations, connections with your notes, the people you blocked, your bingo cards.</p>
      <div class="row">
        <button type="button" class="button secondary" disabled={exporting} onClick={download}>{exporting ? "Preparing…" : "Download my data"}</button>
        <button type="button" class="button danger" onClick={() => setDeleting(true)}>Delete my account…</button>
      </div>
      {exported && <p class="note ok" role="status">Downloaded: look for {exportFileName()} in your downloads.</p>}
      <ErrorNote error={error} />
      {deleting && <DeleteSheet email={props.email} onClose={() => setDeleting(false)} onDeleted={props.onDeleted} />}
    </section>
  );
}

/** Deleting asks for a typed word, after saying what goes and what stays. */
function DeleteSheet(props: { email: string; onClose: () => void; onDeleted: () => void }) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  // The sheet opens on the word to type (after the dialog itself took the focus).
  useEffect(() => document.getElementById("field-confirm-delete")?.focus(), []);
  async function confirm(event: Event) {
    event.preventDefault();
    if (!deleteConfirmed(typed)) return;
    setBusy(true);
    setError(null);
    try {
      await deleteMyAccount();
      props.onDeleted();
    } catch (problem) {
      setError(problem);
      setBusy(false);
    }
  }
  return (
    <Sheet title="Delete your account?" onClose={props.onClose}>
      <form class="stack" onSubmit={confirm} noValidate>
        <p>This deletes, at once and for good, everything of <strong>{props.email}</strong>:</p>
        <ul class="delete-list">
          <li>your profile and sharing choices, and your sign-in;</li>
          <li>your registrations and badges (your places go to the waitlist);</li>
          <li>your connections, your notes and tags, and the people you blocked;</li>
          <li>your bingo cards and the emails we keep for you.</li>
        </ul>
        <p>The people you met no longer see you in their connections. Event check-in counts keep a number, not your name. Download your data first if you want a copy.</p>
        <Field label={`Type “${DELETE_WORD}” to confirm`} name="confirm-delete" required autoComplete="off" autoCapitalize="none" spellcheck={false}
          value={typed} onInput={(changed) => setTyped((changed.target as HTMLInputElement).value)} />
        <ErrorNote error={error} />
        <div class="row">
          <button class="button danger" disabled={busy || !deleteConfirmed(typed)}>{busy ? "Deleting…" : "Delete my account"}</button>
          <button type="button" class="button secondary" onClick={props.onClose}>Keep my account</button>
        </div>
      </form>
    </Sheet>
  );
}
