import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { DoorController, type DoorState } from "../../door/controller";
import { cameraErrorMessage, loadDecoder, startScanner, type Scanner } from "../../door/camera";
import { unlockSound } from "../../door/feedback";
import { RepeatFilter, resultKind } from "../../door/offline";
import { DoorStore } from "../../door/queue";
import { saveStation, type PairedStation } from "../../door/station";
import { count } from "../../lib/plural";
import { formatTime } from "../../lib/time";
import { ResultOverlay } from "./ResultOverlay";
import { SearchSheet } from "./SearchSheet";
import { WalkInSheet } from "./WalkInSheet";

type Panel = "search" | "walk-in" | null;

const ANNOUNCED = { accepted: "Accepted", repeat: "Already inside, nothing to do", refused: "Not accepted" } as const;

/** What the idle viewfinder says of this phone: ready for offline check-in once the badge list and the QR decoder
 * are both on it. */
function readiness(badges: number, decoder: "loading" | "ready" | "failed"): string {
  if (decoder === "ready") return `${count(badges, "badge")} ready for offline check-in`;
  if (decoder === "loading") return "Loading the scanner…";
  return "The scanner did not load: connect this phone to the internet, then reload the page.";
}

export function StationView(props: { paired: PairedStation; onUnpaired: () => void }) {
  const { paired } = props;
  const { station } = paired;
  const [door, setDoor] = useState<DoorController | null>(null);
  const [state, setState] = useState<DoorState | null>(null);
  const [camera, setCamera] = useState<"off" | "starting" | "on">("off");
  const [cameraError, setCameraError] = useState<string | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<Scanner | null>(null);
  const repeats = useRef(new RepeatFilter(2000));
  const heading = useRef<HTMLHeadingElement>(null);
  // Ready for offline check-in means the badge list and the QR decoder are both on this phone.
  const [decoder, setDecoder] = useState<"loading" | "ready" | "failed">("loading");
  useEffect(() => {
    loadDecoder().then(() => setDecoder("ready"), () => setDecoder("failed"));
  }, []);

  useEffect(() => {
    let controller: DoorController | null = null;
    let closed = false;
    DoorStore.open().then((store) => {
      if (closed) return store.close();
      controller = new DoorController(paired, store);
      controller.subscribe(setState);
      setState(controller.state);
      setDoor(controller);
      void controller.start();
    });
    heading.current?.focus();
    return () => {
      closed = true;
      controller?.dispose();
      scanner.current?.stop();
    };
  }, [paired]);

  // While a result shows, scanning goes on: a new badge replaces it at once.
  const shown = state?.shown;
  useEffect(() => {
    if (!shown || !door) return;
    const timer = setTimeout(() => door.dismiss(), shown.decision.result === "accepted" ? 1500 : 3000);
    return () => clearTimeout(timer);
  }, [shown, door]);
  const dismiss = useCallback(() => door?.dismiss(), [door]);

  async function startCamera() {
    if (!door) return;
    unlockSound();
    setCameraError(null);
    setCamera("starting");
    try {
      repeats.current.reset();
      scanner.current = await startScanner(video.current!, (text) => {
        if (repeats.current.accept(text, Date.now())) void door.scanQr(text);
      });
      setCamera("on");
    } catch (error) {
      setCamera("off");
      setCameraError(cameraErrorMessage(error));
    }
  }

  function stopCamera() {
    scanner.current?.stop();
    scanner.current = null;
    setCamera("off");
  }

  async function unpair() {
    const waiting = state?.pending ?? 0;
    const warning = waiting ? `\n\n${count(waiting, "scan")} ${waiting === 1 ? "has" : "have"} not reached the server yet and will be lost.` : "";
    if (!confirm(`Unpair this phone from ${station.name}?${warning}`)) return;
    stopCamera();
    const store = await DoorStore.open();
    await store.clear({ scans: true });
    store.close();
    saveStation(null);
    props.onUnpaired();
  }

  const s = state;
  const status = !s ? "" : s.blocked ? "Not paired" : s.online ? (s.pending ? `Online · syncing ${s.pending}` : "Online · all synced") : "Offline";
  const connected = !!s?.online && !s.blocked;
  return (
    <main class="door" aria-labelledby="door-station-name">
      <header class="door-bar">
        <div class="door-title">
          <h1 ref={heading} tabIndex={-1} id="door-station-name">{station.name}</h1>
          <p>{station.event.title}</p>
        </div>
        <div class="door-status" aria-live="polite">
          <span class={connected ? "pill ok" : "pill off"} data-testid="door-online">
            <span aria-hidden="true">{connected ? "●" : "○"}</span> {status}
          </span>
          {s && s.pending > 0 && <span class="pill wait" data-testid="door-pending">{s.pending} waiting to sync</span>}
        </div>
      </header>

      {s?.blocked && (
        <div class="door-blocked" role="alert">
          <p>{s.blocked}</p>
          <button type="button" class="button secondary" onClick={unpair}>Pair again</button>
        </div>
      )}

      <section class="viewfinder" aria-label="Scanner">
        <video ref={video} muted playsInline aria-label="Camera view" class={camera === "on" ? "" : "hidden"} />
        {camera === "on" && <div class="aim" aria-hidden="true" />}
        {camera !== "on" && (
          <div class="viewfinder-idle">
            <p>{s ? readiness(s.badges, decoder) : "Opening…"}</p>
            {cameraError && <p class="camera-error" role="alert">{cameraError}</p>}
            <button type="button" class="button primary big" onClick={startCamera} disabled={!door || camera === "starting"}>
              {camera === "starting" ? "Starting camera…" : "Start scanning"}
            </button>
          </div>
        )}
      </section>

      <section class="door-info" aria-label="This phone's scans">
        {s?.notice && <p class="door-notice" role="status">{s.notice}</p>}
        <p class="door-last" data-testid="door-last">
          {s?.last
            ? <>Last: <strong>{s.last.name ?? "unknown badge"}</strong> — {s.last.undone ? "undone" : s.last.summary ?? (s.last.result === "accepted" ? (s.last.direction === "exit" ? "left" : "checked in") : "not let in")}</>
            : "No scans yet on this phone."}
        </p>
        <p class="door-counts" data-testid="door-counts">
          In: <strong>{s?.accepted ?? 0}</strong> · Already inside: <strong>{s?.repeated ?? 0}</strong> · Refused: <strong>{s?.refused ?? 0}</strong>
          {s?.badgesCheckedAt && <> · badge list {formatTime(s.badgesCheckedAt)}</>}
        </p>
      </section>

      <nav class="door-actions" aria-label="Door actions">
        <button type="button" class="button" onClick={() => setPanel("search")} disabled={!door}>Find by name</button>
        <button type="button" class="button" onClick={() => setPanel("walk-in")} disabled={!door}>Walk-in</button>
        <button type="button" class="button" onClick={() => door?.undoLast()}
          disabled={!s?.last || s.last.result !== "accepted" || s.last.undone}>Undo last</button>
      </nav>

      <details class="door-more">
        <summary>More options</summary>
        <fieldset class="direction">
          <legend>Scanning people</legend>
          {(["entry", "exit"] as const).map((direction) => (
            <label>
              <input type="radio" name="direction" value={direction} checked={s?.direction === direction}
                onChange={() => door?.setDirection(direction)} />
              {direction === "entry" ? " In (entry)" : " Out (exit)"}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <button type="button" class="button secondary" onClick={() => door?.refreshBadges({ full: true })}>Update badge list</button>
          {camera === "on" && <button type="button" class="button secondary" onClick={stopCamera}>Stop camera</button>}
          <button type="button" class="button danger" onClick={unpair}>Unpair this phone</button>
        </div>
      </details>

      {/* Screen readers hear every result, not only its colour. */}
      <p class="sr-only" aria-live="assertive" data-testid="door-announcer">
        {shown ? `${ANNOUNCED[resultKind(shown.decision)]}. ${shown.decision.message}` : ""}
      </p>
      {shown && <ResultOverlay shown={shown} timeZone={station.event.timezone} onDismiss={dismiss} />}
      {panel === "search" && door && <SearchSheet door={door} onClose={() => setPanel(null)} />}
      {panel === "walk-in" && door && <WalkInSheet door={door} onClose={() => setPanel(null)} />}
    </main>
  );
}
