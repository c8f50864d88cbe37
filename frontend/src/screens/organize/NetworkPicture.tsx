// The event's network as a picture: people as dots, who met whom as lines, coloured by company.
// Its own chunk (cytoscape is big): only the Results tab loads it, and the service worker does not precache it.
import cytoscape from "cytoscape";
import { useEffect, useRef, useState } from "preact/hooks";
import { count } from "../../lib/plural";
import type { Network } from "../../lib/types";
import { colourByCompany } from "./networkColours";

/** Above this many dots the force-directed layout takes seconds: rings by how many people each met instead. */
export const FAST_LAYOUT_ABOVE = 150;

// Cytoscape puts a <style> element of its own in <head> unless one with this id is there already; the page's
// Content-Security-Policy refuses inline styles, so a placeholder takes its place and results.css carries its
// one rule (a relative position for the container).
const CYTOSCAPE_STYLESHEET_ID = "__________cytoscape_stylesheet";

function claimCytoscapeStylesheet(): void {
  if (document.getElementById(CYTOSCAPE_STYLESHEET_ID)) return;
  const placeholder = document.createElement("meta");
  placeholder.id = CYTOSCAPE_STYLESHEET_ID;
  document.head.append(placeholder);
}

type Dot = Network["dots"][number];

export default function NetworkPicture(props: { network: Network; onDrawn?: (milliseconds: number) => void }) {
  const { network, onDrawn } = props;
  const box = useRef<HTMLDivElement>(null);
  const [picked, setPicked] = useState<Dot | null>(null);
  const colouring = colourByCompany(network.dots);
  const met = network.dots.filter((dot) => dot.degree > 0).length;

  useEffect(() => {
    const container = box.current!;
    const started = performance.now();
    const { colour } = colourByCompany(network.dots);
    const byKey = new Map(network.dots.map((dot) => [String(dot.key), dot]));
    claimCytoscapeStylesheet();
    const big = network.dots.length > FAST_LAYOUT_ABOVE;
    const cy = cytoscape({
      container,
      elements: [
        ...network.dots.map((dot) => ({
          data: { id: String(dot.key), colour: colour(dot), size: 10 + 4 * Math.sqrt(dot.degree) },
          classes: dot.attended ? "" : "absent",
        })),
        ...network.lines.map((line, i) => ({
          data: { id: `l${i}`, source: String(line.source), target: String(line.target) },
          classes: line.new ? "new" : "",
        })),
      ],
      style: [
        { selector: "node", style: { "background-color": "data(colour)", width: "data(size)", height: "data(size)", "border-width": 1, "border-color": "#ffffff" } },
        { selector: "node.absent", style: { "background-color": "#ffffff", "border-width": 2, "border-color": "data(colour)" } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#14171f" } },
        { selector: "edge", style: { width: 1, "line-color": "#9aa3b5", opacity: big ? 0.25 : 0.8, "curve-style": "haystack" } },
        { selector: "edge.new", style: { "line-color": "#4a5160" } },
      ],
      layout: big
        ? { name: "concentric", concentric: (node) => node.degree(false), minNodeSpacing: 2, animate: false }
        : { name: "cose", animate: false, randomize: true, nodeRepulsion: () => 6000, idealEdgeLength: () => 40, numIter: 600 },
      // A picture to look at, not a canvas to scroll into: the page scrolls on a phone; tapping a dot tells who.
      maxZoom: 2, // a handful of dots stays dots, not discs
      userPanningEnabled: false,
      userZoomingEnabled: false,
      boxSelectionEnabled: false,
      autoungrabify: true,
      textureOnViewport: big,
      hideEdgesOnViewport: big,
    });
    container.dataset.laidOutMs = String(Math.round(performance.now() - started));
    cy.one("render", () => {
      requestAnimationFrame(() => {
        const milliseconds = Math.round(performance.now() - started);
        container.dataset.drawnMs = String(milliseconds);
        onDrawn?.(milliseconds);
      });
    });
    cy.on("tap", "node", (event) => setPicked(byKey.get(event.target.id()) ?? null));
    cy.on("tap", (event) => {
      if (event.target === cy) setPicked(null);
    });
    const refit = new ResizeObserver(() => {
      cy.resize();
      cy.fit(undefined, 12);
    });
    refit.observe(container);
    return () => {
      refit.disconnect();
      cy.destroy();
    };
  }, [network, onDrawn]);

  return (
    <figure class="network">
      <div ref={box} class="network-picture" role="img" data-testid="network-picture"
        aria-label={`${count(network.dots.length, "person", "people")} as dots, ${count(network.lines.length, "pair who met", "pairs who met")} as lines; ${met} met someone. The same in the table below.`} />
      <p class="hint network-picked" aria-live="polite">
        {picked
          ? `${picked.name}${picked.company ? ` · ${picked.company}` : ""} · ${picked.attended ? "came" : "did not come"} · met ${count(picked.degree, "person", "people")}`
          : "Tap a dot to see who it is. Filled dots came (checked in or met someone there), hollow ones registered but did not come; bigger dots met more people."}
      </p>
      <figcaption>
        <ul class="legend" aria-label="Colours by company">
          {colouring.legend.map((entry) => (
            <li><span class="swatch" style={{ backgroundColor: entry.colour }} aria-hidden="true" />{entry.label} <span class="muted">({entry.people})</span></li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}
