// The profile someone fills in right after registering, before they have proved the address is theirs.
// Anyone can type anyone's email into a registration form, so a profile is only ever saved by its signed-in
// owner: the draft waits on this phone until the emailed sign-in link is opened here, then it is saved.
import { api } from "./api";
import type { Profile, Registration } from "./types";

/** What the profile form sends: `contact_sharing` (the one choice for email and link), or, on my profile page, the
 * name, phone and `sharing` detail by detail. */
export type ProfileBody = Pick<Profile, "headline" | "company" | "topics" | "mentoring_offered" | "mentoring_sought" | "links" | "directory_opt_in">
  & Partial<Pick<Profile, "contact_sharing" | "name" | "phone" | "sharing">>;

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

/** Save a draft once its owner has signed in: their profile, and their badge for the event they registered for. */
export async function applyDraft(draft: ProfileDraft): Promise<Profile> {
  const mine = await api<{ items: Registration[] }>("/me/registrations?per_page=100");
  const registration = mine.items.find((r) => r.event_id === draft.eventId && r.status !== "cancelled");
  return saveProfile(draft.body, registration?.id);
}

/** Save the signed-in person's profile; the registration's badge prints the new headline and company too. */
export async function saveProfile(body: ProfileBody, registrationId?: number): Promise<Profile> {
  const profile = await api<Profile>("/me", { method: "PATCH", body });
  if (registrationId !== undefined) {
    await api(`/registrations/${registrationId}`, { method: "PATCH", body: { headline: body.headline, company: body.company } });
  }
  return profile;
}
