import { describe, expect, it } from "vitest";
import { dateChip, isHappeningNow, isoToZoned, nowIso, zonedToIso } from "./time";

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
