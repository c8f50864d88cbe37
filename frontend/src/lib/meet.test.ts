import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { eventOnNowLabel, eventsOnNow, newExchange, openMeetQueue, posterPath, refusalTitle, toWire, typedBadgeCode } from "./meet";
import type { ExchangeAnswer, Registration } from "./types";

const HOUR = 3600_000;

function registration(id: number, startsInHours: number, hours = 3, extra: Partial<Registration> = {}): Registration {
  const now = Date.parse("2026-05-01T18:00:00Z");
  const starts = new Date(now + startsInHours * HOUR).toISOString();
  const ends = new Date(now + (startsInHours + hours) * HOUR).toISOString();
  return {
    id, event_id: id, status: "confirmed",
    event: { id, title: `Event ${id}`, kind: "meetup", status: "published", starts_at: starts, ends_at: ends, timezone: "UTC", venue: "", checkin_opens_at: null, checkin_closes_at: null },
    ...extra,
  } as Registration;
}

describe("meeting people", () => {
  const now = Date.parse("2026-05-01T18:00:00Z");

  it("offers my confirmed events on now, the running one first", () => {
    const running = registration(1, -1);
    const endedLastNight = registration(2, -20);
    const soon = registration(3, 0.5);
    const tomorrow = registration(4, 20);
    const waitlisted = registration(5, -1, 3, { status: "waitlisted" });
    const webinar = registration(6, -1);
    webinar.event!.kind = "webinar";
    expect(eventsOnNow([endedLastNight, tomorrow, soon, running, waitlisted, webinar], now).map((r) => r.id)).toEqual([1, 3, 2]);
    expect(eventOnNowLabel(running.event!, now)).toBe("Event 1");
    expect(eventOnNowLabel(endedLastNight.event!, now)).toBe("Event 2 (ended; meetings there can be recorded until Sat 2 May, 01:00)");
  });

  it("reads typed codes as the server does", () => {
    expect(typedBadgeCode("7kq4 m2xz")).toBe("7KQ4-M2XZ");
    expect(typedBadgeCode("oil1-abcd")).toBe("0111-ABCD");
    expect(typedBadgeCode("7KQ4-M2XU")).toBeNull();
    expect(typedBadgeCode("short")).toBeNull();
  });

  it("sends a scan or a code with its nonce and scan time, and nothing the API does not know", () => {
    const scanned = { ...newExchange({ qr: "https://x.test/b/abcdefghijklmnop" }, "Meetup"), actions: ["introduced"], note: " hi " };
    expect(toWire(scanned)).toEqual({ nonce: scanned.nonce, scanned_at: scanned.scanned_at, qr: "https://x.test/b/abcdefghijklmnop", actions: ["introduced"], note: "hi" });
    const typed = newExchange({ badge_code: "7KQ4-M2XZ" }, "Meetup");
    expect(toWire(typed)).toEqual({ nonce: typed.nonce, scanned_at: typed.scanned_at, badge_code: "7KQ4-M2XZ" });
  });

  it("recognises a poster's QR code, and only that", () => {
    expect(posterPath("https://events.test/p/abcdefghijklmnopqrst")).toBe("/p/abcdefghijklmnopqrst");
    expect(posterPath("https://events.test/b/abcdefghijklmnopqrst")).toBeNull();
    expect(posterPath("not a url")).toBeNull();
  });

  it("has words for refusals", () => {
    expect(refusalTitle("own_badge")).toBe("That is your own badge");
    expect(refusalTitle(null)).toBe("Not recorded");
  });

  it("keeps one queue per person, synced once, tags added while waiting", async () => {
    const ada = await openMeetQueue(1);
    const bob = await openMeetQueue(2);
    const first = newExchange({ qr: "https://x.test/b/abcdefghijklmnop" }, "Meetup");
    await ada.add(first);
    await ada.add({ ...first, actions: ["offered_help"], note: "later" });
    expect(await ada.count()).toBe(1);
    expect(await bob.count()).toBe(0);
    const sent: unknown[] = [];
    const answers = await ada.sync(async (items) => {
      sent.push(...items.map(toWire));
      return items.map((item) => ({ nonce: item.nonce, result: "recorded" }) as ExchangeAnswer);
    });
    expect(answers).toHaveLength(1);
    expect(sent).toEqual([expect.objectContaining({ nonce: first.nonce, actions: ["offered_help"], note: "later" })]);
    expect(await ada.count()).toBe(0);
  });
});
