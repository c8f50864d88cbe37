// The profile someone fills in right after registering, before they have proved the address is theirs.
// Anyone can type anyone's email into a registration form, so a profile is only ever saved by its signed-in
// owner: the draft waits on this phone until the emailed sign-in link is opened here, then it is saved.
import { api } from "./api";
import { myRegistrationFor } from "./registrations";
import type { Profile } from "./types";

/** What the profile form sends: `contact_sharing` (the one choice for email and link), or, on my profile page, the
 * name, phone and `sharing` detail by detail. */
export type ProfileBody = Pick<Profile, "headline" | "company" | "topics" | "mentoring_offered" | "mentoring_sought" | "links">
  & Partial<Pick<Profile, "directory_opt_in" | "contact_sharing" | "name" | "phone" | "sharing">>;

/** `eventId`: the event registered for, whose badge prints the new headline and company once saved. */
export interface ProfileDraft { email: string; eventId: number; body: ProfileBody; savedAt: string }

const KEY = "netevents.profileDraft";

export function saveDraft(email: string, eventId: number, body: ProfileBody): void {
  const draft: ProfileDraft = { email: email.trim().toLowerCase(), eventId, body, savedAt: new Date().toISOString() };
  localStorage.setItem(KEY, JSON.stringify(draft));
}

/** The draft kept for this address, if any. */
export function loadDraft(email: string): ProfileDraft | null {
  try {
    const draft = JSON.parse(localStorage.getItem(KEY) ?? "null") as ProfileDraft | null;
    return draft && draft.email === email.trim().toLowerCase() ? draft : null;
  } catch {
    return null;
  }
}

export function forgetDraft(): void {
  localStorage.removeItem(KEY);
}

/** What a draft may save over the profile as it stands: all of it but a directory listing that differs from a
 * choice the person made before. The listing holds for all of a person's events and the draft's form could not show
 * it as it stands (nobody was signed in): ticking "list me" while registering for one event must not silently undo
 * leaving every directory in my profile, nor an unticked box take a listed person out. An account this registration
 * made (`newAccount`) has no earlier choice, only the default: its draft is saved whole. `directory`: the listing the
 * draft asked for, where it differs, for the person to confirm. */
export function draftOver(body: ProfileBody, profile: Pick<Profile, "directory_opt_in">, newAccount = false): { body: ProfileBody; directory: boolean | null } {
  if (newAccount || body.directory_opt_in === undefined || body.directory_opt_in === profile.directory_opt_in) return { body, directory: null };
  const { directory_opt_in: asked, ...rest } = body;
  return { body: rest, directory: asked ?? null };
}

/** Whether the account was made by this registration: registering with a new address makes the account and the
 * registration in one request, and the server gives both one creation time (an account made before, for another
 * event or by signing up, is older than the registration, by however little). */
export function madeByRegistration(profile: Pick<Profile, "created_at">, registration: { created_at?: string | null } | null): boolean {
  if (!registration?.created_at) return false;
  const made = Date.parse(profile.created_at);
  return Number.isFinite(made) && made === Date.parse(registration.created_at);
}

/** Save a draft once its owner has signed in: their profile, and their badge for the event they registered for.
 * `directory`: the listing the draft asked for and did not save, because the profile's choice differs. */
export async function applyDraft(draft: ProfileDraft): Promise<{ profile: Profile; directory: boolean | null }> {
  const [me, registration] = await Promise.all([api<Profile>("/me"), myRegistrationFor(draft.eventId)]);
  const { body, directory } = draftOver(draft.body, me, madeByRegistration(me, registration));
  return { profile: await saveProfile(body, registration?.id), directory };
}

const QUESTION_KEY = "netevents.directoryQuestion";

/** A directory listing the draft asked for and the profile's choice differs from: kept on this phone until the
 * person answers (a reload does not lose it). */
export function keepDirectoryQuestion(email: string, listMe: boolean): void {
  localStorage.setItem(QUESTION_KEY, JSON.stringify({ email: email.trim().toLowerCase(), listMe }));
}

export function directoryQuestion(email: string): boolean | null {
  try {
    const kept = JSON.parse(localStorage.getItem(QUESTION_KEY) ?? "null") as { email: string; listMe: unknown } | null;
    return kept && kept.email === email.trim().toLowerCase() && typeof kept.listMe === "boolean" ? kept.listMe : null;
  } catch {
    return null;
  }
}

export function forgetDirectoryQuestion(): void {
  localStorage.removeItem(QUESTION_KEY);
}

/** Save the signed-in person's profile; the registration's badge prints the new headline and company too. */
export async function saveProfile(body: ProfileBody, registrationId?: number): Promise<Profile> {
  const profile = await api<Profile>("/me", { method: "PATCH", body });
  if (registrationId !== undefined) {
    await api(`/registrations/${registrationId}`, { method: "PATCH", body: { headline: body.headline, company: body.company } });
  }
  return profile;
}
