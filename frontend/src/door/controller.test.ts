import "fake-indexeddb/auto";
import { afterEach, beforeEach, expect, it, vi } from "vitest";
import type { PairedStation } from "./station";
import { DoorController } from "./controller";
import { DoorStore } from "./queue";

const paired = {
  token: "st_test",
  station: { id: 1, name: "Door A", event: { id: 1, title: "Meetup", timezone: "UTC" } },
} as unknown as PairedStation;

let browser: { onLine: boolean };
let store: DoorStore;

beforeEach(async () => {
  browser = { onLine: true };
  const events = new EventTarget();
  vi.stubGlobal("navigator", browser);
  vi.stubGlobal("window", Object.assign(events, { setInterval: () => 0 }));
  vi.stubGlobal("location", new URL("http://door.test/door"));
  vi.stubGlobal("localStorage", { getItem: () => null, setItem: () => {}, removeItem: () => {} });
  store = await DoorStore.open(`controller-test-${Math.random()}`);
});
afterEach(() => {
  store.close();
  vi.unstubAllGlobals();
});

it("a request that finishes after the browser went offline does not show the door as online", async () => {
  let answer!: (response: Response) => void;
  vi.stubGlobal("fetch", () => new Promise<Response>((resolve) => { answer = resolve; }));
  const door = new DoorController(paired, store);
  const refreshing = door.refreshBadges();
  await vi.waitFor(() => expect(answer).toBeDefined());

  // The network drops while the badge list is on its way back.
  browser.onLine = false;
  window.dispatchEvent(new Event("offline"));
  answer(new Response(null, { status: 304 }));
  await refreshing;

  expect(door.state.online).toBe(false);
});
