import { describe, expect, it } from "vitest";
import { colourByCompany, OTHER_COLOUR, PALETTE, UNSHARED_COLOUR } from "./networkColours";

const dot = (key: number, company: string | null) => ({ key, name: "Attendee", company, topics: null, attended: true, degree: 0 });

describe("colourByCompany", () => {
  it("gives each company a colour, the biggest first, and spelling variants the same", () => {
    const dots = [dot(1, "Acme"), dot(2, "Globex"), dot(3, " acme "), dot(4, null)];
    const { colour, legend } = colourByCompany(dots);
    expect(legend).toEqual([
      { label: "Acme", colour: PALETTE[0], people: 2 },
      { label: "Globex", colour: PALETTE[1], people: 1 },
      { label: "Company not shared", colour: UNSHARED_COLOUR, people: 1 },
    ]);
    expect(colour(dots[2])).toBe(PALETTE[0]);
    expect(colour(dots[3])).toBe(UNSHARED_COLOUR);
  });

  it("groups what the palette cannot name under Other companies", () => {
    const dots = Array.from({ length: 20 }, (_, i) => dot(i, `Company ${i}`)).concat([dot(20, "Company 19")]);
    const { colour, legend } = colourByCompany(dots);
    expect(legend[0]).toEqual({ label: "Company 19", colour: PALETTE[0], people: 2 });
    expect(legend.at(-1)).toEqual({ label: "Other companies", colour: OTHER_COLOUR, people: 19 });
    expect(colour(dots[0])).toBe(OTHER_COLOUR);
  });
});
