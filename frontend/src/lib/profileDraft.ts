// The profile someone fills in right after registering, before they have proved the address is theirs.
// Anyone can type anyone's email into a registration form, so a profile is only ever saved by its signed-in
// owner: the draft waits on this phone until the emailed sign-in link is opened here, then it is saved.
import { api } from "./api";
import type { Profile } from "./types";

export type ProfileBody = Pick<Profile, "headline" | "company" | "topics" | "mentoring_offered" | "mentoring_sought" | "links" | "contact_sharing" | "directory_opt_in">;

export interface ProfileDraft { email: string; registrationId: number; body: ProfileBody; savedAt: string }

const KEY = "netevents.profileDraft";

export function saveDraft(email: string, registrationId: number, body: ProfileBody): void {
  const draft: ProfileDraft = { email: email.trim().toLowerCase(), registrationId, body, savedAt: new Date().toISOString() };
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

/** Save the signed-in person's profile; the registration's badge prints the new headline and company too. */
export async function saveProfile(body: ProfileBody, registrationId?: number): Promise<Profile> {
  const profile = await api<Profile>("/me", { method: "PATCH", body });
  if (registrationId !== undefined) {
    await api(`/registrations/${registrationId}`, { method: "PATCH", body: { headline: body.headline, company: body.company } });
  }
  return profile;
}
