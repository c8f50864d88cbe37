// The door phone's identity: the station token from pairing, kept apart from any person's sign-in.
import { api, setStationTokenReader } from "../lib/api";
import type { EventSummary } from "../lib/types";

export interface StationInfo {
  id: number;
  name: string;
  status?: string;
  event: EventSummary & { venue: string };
}

export interface PairedStation { token: string; station: StationInfo }

const KEY = "netevents.station";

export function loadStation(): PairedStation | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as PairedStation) : null;
  } catch {
    return null;
  }
}

export function saveStation(paired: PairedStation | null): void {
  if (paired) localStorage.setItem(KEY, JSON.stringify(paired));
  else localStorage.removeItem(KEY);
}

setStationTokenReader(() => loadStation()?.token ?? null);

export async function pairStation(code: string): Promise<PairedStation> {
  const paired = await api<PairedStation>("/stations/pair", { method: "POST", body: { code }, auth: "none" });
  saveStation(paired);
  return paired;
}
