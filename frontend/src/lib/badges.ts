// "My badge" kept on this phone once opened, so it shows at the door with no network.
import { api, request } from "./api";
import type { BadgeCard, Registration } from "./types";

/** `shown`: the headline and company the badge shows to everyone (what its holder shares with everyone at the
 * event, as on the printed badge); absent in a badge saved before it was kept, which then shows neither. */
export interface SavedBadge {
  registration: Registration;
  svg: string;
  savedAt: string;
  shown?: Pick<BadgeCard, "headline" | "company">;
}

const key = (registrationId: number | string) => `netevents.badge.${registrationId}`;

export function savedBadge(registrationId: number | string): SavedBadge | null {
  try {
    const raw = localStorage.getItem(key(registrationId));
    return raw ? (JSON.parse(raw) as SavedBadge) : null;
  } catch {
    return null;
  }
}

export function savedBadges(): SavedBadge[] {
  return Object.keys(localStorage).filter((name) => name.startsWith("netevents.badge."))
    .map((name) => savedBadge(name.slice("netevents.badge.".length)))
    .filter((badge): badge is SavedBadge => badge !== null);
}

export function forgetBadge(registrationId: number | string): void {
  localStorage.removeItem(key(registrationId));
}

/** Fetch the registration, its QR and what it shows to everyone, and keep them on the phone. */
export async function fetchBadge(registrationId: number | string): Promise<SavedBadge> {
  const registration = await api<Registration>(`/registrations/${registrationId}`);
  const svg = await (await request(`/registrations/${registrationId}/badge.svg`, { headers: { Accept: "image/svg+xml" } })).text();
  const secret = registration.badge_url?.split("/b/")[1];
  const card = secret ? await api<BadgeCard>(`/badges/${encodeURIComponent(secret)}`) : null;
  const shown = { headline: card?.headline ?? null, company: card?.company ?? null };
  const badge = { registration, svg, savedAt: new Date().toISOString(), shown };
  localStorage.setItem(key(registrationId), JSON.stringify(badge));
  return badge;
}

/** The personal webinar link (/j/{secret}) of a registration: same secret as the badge. */
export function joinUrl(registration: Pick<Registration, "badge_url">): string | null {
  return registration.badge_url ? registration.badge_url.replace("/b/", "/j/") : null;
}
