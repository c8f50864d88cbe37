// Bingo's pure parts: the countdown against the server's clock, the lines of a card, what changed between
// two looks at a card, and the words for numbers (actions: lib/actions.ts). No DOM, no fetch: vitest checks them all.

import { squareLabel } from "../../lib/actions";

export type LineKind = "row" | "column" | "diagonal";
export interface LineRef { kind: LineKind; index: number }
export interface SquareLike { position: number; signed: boolean; action: string; signed_by: { name: string } | null }

// --- the countdown --------------------------------------------------------------------------------------

/**
 * How far the server's clock is ahead of this device's (ms), from an answer's `generated_at` and when the
 * request left and its answer came back (this device's clock): the server answered about halfway between.
 * A phone whose clock is five minutes off still counts the round down to the second.
 */
export function clockOffset(generatedAt: string, sentAt: number, receivedAt: number): number {
  return Date.parse(generatedAt) - (sentAt + receivedAt) / 2;
}

/** Milliseconds left until `endsAt` on the server's clock (never below 0). */
export function remainingMs(endsAt: string, offsetMs: number, deviceNow: number): number {
  return Math.max(0, Date.parse(endsAt) - (deviceNow + offsetMs));
}

/** "9:05", "0:42", "1:02:03": what the big countdown shows (rounded up: "0:00" only when it is over). */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${seconds}` : `${minutes}:${seconds}`;
}

/** The countdown in words, for screen readers: it changes once a minute, so a live region says it seldom. */
export function countdownWords(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total === 0) return "Time is up";
  if (total < 60) return "Less than a minute left";
  const minutes = Math.ceil(total / 60);
  return `About ${minutes} ${minutes === 1 ? "minute" : "minutes"} left`;
}

/** "10 minutes", "4½ minutes", "45 seconds", "1 hour 30 minutes": how long a round ran. */
export function durationWords(startedAt: string, endsAt: string): string {
  const seconds = Math.max(0, Math.round((Date.parse(endsAt) - Date.parse(startedAt)) / 1000));
  if (seconds < 60) return `${seconds} ${seconds === 1 ? "second" : "seconds"}`;
  const halves = Math.round(seconds / 30); // to the half minute
  const minutes = Math.floor(halves / 2);
  const half = halves % 2 === 1;
  if (minutes >= 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    return `${hours} ${hours === 1 ? "hour" : "hours"}${rest ? ` ${rest} ${rest === 1 ? "minute" : "minutes"}` : ""}`;
  }
  if (half) return `${minutes}½ minutes`;
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

// --- lines ----------------------------------------------------------------------------------------------

/** The positions of a line on a size x size card (row by row from the top left, from 0); diagonal 0 runs
 * from the top left, 1 from the top right (as the API numbers them). */
export function linePositions(line: LineRef, size: number): number[] {
  const range = Array.from({ length: size }, (_, i) => i);
  if (line.kind === "row") return range.map((column) => line.index * size + column);
  if (line.kind === "column") return range.map((row) => row * size + line.index);
  return range.map((i) => i * size + (line.index === 0 ? i : size - 1 - i));
}

/** Every row, column and both diagonals of a card. */
export function allLines(size: number): LineRef[] {
  const range = Array.from({ length: size }, (_, i) => i);
  return [
    ...range.map((index) => ({ kind: "row" as const, index })),
    ...range.map((index) => ({ kind: "column" as const, index })),
    { kind: "diagonal", index: 0 },
    { kind: "diagonal", index: 1 },
  ];
}

/** The lines whose every square is signed (the server says so too; this lights a line up the moment a poll
 * brings its last square). */
export function completedLines(size: number, signed: Iterable<number>): LineRef[] {
  const done = new Set(signed);
  return allLines(size).filter((line) => linePositions(line, size).every((position) => done.has(position)));
}

/** The positions that belong to at least one of `lines`. */
export function positionsIn(lines: LineRef[], size: number): Set<number> {
  return new Set(lines.flatMap((line) => linePositions(line, size)));
}

/** "Row 2", "Column 3", "Diagonal from the top left": a line as a person names it (counting from 1). */
export function lineName(line: LineRef): string {
  if (line.kind === "row") return `Row ${line.index + 1}`;
  if (line.kind === "column") return `Column ${line.index + 1}`;
  return line.index === 0 ? "Diagonal from the top left" : "Diagonal from the top right";
}

const sameLine = (a: LineRef) => (b: LineRef) => a.kind === b.kind && a.index === b.index;

/** Lines in `now` that were not in `before`: what to celebrate. Nothing on the first look (`before` null):
 * a bingo made before the screen opened is shown, not celebrated again. */
export function newLines(before: LineRef[] | null, now: LineRef[]): LineRef[] {
  if (before === null) return [];
  return now.filter((line) => !before.some(sameLine(line)));
}

/** Squares signed now that were not before (nothing on the first look): what to light up and announce. */
export function newlySigned<S extends SquareLike>(before: S[] | null, now: S[]): S[] {
  if (before === null) return [];
  const was = new Set(before.filter((square) => square.signed).map((square) => square.position));
  return now.filter((square) => square.signed && !was.has(square.position));
}

/** What a screen reader hears when squares are signed: "Bob Builder signed Ask for advice." */
export function signedAnnouncement(squares: SquareLike[]): string {
  return squares
    .map((square) => `${square.signed_by?.name ?? "Someone"} signed ${squareLabel(square.action)}.`)
    .join(" ");
}

// --- words ----------------------------------------------------------------------------------------------

/** An event's own action from what an organizer types ("Swap cards!" -> "swap_cards"): the API's pattern is
 * a letter, then a-z, 0-9 and _, 40 at most. Empty when nothing usable is left. */
export function actionSlug(typed: string): string {
  const slug = typed.toLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "_").replace(/^[^a-z]+/, "").replace(/_+$/, "");
  return slug.slice(0, 40).replace(/_+$/, "");
}

/** 0.6667 -> "67%"; null (nobody to count) -> "—". */
export function percent(share: number | null): string {
  return share === null ? "—" : `${Math.round(share * 100)}%`;
}

/** How many squares a card of this size has, and how many more actions the pool needs for it. */
export function actionsMissing(size: number, actions: number): number {
  return Math.max(0, size * size - actions);
}
