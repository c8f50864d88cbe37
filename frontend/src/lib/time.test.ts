import { describe, expect, it } from "vitest";
import { isoToZoned, nowIso, zonedToIso } from "./time";

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
