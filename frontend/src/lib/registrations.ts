// The signed-in person's own registrations, as the event page, "My events" and the profile draft use them.
import { api } from "./api";
import { forgetBadge } from "./badges";
import type { Registration } from "./types";

/** My active (not cancelled) registration for an event, if any. My registrations come newest event first, so an
 * upcoming event is on the first page. */
export async function myRegistrationFor(eventId: number): Promise<Registration | null> {
  const mine = await api<{ items: Registration[] }>("/me/registrations", { query: { per_page: 100 } });
  return mine.items.find((r) => r.event_id === eventId && r.status !== "cancelled") ?? null;
}

/** Cancel my registration once I confirm; false when I change my mind. */
export async function cancelRegistration(registration: Registration): Promise<boolean> {
  const seat = registration.status === "confirmed" ? " and your place goes to the waitlist" : "";
  if (!confirm(`Cancel your registration for ${registration.event.title}? Your badge stops working${seat}.`)) return false;
  await api(`/registrations/${registration.id}/cancel`, { method: "POST" });
  forgetBadge(registration.id);
  return true;
}
