// One offline queue for every scanner (the door's check-ins, /scan's exchanges): actions a phone made that the
// server has not answered yet, kept in IndexedDB under their nonce with the time they happened. An action is
// written here before it is sent, and leaves only when the server has answered it: nothing acknowledged is lost,
// and a repeat of a nonce gets its first answer on the server, so sending twice is harmless.

/** What every queued action has: the nonce the server deduplicates on, and the device's clock when it happened. */
export interface Queued {
  nonce: string;
  /** ISO 8601 with offset: the server keeps this time, not the sync's. */
  scanned_at: string;
}

export const PENDING_STORE = "pending";

export function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

export function finished(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error("transaction aborted"));
  });
}

/** In a database's upgrade: the store a queue keeps its actions in (by nonce, read oldest first). */
export function createPendingStore(db: IDBDatabase): void {
  db.createObjectStore(PENDING_STORE, { keyPath: "nonce" }).createIndex("scanned_at", "scanned_at");
}

/** A fresh nonce per action: the server answers a repeated nonce with its first answer. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Open (or create) a database that holds only a queue: `/scan` keeps one per signed-in person. */
export async function openQueueDatabase(name: string): Promise<IDBDatabase> {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => createPendingStore(request.result);
  return done(request);
}

export class OfflineQueue<Item extends Queued, Answer extends { nonce: string }> {
  private syncing: Promise<Answer[]> | null = null;

  constructor(private readonly db: IDBDatabase) {}

  private store(mode: IDBTransactionMode = "readonly"): IDBObjectStore {
    return this.db.transaction(PENDING_STORE, mode).objectStore(PENDING_STORE);
  }

  /** Keep an action (the same nonce again replaces it: a queued exchange gets its tags and note later). */
  async add(item: Item): Promise<void> {
    const tx = this.db.transaction(PENDING_STORE, "readwrite");
    tx.objectStore(PENDING_STORE).put(item);
    await finished(tx);
  }

  /** Oldest first (the order the server applies them in anyway). */
  async all(): Promise<Item[]> {
    return done(this.store().index("scanned_at").getAll() as IDBRequest<Item[]>);
  }

  async get(nonce: string): Promise<Item | undefined> {
    return done(this.store().get(nonce) as IDBRequest<Item | undefined>);
  }

  async count(): Promise<number> {
    return done(this.store().count());
  }

  async remove(nonces: string[]): Promise<void> {
    const tx = this.db.transaction(PENDING_STORE, "readwrite");
    const store = tx.objectStore(PENDING_STORE);
    nonces.forEach((nonce) => store.delete(nonce));
    await finished(tx);
  }

  async clear(): Promise<void> {
    const tx = this.db.transaction(PENDING_STORE, "readwrite");
    tx.objectStore(PENDING_STORE).clear();
    await finished(tx);
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
