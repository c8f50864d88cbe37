import { describe, expect, it } from "vitest";
import {
  actionSlug, actionsMissing, clockOffset, completedLines, countdownWords, durationWords, formatCountdown,
  lineName, linePositions, newLines, newlySigned, percent, positionsIn, remainingMs, signedAnnouncement,
} from "./logic";

const square = (position: number, signed: boolean, name = "Bob Builder", action = "asked_advice") => ({
  position, signed, action, signed_by: signed ? { name } : null,
});

describe("the countdown runs on the server's clock", () => {
  it("takes the server's time as halfway through the request", () => {
    // Sent at 1000, answered at 1400 (this phone's clock); the server said 10:00:00.200 UTC.
    const server = Date.parse("2026-05-01T10:00:00.200Z");
    expect(clockOffset("2026-05-01T10:00:00.200Z", 1000, 1400)).toBe(server - 1200);
  });

  it("counts down the same on a phone whose clock is five minutes slow", () => {
    const endsAt = "2026-05-01T10:10:00+00:00";
    const serverNow = Date.parse("2026-05-01T10:00:00Z");
    const slowPhone = serverNow - 5 * 60_000;
    const offset = clockOffset("2026-05-01T10:00:00Z", slowPhone, slowPhone);
    expect(remainingMs(endsAt, offset, slowPhone)).toBe(10 * 60_000);
    expect(remainingMs(endsAt, offset, slowPhone + 61_000)).toBe(9 * 60_000 - 1000);
    // The phone's own clock would have said 15 minutes left.
    expect(remainingMs(endsAt, 0, slowPhone)).toBe(15 * 60_000);
  });

  it("never goes below zero", () => {
    expect(remainingMs("2026-05-01T10:00:00Z", 0, Date.parse("2026-05-01T10:00:05Z"))).toBe(0);
  });

  it("shows minutes and seconds, rounded up, hours when there are", () => {
    expect(formatCountdown(10 * 60_000)).toBe("10:00");
    expect(formatCountdown(9 * 60_000 + 4_001)).toBe("9:05");
    expect(formatCountdown(42_000)).toBe("0:42");
    expect(formatCountdown(1)).toBe("0:01");
    expect(formatCountdown(0)).toBe("0:00");
    expect(formatCountdown(-5)).toBe("0:00");
    expect(formatCountdown(3_723_000)).toBe("1:02:03");
  });

  it("says it in words for screen readers, once a minute", () => {
    expect(countdownWords(10 * 60_000)).toBe("About 10 minutes left");
    expect(countdownWords(61_000)).toBe("About 2 minutes left");
    expect(countdownWords(60_000)).toBe("About 1 minute left");
    expect(countdownWords(42_000)).toBe("Less than a minute left");
    expect(countdownWords(1_000)).toBe("Less than a minute left");
    expect(countdownWords(0)).toBe("Time is up");
  });

  it("says how long a round ran", () => {
    expect(durationWords("2026-05-01T10:00:00Z", "2026-05-01T10:10:00Z")).toBe("10 minutes");
    expect(durationWords("2026-05-01T10:00:00Z", "2026-05-01T10:01:00Z")).toBe("1 minute");
    expect(durationWords("2026-05-01T10:00:00Z", "2026-05-01T10:04:31Z")).toBe("4½ minutes");
    expect(durationWords("2026-05-01T10:00:00Z", "2026-05-01T10:00:45Z")).toBe("45 seconds");
    expect(durationWords("2026-05-01T10:00:00Z", "2026-05-01T11:30:00Z")).toBe("1 hour 30 minutes");
    expect(durationWords("2026-05-01T10:00:00Z", "2026-05-01T12:00:00Z")).toBe("2 hours");
  });
});

describe("lines of a card", () => {
  it("numbers squares row by row, diagonals from either top corner", () => {
    expect(linePositions({ kind: "row", index: 1 }, 3)).toEqual([3, 4, 5]);
    expect(linePositions({ kind: "column", index: 2 }, 3)).toEqual([2, 5, 8]);
    expect(linePositions({ kind: "diagonal", index: 0 }, 3)).toEqual([0, 4, 8]);
    expect(linePositions({ kind: "diagonal", index: 1 }, 3)).toEqual([2, 4, 6]);
    expect(linePositions({ kind: "diagonal", index: 1 }, 5)).toEqual([4, 8, 12, 16, 20]);
    expect(linePositions({ kind: "row", index: 3 }, 4)).toEqual([12, 13, 14, 15]);
  });

  it("finds every completed row, column and diagonal, and only those", () => {
    expect(completedLines(3, [])).toEqual([]);
    expect(completedLines(3, [0, 1])).toEqual([]);
    expect(completedLines(3, [3, 4, 5])).toEqual([{ kind: "row", index: 1 }]);
    expect(completedLines(3, [2, 4, 6, 0])).toEqual([{ kind: "diagonal", index: 1 }]);
    expect(completedLines(3, [0, 1, 2, 3, 6])).toEqual([{ kind: "row", index: 0 }, { kind: "column", index: 0 }]);
    expect(completedLines(4, [0, 5, 10, 15])).toEqual([{ kind: "diagonal", index: 0 }]);
    expect(completedLines(3, [0, 1, 2, 3, 4, 5, 6, 7, 8])).toHaveLength(8);
  });

  it("lights up the squares of the lines done", () => {
    expect([...positionsIn([{ kind: "row", index: 0 }, { kind: "column", index: 0 }], 3)].sort()).toEqual([0, 1, 2, 3, 6]);
  });

  it("names lines as people count them", () => {
    expect(lineName({ kind: "row", index: 0 })).toBe("Row 1");
    expect(lineName({ kind: "column", index: 2 })).toBe("Column 3");
    expect(lineName({ kind: "diagonal", index: 0 })).toBe("Diagonal from the top left");
    expect(lineName({ kind: "diagonal", index: 1 })).toBe("Diagonal from the top right");
  });
});

describe("what changed since the last look", () => {
  it("celebrates lines completed while watching, not those found on opening", () => {
    const row = { kind: "row" as const, index: 1 };
    const column = { kind: "column" as const, index: 0 };
    expect(newLines(null, [row])).toEqual([]);
    expect(newLines([], [row])).toEqual([row]);
    expect(newLines([row], [row, column])).toEqual([column]);
    expect(newLines([row], [row])).toEqual([]);
  });

  it("lights up squares signed since the last poll", () => {
    const before = [square(0, true), square(1, false), square(2, false)];
    const now = [square(0, true), square(1, true, "Cy Young", "offered_help"), square(2, false)];
    expect(newlySigned(null, now)).toEqual([]);
    expect(newlySigned(before, now).map((s) => s.position)).toEqual([1]);
    expect(signedAnnouncement(newlySigned(before, now))).toBe("Cy Young signed Offer help.");
    expect(signedAnnouncement([{ ...square(4, true), signed_by: null }])).toBe("Someone signed Ask for advice.");
  });
});

describe("words", () => {
  it("makes an action's name from what an organizer types", () => {
    expect(actionSlug("Swap cards!")).toBe("swap_cards");
    expect(actionSlug("  Café au lait ")).toBe("cafe_au_lait");
    expect(actionSlug("3D printing")).toBe("d_printing");
    expect(actionSlug("!!!")).toBe("");
    expect(actionSlug("x".repeat(50))).toHaveLength(40);
    expect(actionSlug("a" + " b".repeat(30))).toMatch(/^[a-z][a-z0-9_]{0,39}$/);
  });

  it("gives shares as whole percents", () => {
    expect(percent(0.6667)).toBe("67%");
    expect(percent(0)).toBe("0%");
    expect(percent(null)).toBe("—");
  });

  it("counts the actions a card still needs", () => {
    expect(actionsMissing(3, 5)).toBe(4);
    expect(actionsMissing(3, 12)).toBe(0);
    expect(actionsMissing(5, 20)).toBe(5);
  });
});
