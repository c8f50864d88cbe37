// Everything the door screen does, apart from drawing it: scan, decide (the server's answer, or
// our own from the badge list when the network is away), remember, sync, undo, search, walk in.
// Every scan goes into the IndexedDB queue first and leaves it only once the server answered.
import { api, ApiError, request } from "../lib/api";
import type { ScanAnswer, WalkIn, WalkInInput } from "../lib/types";
import { count } from "../lib/plural";
import { nowIso } from "../lib/time";
import { signal } from "./feedback";
import {
  afterAccepted, badgeSecretFromQr, decideOffline, lastScanText, newNonce, resultKind, sha256Hex,
  type BadgeEntry, type Decision, type Direction,
} from "./offline";
import { DoorStore, toWire, type PendingScan } from "./queue";
import { loadStation, saveStation, type PairedStation, type StationInfo } from "./station";

/** How long a scan waits for the server before the door decides by itself. */
const ONLINE_ANSWER_MS = 1500;
const SYNC_EVERY_MS = 5000;
const BADGES_EVERY_MS = 30000;

export interface ShownResult {
  key: number;
  decision: Decision;
  direction: Direction;
  /** Decided by this phone, not yet confirmed by the server. */
  offline: boolean;
}

export interface LastScan {
  nonce: string;
  id: number | null;
  name: string | null;
  result: "accepted" | "rejected";
  direction: Direction;
  undone: boolean;
  /** What happened, after the name: "checked in at 18:40", "already inside since 18:42 (Door A)". */
  summary?: string;
}

/** What this phone scanned since it was paired: kept in its store, so a reload (offline too) keeps it. */
interface Tally { last: LastScan | null; accepted: number; repeated: number; refused: number }

export interface DoorState {
  online: boolean;
  pending: number;
  badges: number;
  badgesCheckedAt: string | null;
  shown: ShownResult | null;
  last: LastScan | null;
  accepted: number;
  /** Badges shown again by people already inside: harmless, not refusals. */
  repeated: number;
  refused: number;
  direction: Direction;
  /** Pairing lost: the station was revoked, or another phone was paired with a new code. */
  blocked: string | null;
  /** A short message about the last action (undo, sync results). */
  notice: string | null;
}

export interface Match {
  registration_id: number;
  name: string;
  headline: string;
  company: string;
  status: BadgeEntry["status"];
  checked_in_at: string | null;
  checked_in_station?: string | null;
  inside: boolean;
}

export type { WalkInInput };
export type WalkInResult = WalkIn;

export class DoorController {
  state: DoorState = {
    online: navigator.onLine, pending: 0, badges: 0, badgesCheckedAt: null, shown: null, last: null,
    accepted: 0, repeated: 0, refused: 0, direction: "entry", blocked: null, notice: null,
  };
  private listeners = new Set<(state: DoorState) => void>();
  private timers: number[] = [];
  private shownKey = 0;
  /** Undone before the server had them: if a sync sent them meanwhile, undo there too. */
  private undoneNonces = new Set<string>();
  private readonly onOnline = () => {
    this.set({ online: true });
    void this.syncNow();
    void this.refreshBadges();
    void this.refreshStation();
  };
  private readonly onOffline = () => this.set({ online: false });

  /** This station and its event as the server last described them (the check-in window can change). */
  private station: StationInfo;

  constructor(readonly paired: PairedStation, private readonly store: DoorStore) {
    this.station = paired.station;
  }

  get timeZone(): string {
    return this.station.event.timezone;
  }

  subscribe(listener: (state: DoorState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private set(changes: Partial<DoorState>): void {
    // A request that finished just as the browser went offline must not show "Online": the browser's word
    // is the latest, and its "online" event brings us back.
    if (changes.online && !navigator.onLine) changes = { ...changes, online: false };
    this.state = { ...this.state, ...changes };
    this.listeners.forEach((listener) => listener(this.state));
    if ("last" in changes || "accepted" in changes || "repeated" in changes || "refused" in changes) void this.saveTally();
  }

  private async saveTally(): Promise<void> {
    const { last, accepted, repeated, refused } = this.state;
    await this.store.setMeta("tally", { last, accepted, repeated, refused } satisfies Tally).catch(() => undefined);
  }

  /** The last scan and the counters of before a reload. */
  private async loadTally(): Promise<void> {
    const tally = await this.store.getMeta<Tally>("tally");
    if (tally) this.set({ last: tally.last, accepted: tally.accepted, repeated: tally.repeated ?? 0, refused: tally.refused ?? 0 });
  }

  async start(): Promise<void> {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.timers.push(window.setInterval(() => void this.syncNow(), SYNC_EVERY_MS));
    this.timers.push(window.setInterval(() => {
      void this.refreshBadges();
      void this.refreshStation();
    }, BADGES_EVERY_MS));
    await this.loadTally();
    await this.countLocal();
    void this.refreshStation();
    await this.refreshBadges({ full: true });
    await this.syncNow();
  }

  /** The event's current check-in window (an organizer may have moved it), kept for offline decisions. */
  async refreshStation(): Promise<void> {
    if (this.state.blocked || !navigator.onLine) return;
    try {
      this.station = await api<StationInfo>("/station", { auth: "station", timeoutMs: 10000 });
      if (loadStation()?.token === this.paired.token) saveStation({ token: this.paired.token, station: this.station });
    } catch {
      // The badge list's refresh says what went wrong (offline, or the pairing lost).
    }
  }

  dispose(): void {
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    this.timers.forEach(clearInterval);
    this.listeners.clear();
  }

  setDirection(direction: Direction): void {
    this.set({ direction });
  }

  dismiss(): void {
    this.set({ shown: null });
  }

  private async countLocal(): Promise<void> {
    this.set({ pending: await this.store.pendingCount(), badges: await this.store.badgeCount() });
  }

  // --- scanning -----------------------------------------------------------------------------

  async scanQr(text: string): Promise<void> {
    const secret = badgeSecretFromQr(text);
    const badge = secret ? await this.store.badgeByHash(await sha256Hex(secret)) : undefined;
    await this.scan({ qr: text }, badge);
  }

  async scanRegistration(registrationId: number): Promise<void> {
    await this.scan({ registration_id: registrationId }, await this.store.badgeById(registrationId));
  }

  private async scan(input: { qr?: string; registration_id?: number }, badge: BadgeEntry | undefined): Promise<void> {
    const direction = this.state.direction;
    const scannedAt = nowIso();
    const { checkin_opens_at: opensAt, checkin_closes_at: closesAt } = this.station.event;
    const local = decideOffline(badge, direction, { timeZone: this.timeZone, scannedAt, opensAt, closesAt });
    const pending: PendingScan = { nonce: newNonce(), scanned_at: scannedAt, direction, ...input, local, prior: badge };
    await this.store.addPending(pending);
    let decision: Decision = local;
    let offline = true;
    let id: number | null = null;
    if (navigator.onLine && !this.state.blocked) {
      try {
        const answer = await api<ScanAnswer>("/checkins", {
          method: "POST", body: toWire(pending), auth: "station", timeoutMs: ONLINE_ANSWER_MS,
        });
        await this.store.removePending([pending.nonce]);
        await this.learn(answer, badge);
        // Revoked: this answer is the last the server gives this phone (its next requests get 403).
        if (answer.reason === "station_revoked") this.set({ blocked: answer.message });
        decision = answer;
        offline = false;
        id = answer.id;
        this.set({ online: true });
      } catch (error) {
        if (!(await this.handleRefusal(error, pending))) this.set({ online: !(error instanceof ApiError && error.isNetwork) });
      }
    }
    if (offline && local.result === "accepted" && badge) {
      await this.store.putBadge(afterAccepted(badge, direction, pending.scanned_at, this.station.name));
    }
    this.show(decision, direction, offline);
    this.record(decision, direction, pending.nonce, id, pending.scanned_at);
    this.set({ notice: null });
    await this.countLocal();
  }

  /**
   * The server refused the request itself (not the scan). Pairing lost (401/403): keep the scan,
   * it syncs once the phone is paired again. Invalid (4xx): it never will; drop it.
   * Returns true when the error was such a refusal.
   */
  private async handleRefusal(error: unknown, pending: PendingScan): Promise<boolean> {
    if (!(error instanceof ApiError) || error.isNetwork || error.status >= 500 || error.status === 429) return false;
    if (error.status === 401 || error.status === 403) {
      this.set({ blocked: error.message });
    } else {
      await this.store.removePending([pending.nonce]);
      this.set({ notice: error.message });
    }
    return true;
  }

  /** Keep the badge list in step with what the server just said. */
  private async learn(answer: ScanAnswer, badge: BadgeEntry | undefined): Promise<void> {
    if (!badge) {
      if (answer.result === "accepted") void this.refreshBadges(); // registered after our last list
      return;
    }
    if (answer.result === "accepted" && !answer.undone) {
      await this.store.putBadge(afterAccepted(badge, answer.direction, answer.scanned_at, this.station.name));
    } else if (answer.reason === "already_checked_in" && answer.first_checkin) {
      await this.store.putBadge({
        ...badge, inside: true, checked_in_at: answer.first_checkin.at, checked_in_station: answer.first_checkin.station_name,
      });
    }
  }

  private show(decision: Decision, direction: Direction, offline: boolean): void {
    this.set({ shown: { key: ++this.shownKey, decision, direction, offline } });
    signal(resultKind(decision));
  }

  /** The last-scan line and the counters. */
  private record(decision: Decision, direction: Direction, nonce: string, id: number | null, scannedAt: string, name = decision.attendee?.name ?? null): void {
    const kind = resultKind(decision);
    this.set({
      last: { nonce, id, name, result: decision.result, direction, undone: false, summary: lastScanText(decision, direction, scannedAt, this.timeZone) },
      accepted: this.state.accepted + (kind === "accepted" ? 1 : 0),
      repeated: this.state.repeated + (kind === "repeat" ? 1 : 0),
      refused: this.state.refused + (kind === "refused" ? 1 : 0),
    });
  }

  // --- sync ---------------------------------------------------------------------------------

  async syncNow(): Promise<void> {
    if (this.state.blocked || !navigator.onLine || (await this.store.pendingCount()) === 0) return;
    const localDecisions = new Map((await this.store.pending()).map((scan) => [scan.nonce, scan.local]));
    try {
      const answers = await this.store.sync(async (scans) =>
        (await api<{ results: ScanAnswer[] }>("/checkins/batch", { method: "POST", body: { scans }, auth: "station", timeoutMs: 20000 })).results,
      );
      this.set({ online: true });
      await this.afterSync(answers, localDecisions);
    } catch (error) {
      if (error instanceof ApiError && !error.isNetwork && (error.status === 401 || error.status === 403)) {
        this.set({ blocked: error.message });
      } else if (error instanceof ApiError && error.isNetwork) {
        this.set({ online: false });
      } else if (error instanceof ApiError) {
        this.set({ notice: `Waiting scans could not be sent: ${error.message}` });
      }
    }
    await this.countLocal();
  }

  private async afterSync(answers: ScanAnswer[], localDecisions: Map<string, Decision | undefined>): Promise<void> {
    const last = this.state.last;
    const mine = last && answers.find((answer) => answer.nonce === last.nonce);
    if (last && mine) this.set({ last: { ...last, id: mine.id } });
    for (const answer of answers) {
      if (this.undoneNonces.delete(answer.nonce) && answer.result === "accepted" && answer.id) {
        await api(`/checkins/${answer.id}/undo`, { method: "POST", auth: "station" }).catch(() => undefined);
      }
    }
    const surprises = answers.filter((answer) => answer.result === "rejected" && localDecisions.get(answer.nonce)?.result === "accepted");
    // Refused here (say, outside the check-in window by this phone's clock) but let in by the server.
    const admitted = answers.filter((answer) => answer.result === "accepted" && localDecisions.get(answer.nonce)?.result === "rejected");
    if (surprises.length) {
      const first = surprises[0];
      this.set({
        notice: `${count(surprises.length, "scan")} made offline ${surprises.length === 1 ? "was" : "were"} not accepted by the server: ${first.attendee?.name ?? "a badge"}: ${first.message}`,
      });
    } else if (admitted.length) {
      this.set({
        notice: `${count(admitted.length, "scan")} refused offline ${admitted.length === 1 ? "was" : "were"} accepted by the server after all: ${admitted.map((answer) => answer.attendee?.name ?? "a badge").join(", ")}.`,
      });
    } else if (answers.length) {
      this.set({ notice: `${count(answers.length, "offline scan")} synced.` });
    }
    await this.refreshBadges();
  }

  // --- badge list ---------------------------------------------------------------------------

  async refreshBadges({ full = false } = {}): Promise<void> {
    if (this.state.blocked || !navigator.onLine) return;
    const cursor = full ? undefined : await this.store.getMeta<string>("cursor");
    const etag = cursor ? undefined : await this.store.getMeta<string>("etag");
    try {
      const response = await request("/station/badges", {
        auth: "station", query: { since: cursor }, headers: etag ? { "If-None-Match": etag } : {}, timeoutMs: 20000,
      });
      if (response.status !== 304) {
        const list = (await response.json()) as { items: BadgeEntry[]; cursor: string | null; complete: boolean };
        await this.store.saveBadges(list.items, list.complete, this.station.name);
        if (list.cursor) await this.store.setMeta("cursor", list.cursor);
        if (list.complete) await this.store.setMeta("etag", response.headers.get("ETag"));
      }
      this.set({ online: true, badgesCheckedAt: nowIso() });
      await this.countLocal();
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) this.set({ blocked: error.message });
      else if (error instanceof ApiError && error.isNetwork) this.set({ online: false });
    }
  }

  // --- undo, search, walk-in ------------------------------------------------------------------

  async undoLast(): Promise<void> {
    const last = this.state.last;
    if (!last || last.result !== "accepted" || last.undone) {
      this.set({ notice: "Nothing to undo: only the last accepted scan can be undone." });
      return;
    }
    const who = last.name ?? "the last person";
    const undone = last.direction === "exit" ? `Undone: ${who} counts as inside again.` : `Undone: ${who} is not checked in.`;
    const waiting = await this.store.getPending(last.nonce);
    if (waiting) {
      await this.store.removePending([last.nonce]);
      this.undoneNonces.add(last.nonce);
      if (waiting.prior) await this.store.putBadge(waiting.prior);
      this.set({ last: { ...last, undone: true }, accepted: this.state.accepted - 1, notice: undone });
    } else if (last.id) {
      try {
        const answer = await api<ScanAnswer>(`/checkins/${last.id}/undo`, { method: "POST", auth: "station" });
        if (answer.registration_id) {
          const badge = await this.store.badgeById(answer.registration_id);
          if (badge) await this.store.putBadge({ ...badge, inside: last.direction === "exit" });
        }
        this.set({ last: { ...last, undone: true }, accepted: this.state.accepted - 1, notice: undone });
      } catch (error) {
        this.set({ notice: error instanceof ApiError ? error.message : "Undo failed; try again." });
      }
    } else {
      this.set({ notice: "Undo needs a connection for this scan; try again when online." });
    }
    await this.countLocal();
  }

  /** Find people by name (lost badge): the server's list, or ours when offline. */
  async search(q: string): Promise<{ items: Match[]; offline: boolean }> {
    const query = q.trim();
    if (navigator.onLine) {
      try {
        const found = await api<{ items: Match[] }>("/station/attendees", { query: { q: query }, auth: "station", timeoutMs: 4000 });
        return { items: found.items, offline: false };
      } catch (error) {
        if (!(error instanceof ApiError && error.isNetwork)) throw error;
      }
    }
    const needle = query.toLowerCase();
    const items = (await this.store.allBadges())
      .filter((badge) => `${badge.name} ${badge.company}`.toLowerCase().includes(needle))
      .sort((a, b) => a.name.localeCompare(b.name))
      .slice(0, 20);
    return { items, offline: true };
  }

  async walkIn(input: WalkInInput): Promise<WalkInResult> {
    const result = await api<WalkInResult>(`/events/${this.station.event.id}/walk-ins`, {
      method: "POST", body: input, auth: "station",
    });
    const answer = result.checkin;
    this.show(answer, answer.direction, false);
    this.record(answer, answer.direction, answer.nonce, answer.id, answer.scanned_at, result.registration.name);
    void this.refreshBadges();
    return result;
  }
}
