import "fake-indexeddb/auto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ScanAnswer } from "../lib/types";
import { decideOffline, type BadgeEntry } from "./offline";
import { DoorStore, toWire, withPendingApplied, type PendingScan, type WireScan } from "./queue";

let store: DoorStore;
let dbCount = 0;

beforeEach(async () => {
  store = await DoorStore.open(`door-test-${++dbCount}`);
});
afterEach(() => store.close());

function scan(nonce: string, scannedAt: string, extra: Partial<PendingScan> = {}): PendingScan {
  return { nonce, qr: `http://door.test/b/secret-${nonce}-0123456789`, scanned_at: scannedAt, direction: "entry", ...extra };
}

function answerFor(wire: WireScan, result: "accepted" | "rejected" = "accepted"): ScanAnswer {
  return {
    id: Math.floor(Math.random() * 1e6), result, reason: result === "accepted" ? null : "already_checked_in",
    message: "", direction: wire.direction, nonce: wire.nonce, scanned_at: wire.scanned_at,
    registration_id: null, attendee: null, first_checkin: null, undone: false, clock_skew: false,
  };
}

function badge(id: number, extra: Partial<BadgeEntry> = {}): BadgeEntry {
  return {
    registration_id: id, secret_hash: `hash-${id}`, name: `Person ${id}`, headline: "", company: "",
    status: "confirmed", checked_in_at: null, inside: false, ...extra,
  };
}

describe("pending scans", () => {
  it("keeps scans across reopening, oldest first, with their nonce and scan time", async () => {
    await store.addPending(scan("b", "2026-05-01T18:02:00.000+02:00"));
    await store.addPending(scan("a", "2026-05-01T18:01:00.000+02:00"));
    store.close();
    store = await DoorStore.open(`door-test-${dbCount}`);
    const pending = await store.pending();
    expect(pending.map((p) => p.nonce)).toEqual(["a", "b"]);
    expect(pending[0].scanned_at).toBe("2026-05-01T18:01:00.000+02:00");
    expect(await store.pendingCount()).toBe(2);
  });

  it("the same nonce is stored once", async () => {
    await store.addPending(scan("a", "2026-05-01T18:01:00+02:00"));
    await store.addPending(scan("a", "2026-05-01T18:01:00+02:00"));
    expect(await store.pendingCount()).toBe(1);
  });

  it("sends scans in the wire format: qr or registration_id, nonce, scanned_at, direction", () => {
    expect(toWire(scan("a", "T1", { local: decideOffline(undefined, "entry"), prior: badge(1) }))).toEqual({
      nonce: "a", scanned_at: "T1", direction: "entry", qr: "http://door.test/b/secret-a-0123456789",
    });
    expect(toWire({ nonce: "b", registration_id: 7, scanned_at: "T2", direction: "exit" })).toEqual({
      nonce: "b", scanned_at: "T2", direction: "exit", registration_id: 7,
    });
  });
});

describe("sync", () => {
  it("sends every waiting scan once and empties the queue", async () => {
    for (let i = 0; i < 5; i++) await store.addPending(scan(`n${i}`, `2026-05-01T18:0${i}:00+02:00`));
    const sent: WireScan[][] = [];
    const answers = await store.sync(async (scans) => {
      sent.push(scans);
      return scans.map((s) => answerFor(s));
    }, 2);
    expect(sent.map((batch) => batch.length)).toEqual([2, 2, 1]);
    expect(sent.flat().map((s) => s.nonce)).toEqual(["n0", "n1", "n2", "n3", "n4"]);
    expect(answers).toHaveLength(5);
    expect(await store.pendingCount()).toBe(0);
  });

  it("keeps the scans when the network fails, and sends them on the next try", async () => {
    await store.addPending(scan("a", "2026-05-01T18:01:00+02:00"));
    await expect(store.sync(async () => {
      throw new Error("offline");
    })).rejects.toThrow("offline");
    expect(await store.pendingCount()).toBe(1);
    const answers = await store.sync(async (scans) => scans.map((s) => answerFor(s)));
    expect(answers.map((a) => a.nonce)).toEqual(["a"]);
    expect(await store.pendingCount()).toBe(0);
  });

  it("runs one sync at a time: a second call while one runs sends nothing twice", async () => {
    for (let i = 0; i < 3; i++) await store.addPending(scan(`n${i}`, `2026-05-01T18:0${i}:00+02:00`));
    let calls = 0;
    const send = async (scans: WireScan[]) => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      return scans.map((s) => answerFor(s));
    };
    const [first, second] = await Promise.all([store.sync(send), store.sync(send)]);
    expect(calls).toBe(1);
    expect(first).toBe(second);
    expect(await store.pendingCount()).toBe(0);
  });

  it("only forgets the scans the server answered", async () => {
    await store.addPending(scan("a", "2026-05-01T18:01:00+02:00"));
    await store.addPending(scan("b", "2026-05-01T18:02:00+02:00"));
    await store.sync(async (scans) => [answerFor(scans[0])], 5);
    expect((await store.pending()).map((p) => p.nonce)).toEqual(["b"]);
    await store.sync(async () => [], 1); // an empty answer stops the sync instead of looping
    expect(await store.pendingCount()).toBe(1);
  });

  it("a scan added during a sync waits for the next one", async () => {
    await store.addPending(scan("a", "2026-05-01T18:01:00+02:00"));
    await store.sync(async (scans) => {
      await store.addPending(scan("late", "2026-05-01T18:05:00+02:00"));
      return scans.map((s) => answerFor(s));
    });
    expect((await store.pending()).map((p) => p.nonce)).toEqual(["late"]);
  });
});

describe("badge list", () => {
  it("finds badges by secret hash; a complete list replaces the old one", async () => {
    await store.saveBadges([badge(1), badge(2)], true, "Door A");
    expect((await store.badgeByHash("hash-2"))?.name).toBe("Person 2");
    await store.saveBadges([badge(3)], true, "Door A");
    expect(await store.badgeCount()).toBe(1);
    expect(await store.badgeByHash("hash-1")).toBeUndefined();
  });

  it("a list of changes updates badges; a rotated badge no longer answers to its old secret", async () => {
    await store.saveBadges([badge(1), badge(2)], true, "Door A");
    await store.saveBadges([badge(1, { secret_hash: "hash-1-new" })], false, "Door A");
    expect(await store.badgeCount()).toBe(2);
    expect(await store.badgeByHash("hash-1")).toBeUndefined();
    expect((await store.badgeByHash("hash-1-new"))?.registration_id).toBe(1);
  });

  it("keeps this door's unsynced check-ins on top of a fresh list", async () => {
    const local = decideOffline(badge(1), "entry");
    await store.addPending(scan("a", "2026-05-01T18:01:00+02:00", { local }));
    await store.saveBadges([badge(1), badge(2)], true, "Door A");
    const one = await store.badgeById(1);
    expect(one?.inside).toBe(true);
    expect(one?.checked_in_station).toBe("Door A");
    expect(decideOffline(one, "entry", { timeZone: "UTC" }).reason).toBe("already_checked_in");
    expect((await store.badgeById(2))?.inside).toBe(false);
  });

  it("keeps the station the server's list names; a list without one keeps what the door knew", async () => {
    const at = "2026-05-01T18:42:00+02:00";
    await store.saveBadges([badge(1, { checked_in_at: at, checked_in_station: "Door B", inside: true })], true, "Door A");
    expect((await store.badgeById(1))?.checked_in_station).toBe("Door B");
    await store.saveBadges([badge(1, { checked_in_at: at, inside: true })], false, "Door A");
    expect((await store.badgeById(1))?.checked_in_station).toBe("Door B");
    await store.saveBadges([badge(1, { checked_in_at: null, checked_in_station: null, inside: false })], false, "Door A");
    expect((await store.badgeById(1))?.checked_in_station).toBeNull(); // undone: no station any more
  });

  it("a scan refused offline for the window waits for the server, and changes no badge meanwhile", async () => {
    const context = { timeZone: "Europe/Berlin", opensAt: "2026-05-01T18:30:00+02:00", closesAt: "2026-05-01T22:00:00+02:00" };
    const early = "2026-05-01T18:00:00.000+02:00";
    const local = decideOffline(badge(1), "entry", { ...context, scannedAt: early });
    expect(local.reason).toBe("outside_window");
    await store.addPending(scan("early", early, { local, prior: badge(1) }));
    await store.saveBadges([badge(1)], true, "Door A");
    expect((await store.badgeById(1))?.inside).toBe(false);
    const sent: WireScan[] = [];
    await store.sync(async (scans) => {
      sent.push(...scans);
      return scans.map((s) => answerFor(s, "rejected"));
    });
    expect(sent).toEqual([{ nonce: "early", scanned_at: early, direction: "entry", qr: "http://door.test/b/secret-early-0123456789" }]);
    expect(await store.pendingCount()).toBe(0);
  });

  it("withPendingApplied ignores rejected and unknown scans", () => {
    const pending = [
      scan("a", "T1", { local: decideOffline(undefined, "entry") }),
      scan("b", "T2", { local: decideOffline(badge(2, { status: "waitlisted" }), "entry") }),
    ];
    expect(withPendingApplied([badge(1), badge(2, { status: "waitlisted" })], pending, "Door A").map((b) => b.inside)).toEqual([false, false]);
  });

  it("clearing on unpair keeps waiting scans unless asked", async () => {
    await store.saveBadges([badge(1)], true, "Door A");
    await store.setMeta("cursor", "2026-05-01T18:00:00+00:00");
    await store.addPending(scan("a", "T1"));
    await store.clear();
    expect(await store.badgeCount()).toBe(0);
    expect(await store.getMeta("cursor")).toBeUndefined();
    expect(await store.pendingCount()).toBe(1);
    await store.clear({ scans: true });
    expect(await store.pendingCount()).toBe(0);
  });
});
