import { describe, expect, it } from "vitest";
import { actionLabel, labelsOf, squareLabel, STANDARD_ACTIONS } from "./actions";

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

  it("says an event's own action in its organizer's words, as typed", () => {
    const labels = { talked_ai: "Talked AI", swapped_cards: "🃏 Swapped cards" };
    expect(actionLabel("talked_ai", labels)).toBe("Talked AI");
    expect(squareLabel("talked_ai", labels)).toBe("Talked AI");
    expect(actionLabel("swapped_cards", labels)).toBe("🃏 Swapped cards");
  });

  it("spells out an own action without words, and keeps the standard actions' words whatever labels say", () => {
    const labels = { talked_ai: "Talked AI", introduced: "Said hello", blank: "  " };
    expect(actionLabel("pair_programmed", labels)).toBe("Pair programmed");
    expect(squareLabel("blank", labels)).toBe("Blank");
    expect(actionLabel("introduced", labels)).toBe("Introduced ourselves");
    expect(squareLabel("introduced", labels)).toBe("Introduce yourself");
  });

  it("reads only the words given, not what every object answers to", () => {
    expect(actionLabel("constructor", {})).toBe("Constructor");
    expect(squareLabel("to_string", {})).toBe("To string");
    expect(actionLabel("constructor", { constructor: "Built something" })).toBe("Built something");
  });

  it("puts several events' words together, the first event's where two name one action", () => {
    const merged = labelsOf({ labels: { demoed: "Demoed our app" } }, null, { labels: { demoed: "Demo", talked_ai: "Talked AI" } }, undefined);
    expect(merged).toEqual({ demoed: "Demoed our app", talked_ai: "Talked AI" });
    expect(labelsOf()).toEqual({});
  });
});
