import { describe, expect, it } from "vitest";
import {
  afterAccepted, badgeSecretFromQr, decideOffline, lastScanText, newNonce, pairingCodeFrom, RepeatFilter, resultKind, resultTitle, sha256Hex,
  type BadgeEntry,
} from "./offline";

const SECRET = "Zk3vQ9xL_2mN-8pR4tW6yB1cD5fG7hJ0";

function badge(extra: Partial<BadgeEntry> = {}): BadgeEntry {
  return {
    registration_id: 1, secret_hash: "h", name: "Ada Lovelace", headline: "Staff engineer", company: "Analytical",
    status: "confirmed", checked_in_at: null, inside: false, ...extra,
  };
}

describe("reading QR codes", () => {
  it("finds the badge secret in a badge URL or a bare secret", () => {
    expect(badgeSecretFromQr(`https://events.example.org/b/${SECRET}`)).toBe(SECRET);
    expect(badgeSecretFromQr(`http://127.0.0.1:8000/b/${SECRET}/`)).toBe(SECRET);
    // Printed under another address, or a deployment below the site's root: the secret is what counts.
    expect(badgeSecretFromQr(`https://old-address.example.org/netevents/b/${SECRET}?utm=x`)).toBe(SECRET);
    expect(badgeSecretFromQr(`https://events.example.org/b/${SECRET}/extra`)).toBeNull();
    expect(badgeSecretFromQr(`  ${SECRET}\n`)).toBe(SECRET);
    expect(badgeSecretFromQr("https://example.org/somewhere/else")).toBeNull();
    expect(badgeSecretFromQr("WIFI:S:venue;T:WPA;P:secret;;")).toBeNull();
    expect(badgeSecretFromQr(`javascript:/b/${SECRET}`)).toBeNull();
  });

  it("finds the pairing code in a pairing URL or a typed code", () => {
    expect(pairingCodeFrom("https://events.example.org/door#pair=K7QF-M2XR-P9")).toBe("K7QF-M2XR-P9");
    expect(pairingCodeFrom(" k7qf-m2xr-p9 ")).toBe("K7QF-M2XR-P9");
    expect(pairingCodeFrom("<script>")).toBeNull();
  });

  it("hashes secrets like the server (hex SHA-256)", async () => {
    expect(await sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("makes a different nonce for every scan", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    expect([...nonces][0]).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe("deciding offline", () => {
  it("welcomes a confirmed person who is not in yet", () => {
    const decision = decideOffline(badge(), "entry");
    expect(decision).toMatchObject({ result: "accepted", reason: null, message: "Welcome, Ada Lovelace!", registration_id: 1 });
    expect(resultTitle(decision)).toBe("Welcome");
  });

  it("rejects with the reason the server would give", () => {
    expect(decideOffline(undefined, "entry").reason).toBe("unknown_badge");
    expect(decideOffline(badge({ status: "cancelled" }), "entry").reason).toBe("registration_cancelled");
    expect(decideOffline(badge({ status: "waitlisted" }), "entry").reason).toBe("waitlisted");
    expect(decideOffline(badge(), "exit").reason).toBe("not_checked_in");
  });

  it("says when and where someone already checked in", () => {
    const inside = afterAccepted(badge(), "entry", "2026-05-01T18:42:00+02:00", "Door A");
    const decision = decideOffline(inside, "entry", { timeZone: "Europe/Berlin", scannedAt: "2026-05-01T19:00:00+02:00" });
    expect(decision.reason).toBe("already_checked_in");
    expect(decision.message).toBe("Ada Lovelace is already checked in: 18:42 at Door A.");
    expect(decision.first_checkin).toEqual({ at: "2026-05-01T18:42:00+02:00", station_name: "Door A" });
    expect(resultTitle(decision)).toBe("Already inside");
    expect(resultKind(decision)).toBe("repeat");
    expect(lastScanText(decision, "entry", "2026-05-01T19:00:00+02:00", "Europe/Berlin")).toBe("already inside since 18:42 (Door A)");
  });

  it("tells a welcome, a harmless repeat and a refusal apart, in colour and in the last-scan line", () => {
    const scannedAt = "2026-05-01T18:40:00+02:00";
    const welcome = decideOffline(badge(), "entry", { scannedAt });
    expect(resultKind(welcome)).toBe("accepted");
    expect(lastScanText(welcome, "entry", scannedAt, "Europe/Berlin")).toBe("checked in at 18:40");
    const goodbye = decideOffline(badge({ inside: true, checked_in_at: scannedAt }), "exit", { scannedAt });
    expect(lastScanText(goodbye, "exit", scannedAt, "Europe/Berlin")).toBe("left at 18:40");
    const waitlisted = decideOffline(badge({ status: "waitlisted" }), "entry", { scannedAt });
    expect(resultKind(waitlisted)).toBe("refused");
    expect(lastScanText(waitlisted, "entry", scannedAt)).toBe("not let in: on the waitlist");
    expect(resultKind({ result: "rejected", reason: "unknown_badge" })).toBe("refused");
  });

  it("names the station from the badge list, like the online answer", () => {
    const elsewhere = badge({ checked_in_at: "2026-05-01T16:42:00+00:00", checked_in_station: "Door B", inside: true });
    const decision = decideOffline(elsewhere, "entry", { timeZone: "Europe/Berlin", scannedAt: "2026-05-01T19:05:00+02:00" });
    expect(decision.message).toBe("Ada Lovelace is already checked in: 18:42 at Door B.");
    expect(decision.first_checkin).toEqual({ at: "2026-05-01T16:42:00+00:00", station_name: "Door B" });
  });

  it("says only when, if the list does not name a station", () => {
    const unnamed = badge({ checked_in_at: "2026-05-01T18:42:00+02:00", checked_in_station: null, inside: true });
    const decision = decideOffline(unnamed, "entry", { timeZone: "Europe/Berlin", scannedAt: "2026-05-01T19:05:00+02:00" });
    expect(decision.message).toBe("Ada Lovelace is already checked in: 18:42.");
    expect(decision.first_checkin).toEqual({ at: "2026-05-01T18:42:00+02:00", station_name: null });
  });

  it("gives the date too when the first check-in was on another day (as the server does)", () => {
    const yesterday = badge({ checked_in_at: "2026-05-01T18:42:00+02:00", checked_in_station: "Door A", inside: true });
    const decision = decideOffline(yesterday, "entry", { timeZone: "Europe/Berlin", scannedAt: "2026-05-02T09:00:00+02:00" });
    expect(decision.message).toBe("Ada Lovelace is already checked in: 01 May 18:42 at Door A.");
  });

  it("keeps the first check-in time when someone leaves and comes back", () => {
    const first = afterAccepted(badge(), "entry", "2026-05-01T18:42:00+02:00", "Door A");
    const out = afterAccepted(first, "exit", "2026-05-01T19:00:00+02:00", "Door B");
    expect(out.inside).toBe(false);
    expect(decideOffline(out, "entry").result).toBe("accepted");
    const back = afterAccepted(out, "entry", "2026-05-01T19:10:00+02:00", "Door B");
    expect(back.checked_in_at).toBe("2026-05-01T18:42:00+02:00");
    expect(back.checked_in_station).toBe("Door A");
  });
});

describe("the check-in window, offline", () => {
  // Check-in from 18:30 to 22:00 in Berlin on 1 May (the server sends both ends with their offset).
  const window = { timeZone: "Europe/Berlin", opensAt: "2026-05-01T18:30:00+02:00", closesAt: "2026-05-01T20:00:00Z" };
  const at = (scannedAt: string) => ({ ...window, scannedAt });

  it("says when check-in opens, before it does", () => {
    const decision = decideOffline(badge(), "entry", at("2026-05-01T18:10:00+02:00"));
    expect(decision).toMatchObject({ result: "rejected", reason: "outside_window", message: "Check-in opens at 18:30.", registration_id: 1 });
    expect(decision.attendee?.name).toBe("Ada Lovelace");
    expect(resultTitle(decision)).toBe("Check-in not open");
  });

  it("says when check-in closed, after it did", () => {
    const decision = decideOffline(badge(), "entry", at("2026-05-01T22:15:00+02:00"));
    expect(decision).toMatchObject({ result: "rejected", reason: "outside_window", message: "Check-in closed at 22:00." });
  });

  it("gives the date when the window is on another day than the scan", () => {
    expect(decideOffline(badge(), "entry", at("2026-04-30T19:00:00+02:00")).message).toBe("Check-in opens at 01 May 18:30.");
    expect(decideOffline(badge(), "entry", at("2026-05-02T09:00:00+02:00")).message).toBe("Check-in closed at 01 May 22:00.");
  });

  it("counts both ends as open, and compares instants whatever the offset", () => {
    expect(decideOffline(badge(), "entry", at("2026-05-01T16:30:00Z")).result).toBe("accepted");
    expect(decideOffline(badge(), "entry", at("2026-05-01T22:00:00.000+02:00")).result).toBe("accepted");
    expect(decideOffline(badge(), "entry", at("2026-05-01T12:29:59-04:00")).reason).toBe("outside_window");
    expect(decideOffline(badge(), "entry", at("2026-05-01T22:00:01+02:00")).reason).toBe("outside_window");
  });

  it("applies to exits and to someone already inside, after the badge's own status (as on the server)", () => {
    const inside = badge({ checked_in_at: "2026-05-01T18:42:00+02:00", checked_in_station: "Door A", inside: true });
    expect(decideOffline(inside, "exit", at("2026-05-01T22:30:00+02:00")).reason).toBe("outside_window");
    expect(decideOffline(inside, "entry", at("2026-05-01T22:30:00+02:00")).reason).toBe("outside_window");
    expect(decideOffline(badge({ status: "cancelled" }), "entry", at("2026-05-01T08:00:00+02:00")).reason).toBe("registration_cancelled");
    expect(decideOffline(badge({ status: "waitlisted" }), "entry", at("2026-05-01T08:00:00+02:00")).reason).toBe("waitlisted");
    expect(decideOffline(undefined, "entry", at("2026-05-01T08:00:00+02:00")).reason).toBe("unknown_badge");
  });

  it("has no window rule when the door does not know the window (paired before it was sent)", () => {
    expect(decideOffline(badge(), "entry", { timeZone: "Europe/Berlin", scannedAt: "2026-05-01T08:00:00+02:00" }).result).toBe("accepted");
  });
});

describe("repeat filter", () => {
  it("scans a badge held in front of the camera once", () => {
    const filter = new RepeatFilter(2000);
    expect(filter.accept("A", 0)).toBe(true);
    expect(filter.accept("A", 500)).toBe(false);
    expect(filter.accept("A", 2400)).toBe(false); // still in sight: seen at 500, then 2400
    expect(filter.accept("A", 5000)).toBe(true); // away for more than 2 s, shown again
  });

  it("takes a different badge at once", () => {
    const filter = new RepeatFilter(2000);
    expect(filter.accept("A", 0)).toBe(true);
    expect(filter.accept("B", 100)).toBe(true);
    expect(filter.accept("A", 200)).toBe(true);
  });
});
