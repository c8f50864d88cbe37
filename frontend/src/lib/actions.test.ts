import { describe, expect, it } from "vitest";
import { actionLabel, squareLabel, STANDARD_ACTIONS } from "./actions";

describe("actions in words", () => {
  it("names every standard action, as done and as a square asks it", () => {
    for (const action of STANDARD_ACTIONS) {
      expect(actionLabel(action)).not.toContain("_");
      expect(squareLabel(action)).not.toContain("_");
    }
    expect(actionLabel("asked_advice")).toBe("Asked for advice");
    expect(squareLabel("asked_advice")).toBe("Ask for advice");
  });

  it("spells out an event's own action, the same on a square and a tag", () => {
    expect(actionLabel("pair_programmed")).toBe("Pair programmed");
    expect(squareLabel("swapped_cards")).toBe("Swapped cards");
    expect(squareLabel("talked__careers_")).toBe("Talked careers");
  });
});
