import { describe, expect, it } from "vitest";
import { dateChip, formatAtEvent, isHappeningNow, isoToZoned, nowIso, zonedToIso } from "./time";

describe("event times", () => {
  it("reads a wall clock in the event's zone, summer and winter", () => {
    expect(zonedToIso("2026-07-01T18:30", "Europe/Berlin")).toBe("2026-07-01T18:30:00+02:00");
    expect(zonedToIso("2026-12-01T18:30", "Europe/Berlin")).toBe("2026-12-01T18:30:00+01:00");
    expect(zonedToIso("2026-03-10T09:00", "America/New_York")).toBe("2026-03-10T09:00:00-04:00");
    expect(zonedToIso("2026-03-10T09:00", "Asia/Kolkata")).toBe("2026-03-10T09:00:00+05:30");
    expect(zonedToIso("2026-03-10T09:00", "UTC")).toBe("2026-03-10T09:00:00+00:00");
  });

  it("shows an instant on the event's wall clock (for editing)", () => {
    expect(isoToZoned("2026-07-01T16:30:00+00:00", "Europe/Berlin")).toBe("2026-07-01T18:30");
    expect(isoToZoned(zonedToIso("2026-11-02T07:45", "America/Los_Angeles"), "America/Los_Angeles")).toBe("2026-11-02T07:45");
  });

  it("stamps scans with the device's offset (never a time without one)", () => {
    expect(nowIso(new Date("2026-05-01T16:42:07.123Z"))).toMatch(/^2026-05-01T\d\d:42:07\.123[+-]\d\d:\d\d$/);
    const stamped = nowIso();
    expect(Math.abs(new Date(stamped).getTime() - Date.now())).toBeLessThan(2000);
  });
});

describe("event list helpers", () => {
  it("shows the date chip on the event's own calendar", () => {
    // 23:30 UTC on 1 May is already 2 May in Berlin.
    expect(dateChip("2026-05-01T23:30:00+00:00", "Europe/Berlin")).toEqual({ weekday: "Sat", day: "2", month: "May" });
  });

  it("knows when an event is happening now", () => {
    const event = { starts_at: "2026-05-01T18:00:00+02:00", ends_at: "2026-05-01T21:00:00+02:00" };
    expect(isHappeningNow(event, new Date("2026-05-01T17:59:00+02:00"))).toBe(false);
    expect(isHappeningNow(event, new Date("2026-05-01T18:00:00+02:00"))).toBe(true);
    expect(isHappeningNow(event, new Date("2026-05-01T21:00:00+02:00"))).toBe(false);
  });
});

describe("a time at an event", () => {
  const scan = "2026-12-03T17:42:00+00:00"; // 18:42 in Berlin, 12:42 in New York

  it("shows it on the event's clock, whatever this browser's zone", () => {
    expect(formatAtEvent(scan, "Europe/Berlin", "Europe/Berlin")).toBe("Thu 3 Dec, 18:42");
    expect(formatAtEvent(scan, "Europe/Berlin", "Europe/Paris")).toBe("Thu 3 Dec, 18:42"); // same clock: no zone
  });

  it("names the event's zone when this browser is on another clock", () => {
    expect(formatAtEvent(scan, "Europe/Berlin", "America/New_York")).toBe("Thu 3 Dec, 18:42 CET");
    expect(formatAtEvent(scan, "America/New_York", "Europe/Berlin")).toBe("Thu 3 Dec, 12:42 America/New_York");
    expect(formatAtEvent(scan, "Asia/Kolkata", "Europe/Berlin")).toBe("Thu 3 Dec, 23:12 Asia/Kolkata");
  });

  it("falls back to this browser's clock when the event is gone", () => {
    expect(formatAtEvent(scan, null, "Europe/Berlin")).toBe(formatAtEvent(scan, "Europe/Berlin", "Europe/Berlin"));
  });
});
