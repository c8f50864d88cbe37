// Colours of the event's network picture: one per company (the most common ones), the rest grouped.
// Pure, so the picture (a lazy chunk with cytoscape) and its legend and tests agree.
import type { Network } from "../../lib/types";

type Dot = Network["dots"][number];

/** Distinct on white and for the common colour-vision deficiencies (Okabe-Ito, darkened where too light). */
export const PALETTE = ["#0b4fd6", "#d55e00", "#009e73", "#cc79a7", "#b8860b", "#3a8fc7", "#6a3d9a", "#7a4b00"];
export const OTHER_COLOUR = "#6b7280";
export const UNSHARED_COLOUR = "#b6bcc8";

export interface LegendEntry { label: string; colour: string; people: number }

export interface Colouring {
  /** The colour of a dot, by its key. */
  colour: (dot: Dot) => string;
  legend: LegendEntry[];
}

function companyKey(company: string | null): string | null {
  const key = (company ?? "").trim().replace(/\s+/g, " ").toLocaleLowerCase();
  return key || null;
}

/** The most common companies get a colour each; other companies share one, people who share none another. */
export function colourByCompany(dots: Dot[]): Colouring {
  const groups = new Map<string, { label: string; people: number }>();
  let unshared = 0;
  for (const dot of dots) {
    const key = companyKey(dot.company);
    if (key === null) {
      unshared += 1;
      continue;
    }
    const group = groups.get(key);
    if (group) group.people += 1;
    else groups.set(key, { label: dot.company!.trim(), people: 1 });
  }
  const ranked = [...groups.entries()].sort((a, b) => b[1].people - a[1].people || a[1].label.localeCompare(b[1].label));
  // A company of one is no group: with more companies than colours, those go under "Other companies".
  const named = ranked.slice(0, PALETTE.length).filter(([, group], i) => ranked.length <= PALETTE.length || group.people > 1 || i === 0);
  const colours = new Map(named.map(([key], i) => [key, PALETTE[i]]));
  const others = ranked.slice(named.length).reduce((sum, [, group]) => sum + group.people, 0);
  const legend: LegendEntry[] = named.map(([key, group]) => ({ label: group.label, colour: colours.get(key)!, people: group.people }));
  if (others) legend.push({ label: "Other companies", colour: OTHER_COLOUR, people: others });
  if (unshared) legend.push({ label: "Company not shared", colour: UNSHARED_COLOUR, people: unshared });
  return {
    colour: (dot) => {
      const key = companyKey(dot.company);
      return key === null ? UNSHARED_COLOUR : colours.get(key) ?? OTHER_COLOUR;
    },
    legend,
  };
}
