// The door's memory on the phone (IndexedDB): scans not yet confirmed by the server (the offline queue every
// scanner shares, lib/offlineQueue.ts), and the event's badge list for offline decisions. A scan is written
// here before anything else happens to it, and leaves only when the server has answered it.
import { openDB, type IDBPDatabase } from "idb";
import { createPendingStore, OfflineQueue } from "../lib/offlineQueue";
import type { ScanAnswer } from "../lib/types";
import { afterAccepted, type BadgeEntry, type Decision, type Direction } from "./offline";

export interface PendingScan {
  nonce: string;
  qr?: string;
  registration_id?: number;
  /** The device's clock at the scan (ISO 8601 with offset): the server keeps it, not the sync time. */
  scanned_at: string;
  direction: Direction;
  /** What the door showed (its offline decision), to re-apply on a fresh badge list and to undo. */
  local?: Decision;
  /** The badge before this scan changed it locally (undo puts it back). */
  prior?: BadgeEntry;
}

/** A scan as POST /checkins and /checkins/batch take it. */
export interface WireScan {
  nonce: string;
  scanned_at: string;
  direction: Direction;
  qr?: string;
  registration_id?: number;
}

export function toWire(scan: PendingScan): WireScan {
  const wire: WireScan = { nonce: scan.nonce, scanned_at: scan.scanned_at, direction: scan.direction };
  if (scan.registration_id !== undefined) wire.registration_id = scan.registration_id;
  else wire.qr = scan.qr ?? "";
  return wire;
}

/** A fresh badge list, with this door's not-yet-synced check-ins laid on top (the server has not seen them). */
export function withPendingApplied(items: BadgeEntry[], pending: PendingScan[], station: string): BadgeEntry[] {
  const byId = new Map(items.map((item) => [item.registration_id, item]));
  for (const scan of [...pending].sort((a, b) => a.scanned_at.localeCompare(b.scanned_at))) {
    const id = scan.local?.registration_id;
    const badge = id != null ? byId.get(id) : undefined;
    if (badge && scan.local?.result === "accepted") byId.set(badge.registration_id, afterAccepted(badge, scan.direction, scan.scanned_at, station));
  }
  return items.map((item) => byId.get(item.registration_id)!);
}

const DB_VERSION = 1;

export class DoorStore {
  private readonly queue: OfflineQueue<PendingScan, ScanAnswer>;

  private constructor(private readonly db: IDBPDatabase) {
    this.queue = new OfflineQueue(db);
  }

  static async open(name = "netevents-door"): Promise<DoorStore> {
    const db = await openDB(name, DB_VERSION, {
      upgrade(db) {
        createPendingStore(db);
        db.createObjectStore("badges", { keyPath: "registration_id" }).createIndex("secret_hash", "secret_hash");
        db.createObjectStore("meta");
      },
    });
    return new DoorStore(db);
  }

  close(): void {
    this.db.close();
  }

  // --- scans waiting for the server -------------------------------------------------------

  addPending(scan: PendingScan): Promise<void> {
    return this.queue.add(scan);
  }

  /** Oldest scan first (the order the server applies them in anyway). */
  pending(): Promise<PendingScan[]> {
    return this.queue.all();
  }

  getPending(nonce: string): Promise<PendingScan | undefined> {
    return this.queue.get(nonce);
  }

  pendingCount(): Promise<number> {
    return this.queue.count();
  }

  removePending(nonces: string[]): Promise<void> {
    return this.queue.remove(nonces);
  }

  /**
   * Send every waiting scan (oldest first, in batches) and forget each one the server answered.
   * One sync at a time: a call while one runs waits for that one. A failed send keeps the scans.
   */
  sync(send: (scans: WireScan[]) => Promise<ScanAnswer[]>, batchSize = 200): Promise<ScanAnswer[]> {
    return this.queue.sync((scans) => send(scans.map(toWire)), batchSize);
  }

  // --- the badge list ---------------------------------------------------------------------

  badgeByHash(secretHash: string): Promise<BadgeEntry | undefined> {
    return this.db.getFromIndex("badges", "secret_hash", secretHash);
  }

  badgeById(registrationId: number): Promise<BadgeEntry | undefined> {
    return this.db.get("badges", registrationId);
  }

  allBadges(): Promise<BadgeEntry[]> {
    return this.db.getAll("badges");
  }

  badgeCount(): Promise<number> {
    return this.db.count("badges");
  }

  async putBadge(badge: BadgeEntry): Promise<void> {
    await this.db.put("badges", badge);
  }

  /**
   * Store a badge list answer: the whole list (`complete`) replaces what we had; a list of
   * changes updates those badges (a rotated badge replaces its old secret: entries are keyed by
   * registration). This door's unsynced check-ins stay applied on top.
   */
  async saveBadges(items: BadgeEntry[], complete: boolean, station: string): Promise<void> {
    const pending = await this.pending();
    const known = new Map((await this.allBadges()).map((badge) => [badge.registration_id, badge]));
    const fresh = withPendingApplied(items, pending, station).map((item) => {
      const before = known.get(item.registration_id);
      // The server's list names the station; one from before it did may not: keep what we knew then.
      const kept = item.checked_in_at && before?.checked_in_at ? before.checked_in_station : null;
      return { ...item, checked_in_station: item.checked_in_station ?? kept ?? null };
    });
    const tx = this.db.transaction("badges", "readwrite");
    await Promise.all([...(complete ? [tx.store.clear()] : []), ...fresh.map((badge) => tx.store.put(badge)), tx.done]);
  }

  // --- small settings (badge list cursor, ETag) ---------------------------------------------

  getMeta<T>(key: string): Promise<T | undefined> {
    return this.db.get("meta", key);
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.put("meta", value, key);
  }

  /** Forget the badge list and settings (unpairing). Waiting scans are kept unless `scans` is true. */
  async clear({ scans = false } = {}): Promise<void> {
    const names = scans ? ["badges", "meta", "pending"] : ["badges", "meta"];
    const tx = this.db.transaction(names, "readwrite");
    await Promise.all([...names.map((name) => tx.objectStore(name).clear()), tx.done]);
  }
}
