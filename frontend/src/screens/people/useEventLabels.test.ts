import { describe, expect, it } from "vitest";
import type { Connection } from "../../lib/types";
import { tagLabel } from "./connectionFilters";
import { eventsToAsk } from "./useEventLabels";
import { labelsOf } from "../../lib/actions";

function connection(tags: string[], eventIds: (number | null)[]): Connection {
  return { tags, meetings: eventIds.map((event_id) => ({ event_id })) } as unknown as Connection;
}

describe("the events whose words a connection list asks for", () => {
  it("asks the events where we met, for connections tagged with an event's own action", () => {
    const list = [connection(["talked_ai"], [7, 3]), connection(["introduced", "my own words"], [9]), connection(["pair_programmed"], [3, null])];
    expect(eventsToAsk(list)).toEqual([3, 7]);
  });

  it("asks nothing when every tag is a standard action or my own words", () => {
    expect(eventsToAsk([connection(["introduced", "asked_advice", "Coffee next week"], [1])])).toEqual([]);
  });

  it("reads an own action in the words its organizers gave it, not its slug spelled out", () => {
    const labels = labelsOf({ labels: { talked_ai: "Talked AI" } });
    expect(tagLabel("talked_ai", labels)).toBe("Talked AI");
    expect(tagLabel("talked_ai")).toBe("Talked ai");
  });
});
