// The signed-in person's token (attendee and organizer alike), kept in localStorage.
// The door's station token lives apart, in door/station.ts: a door phone is not a person.

export interface SessionUser { id: number; name: string; email: string }
export interface Session { token: string; user: SessionUser }

const KEY = "netevents.session";
type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

export function getSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function setSession(session: Session | null): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  listeners.forEach((listener) => listener(session));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
