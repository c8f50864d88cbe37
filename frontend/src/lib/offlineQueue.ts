// One offline queue for every scanner (the door's check-ins, /scan's exchanges): actions a phone made that the
// server has not answered yet, kept in IndexedDB under their nonce with the time they happened. An action is
// written here before it is sent, and leaves only when the server has answered it: nothing acknowledged is lost,
// and a repeat of a nonce gets its first answer on the server, so sending twice is harmless. IndexedDB through idb.
import { openDB, type IDBPDatabase } from "idb";

/** What every queued action has: the nonce the server deduplicates on, and the device's clock when it happened. */
export interface Queued {
  nonce: string;
  /** ISO 8601 with offset: the server keeps this time, not the sync's. */
  scanned_at: string;
}

export const PENDING_STORE = "pending";

/** In a database's upgrade: the store a queue keeps its actions in (by nonce, read oldest first). */
export function createPendingStore(db: IDBPDatabase): void {
  db.createObjectStore(PENDING_STORE, { keyPath: "nonce" }).createIndex("scanned_at", "scanned_at");
}

/** A fresh nonce per action: the server answers a repeated nonce with its first answer. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Open (or create) a database that holds only a queue: `/scan` keeps one per signed-in person. */
export function openQueueDatabase(name: string): Promise<IDBPDatabase> {
  return openDB(name, 1, { upgrade: (db) => createPendingStore(db) });
}

export class OfflineQueue<Item extends Queued, Answer extends { nonce: string }> {
  private syncing: Promise<Answer[]> | null = null;

  constructor(private readonly db: IDBPDatabase) {}

  /** Keep an action (the same nonce again replaces it: a queued exchange gets its tags and note later). */
  async add(item: Item): Promise<void> {
    await this.db.put(PENDING_STORE, item);
  }

  /** Oldest first (the order the server applies them in anyway). */
  all(): Promise<Item[]> {
    return this.db.getAllFromIndex(PENDING_STORE, "scanned_at");
  }

  get(nonce: string): Promise<Item | undefined> {
    return this.db.get(PENDING_STORE, nonce);
  }

  count(): Promise<number> {
    return this.db.count(PENDING_STORE);
  }

  async remove(nonces: string[]): Promise<void> {
    const tx = this.db.transaction(PENDING_STORE, "readwrite");
    await Promise.all([...nonces.map((nonce) => tx.store.delete(nonce)), tx.done]);
  }

  async clear(): Promise<void> {
    await this.db.clear(PENDING_STORE);
  }

  /**
   * Send every waiting action (oldest first, in batches) and forget each one the server answered.
   * One sync at a time: a call while one runs waits for that one. A failed send keeps the actions.
   */
  sync(send: (items: Item[]) => Promise<Answer[]>, batchSize = 200): Promise<Answer[]> {
    if (!this.syncing) {
      this.syncing = this.drain(send, batchSize).finally(() => {
        this.syncing = null;
      });
    }
    return this.syncing;
  }

  private async drain(send: (items: Item[]) => Promise<Answer[]>, batchSize: number): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (;;) {
      const batch = (await this.all()).slice(0, batchSize);
      if (batch.length === 0) return answers;
      const results = await send(batch);
      const sent = new Set(batch.map((item) => item.nonce));
      const answered = results.map((answer) => answer.nonce).filter((nonce) => sent.has(nonce));
      await this.remove(answered);
      answers.push(...results);
      // A short batch was the last; an answer that confirms nothing would only repeat itself.
      if (batch.length < batchSize || answered.length === 0) return answers;
    }
  }
}
