import { useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote, Field } from "../../components/Form";
import { ApiError } from "../../lib/api";
import { cameraErrorMessage, startScanner, type Scanner } from "../../door/camera";
import { pairingCodeFrom } from "../../door/offline";
import { pairStation, type PairedStation } from "../../door/station";

/** Pair this phone with a station: scan the pairing QR an organizer shows, or type its code. */
export function Pairing(props: { initialCode: string | null; onPaired: (paired: PairedStation) => void }) {
  const [code, setCode] = useState(props.initialCode ?? "");
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [scanning, setScanning] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<Scanner | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  async function pair(value: string) {
    setBusy(true);
    setError(null);
    try {
      props.onPaired(await pairStation(value));
    } catch (problem) {
      setError(problem);
      setBusy(false);
    }
  }

  useEffect(() => {
    heading.current?.focus();
    if (props.initialCode) void pair(props.initialCode);
    return () => scanner.current?.stop();
    // Only when the screen opens: a pairing code works once, so the one from the link is sent once.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  async function startCamera() {
    setError(null);
    setScanning(true);
    try {
      scanner.current = await startScanner(video.current!, (text) => {
        const found = pairingCodeFrom(text);
        if (!found) return;
        scanner.current?.stop();
        setScanning(false);
        setCode(found);
        void pair(found);
      });
    } catch (problem) {
      setScanning(false);
      setError(new Error(cameraErrorMessage(problem)));
    }
  }

  function stopCamera() {
    scanner.current?.stop();
    setScanning(false);
  }

  const codeError = error instanceof ApiError ? error.field("code") : undefined;
  return (
    <main class="page door-pairing">
      <p class="eyebrow">netevents door</p>
      <h1 ref={heading} tabIndex={-1}>Pair this phone</h1>
      <p>Turn this phone into a door scanner for one event. An organizer opens <strong>Organize → the event → Stations</strong> and shows the station's pairing QR code.</p>
      <div class={scanning ? "camera-box" : "camera-box hidden"}>
        <video ref={video} aria-label="Camera view" muted playsInline />
      </div>
      {scanning
        ? <button type="button" class="button secondary block" onClick={stopCamera}>Stop camera</button>
        : <button type="button" class="button primary block" onClick={startCamera} disabled={busy}>Scan pairing QR code</button>}
      <form class="stack" onSubmit={(event) => {
        event.preventDefault();
        const value = pairingCodeFrom(code);
        if (value) void pair(value);
        else setError(new ApiError(400, "invalid_pairing_code", "Type the code as shown, like K7QF-M2XR-P9.", { code: ["Type the code as shown, like K7QF-M2XR-P9."] }));
      }}>
        <p class="divider"><span>or type the code</span></p>
        <Field label="Pairing code" name="code" required value={code} error={codeError}
          autoComplete="off" autoCapitalize="characters" spellcheck={false} placeholder="K7QF-M2XR-P9"
          onInput={(event) => {
            setCode((event.target as HTMLInputElement).value);
            if (codeError) setError(null); // a new code: the old one's error no longer applies
          }} />
        {!codeError && <ErrorNote error={error} />}
        <button class="button primary block" disabled={busy}>{busy ? "Pairing…" : "Pair this phone"}</button>
      </form>
    </main>
  );
}
