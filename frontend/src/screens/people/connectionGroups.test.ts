import { describe, expect, it } from "vitest";
import type { Connection, ConnectionEvent } from "../../lib/types";
import { groupByEvent, groupCountWords } from "./connectionGroups";

/** A connection met at these events, at these times (oldest first, as the API lists meetings). */
function met(name: string, ...meetings: [number | null, string][]): Connection {
  return {
    other: { name },
    meetings: meetings.map(([event_id, scanned_at]) => ({ event_id, scanned_at, event_title: event_id === null ? null : `Event ${event_id}` })),
  } as unknown as Connection;
}

function event(event_id: number, connections: number, followed_up: number): ConnectionEvent {
  return { event_id, title: `Event ${event_id}`, connections, followed_up } as ConnectionEvent;
}

const names = (connections: Connection[]) => connections.map((c) => c.other.name);

describe("my connections under one heading per event", () => {
  // The tester's page, sorted by last meeting: Bob, met at Event 1 and later at Event 2, comes between Alice and Eve.
  const page = [
    met("Alice", [1, "2026-05-01T19:00:00Z"]),
    met("Bob", [1, "2026-04-01T18:00:00Z"], [2, "2026-05-01T18:50:00Z"]),
    met("Eve", [1, "2026-05-01T18:40:00Z"]),
  ];

  it("gives each event one section, people in the API's order, the event met most recently first", () => {
    const groups = groupByEvent(page, null);
    expect(groups.map((g) => g.title)).toEqual(["Event 1", "Event 2"]);
    expect(names(groups[0].items)).toEqual(["Alice", "Eve"]);
    expect(names(groups[1].items)).toEqual(["Bob"]);
  });

  it("orders sections by their latest meeting, whatever the order they first appear in", () => {
    const groups = groupByEvent([met("Ann", [3, "2026-05-01T10:00:00Z"]), met("Ben", [4, "2026-05-02T10:00:00Z"])], null);
    expect(groups.map((g) => g.eventId)).toEqual([4, 3]);
  });

  it("files a list filtered to an event under that event, even for people met there before somewhere else", () => {
    const groups = groupByEvent(page, 1);
    expect(groups).toHaveLength(1);
    expect(names(groups[0].items)).toEqual(["Alice", "Bob", "Eve"]);
  });

  it("puts meetings at no event (a deleted one) under Elsewhere", () => {
    expect(groupByEvent([met("Old", [null, "2025-01-01T10:00:00Z"])], null)[0]).toMatchObject({ eventId: null, title: "Elsewhere" });
  });
});

describe("the count beside an event's heading", () => {
  it("says how many people when the section holds everyone met there", () => {
    expect(groupCountWords(3, event(1, 3, 1))).toBe("3 people · 1 followed up");
    expect(groupCountWords(1, event(2, 1, 0))).toBe("1 person · 0 followed up");
  });

  it("says the section holds only part of them (later met elsewhere, or on another page)", () => {
    expect(groupCountWords(2, event(1, 3, 1))).toBe("2 of the 3 you met there · 1 of 3 followed up");
  });
});
