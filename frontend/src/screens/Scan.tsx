import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ErrorNote } from "../components/Form";
import { Page, useSession } from "../components/Page";
import { LoadFailed, SkeletonCards } from "../components/Status";
import { cameraErrorMessage, loadDecoder, startScanner, type Scanner } from "../door/camera";
import { RepeatFilter } from "../door/offline";
import { api, ApiError, type Page as ApiPage } from "../lib/api";
import {
  eventOnNowLabel, eventsOnNow, newExchange, openMeetQueue, posterPath, refusalTitle, sendExchange, sendExchanges, typedBadgeCode,
  type MeetQueue, type PendingExchange,
} from "../lib/meet";
import { count } from "../lib/plural";
import { formatScanTime } from "../lib/time";
import type { Connection, EventActions, ExchangeAnswer, Registration } from "../lib/types";
import { useLoad } from "../lib/useLoad";
import { navigate } from "../router";
import { MeetSheet, type Outcome } from "./meet/MeetSheet";
import "./meet/meet.css";

/** `/scan`: scan the badge of someone you met (or type the code under it): "we met", with what happened and a
 * private note. Works offline: scans wait on the phone with their time and are sent when the network is back. */
export default function Scan() {
  const session = useSession();
  if (!session) {
    return (
      <Page title="Meet people">
        <p>Scan the badge of someone you meet to keep in touch: you see their card as they share it, and add a private note.</p>
        <p><a class="button primary" href="/me">Sign in to start</a></p>
      </Page>
    );
  }
  return <MeetScreen key={session.user.id} userId={session.user.id} />;
}

function MeetScreen(props: { userId: number }) {
  const registrations = useLoad(() => api<ApiPage<Registration>>("/me/registrations", { query: { per_page: 50 } }));
  const onNow = registrations.data ? eventsOnNow(registrations.data.items) : [];
  const [picked, setPicked] = useState<number | null>(null);
  const current = onNow.find((r) => r.event_id === picked) ?? onNow[0] ?? null;
  const eventId = current?.event_id ?? null;
  const actions = useLoad(
    () => (eventId ? api<EventActions>(`/events/${eventId}/exchange-actions`) : Promise.resolve(null)), [eventId]);
  const recent = useLoad(
    () => (eventId ? api<ApiPage<Connection>>("/me/connections", { query: { event_id: eventId, per_page: 10 } }) : Promise.resolve(null)),
    [eventId]);

  const [queue, setQueue] = useState<MeetQueue | null>(null);
  const [pending, setPending] = useState<PendingExchange[]>([]);
  const [online, setOnline] = useState(navigator.onLine);
  const [synced, setSynced] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [camera, setCamera] = useState<"off" | "starting" | "on">("off");
  const [cameraError, setCameraError] = useState<string | null>(null);
  const [typed, setTyped] = useState("");
  const [typedError, setTypedError] = useState<string | null>(null);
  const [sendError, setSendError] = useState<unknown>(null);
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<Scanner | null>(null);
  const repeats = useRef(new RepeatFilter(4000));
  const handling = useRef(false);
  /** False once the camera should stop: a badge can be read before startScanner has even answered. */
  const cameraWanted = useRef(false);

  const refreshPending = useCallback(async (q: MeetQueue | null = queue) => setPending(q ? await q.all() : []), [queue]);

  const sync = useCallback(async (q: MeetQueue | null = queue) => {
    if (!q || !(await q.count())) return;
    try {
      const answers = await q.sync(sendExchanges);
      setSynced(syncSummary(answers));
      recent.reload();
    } catch {
      // Still no network: the exchanges wait for the next try.
    }
    await refreshPending(q);
  }, [queue, recent, refreshPending]);

  useEffect(() => {
    let closed = false;
    void loadDecoder().catch(() => undefined); // while online: meeting people works offline later
    openMeetQueue(props.userId).then(async (q) => {
      if (closed) return;
      setQueue(q);
      setPending(await q.all());
      if (navigator.onLine) void sync(q);
    });
    return () => {
      closed = true;
      scanner.current?.stop();
    };
    // Opened once per person; `sync` is called with the queue it opened.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.userId]);

  useEffect(() => {
    const up = () => {
      setOnline(true);
      void sync();
    };
    const down = () => setOnline(false);
    window.addEventListener("online", up);
    window.addEventListener("offline", down);
    return () => {
      window.removeEventListener("online", up);
      window.removeEventListener("offline", down);
    };
  }, [sync]);

  function stopCamera() {
    cameraWanted.current = false;
    scanner.current?.stop();
    scanner.current = null;
    setCamera("off");
  }

  /** A badge scanned or typed: kept on the phone first, then sent; the sheet shows what came of it. */
  async function meet(badge: { qr: string } | { badge_code: string }): Promise<boolean> {
    if (!queue || handling.current) return false;
    handling.current = true;
    setBusy(true);
    setSendError(null);
    const exchange = newExchange(badge, current?.event.title ?? "");
    await queue.add(exchange);
    try {
      if (!navigator.onLine) throw new ApiError(0, "network", "offline");
      const answer = await sendExchange(exchange);
      await queue.remove([exchange.nonce]);
      setOutcome({ kind: "answered", exchange, answer });
      if (answer.result === "recorded") recent.reload();
      return true;
    } catch (problem) {
      if (problem instanceof ApiError && problem.isNetwork) {
        setOutcome({ kind: "queued", exchange });
        return true;
      }
      await queue.remove([exchange.nonce]); // answered with a problem: nothing to send again
      if ("badge_code" in badge) setTypedError(problem instanceof ApiError ? problem.message : String(problem));
      else setSendError(problem);
      return false;
    } finally {
      handling.current = false;
      setBusy(false);
      await refreshPending(queue);
    }
  }

  async function startCamera() {
    setCameraError(null);
    setCamera("starting");
    cameraWanted.current = true;
    try {
      const started = await startScanner(video.current!, (text) => {
        if (handling.current || !repeats.current.accept(text, Date.now())) return;
        const poster = posterPath(text);
        if (poster) {
          stopCamera();
          navigate(poster);
          return;
        }
        stopCamera();
        void meet({ qr: text });
      });
      if (!cameraWanted.current) return started.stop(); // a badge was read (or Stop pressed) while it started
      scanner.current = started;
      setCamera("on");
    } catch (error) {
      setCamera("off");
      setCameraError(cameraErrorMessage(error));
    }
  }

  async function submitCode(event: Event) {
    event.preventDefault();
    const code = typedBadgeCode(typed);
    if (!code) {
      setTypedError("A badge code has 8 letters and digits, like 7KQ4-M2XZ: it is printed under the QR code.");
      return;
    }
    setTypedError(null);
    if (await meet({ badge_code: code })) setTyped("");
  }

  async function keepQueued(exchange: PendingExchange) {
    if (queue && (await queue.get(exchange.nonce))) await queue.add(exchange);
    await refreshPending();
  }

  if (registrations.loading && !registrations.data) {
    return <Page title="Meet people"><SkeletonCards what="your events" count={2} /></Page>;
  }

  return (
    <Page title="Meet people">
      {registrations.error ? <LoadFailed error={registrations.error} retry={registrations.reload} /> : null}
      {registrations.data && (onNow.length === 0 ? (
        <p class="note" data-testid="meet-no-event">
          None of your events is on right now. Scanning records a meeting from an event's check-in until a day after it
          ends; see <a href="/me">My events</a>. You can still scan: the badge's event decides.
        </p>
      ) : onNow.length === 1 ? (
        <p class="meet-event">At <strong>{eventOnNowLabel(current!.event)}</strong></p>
      ) : (
        <div class="field meet-event">
          <label for="meet-event">Event</label>
          <select id="meet-event" value={eventId ?? ""} onChange={(e) => setPicked(Number((e.target as HTMLSelectElement).value))}>
            {onNow.map((r) => <option value={r.event_id}>{eventOnNowLabel(r.event)}</option>)}
          </select>
        </div>
      ))}

      <section class="meet-camera" aria-label="Scan a badge">
        <div class={camera === "on" ? "meet-viewfinder" : "meet-viewfinder hidden"}>
          <video ref={video} muted playsInline aria-label="Camera view" />
          <div class="aim" aria-hidden="true" />
        </div>
        {cameraError && <p class="camera-error" role="alert">{cameraError}</p>}
        <ErrorNote error={sendError} />
        {camera === "on" ? (
          <button type="button" class="button secondary block" onClick={stopCamera}>Stop camera</button>
        ) : (
          <button type="button" class="button primary big block" onClick={startCamera} disabled={!queue || camera === "starting" || busy}>
            {camera === "starting" ? "Starting camera…" : busy ? "Recording…" : "Scan a badge"}
          </button>
        )}
        <p class="hint">Point the camera at their badge QR code. {online ? "" : "You are offline: scans wait on this phone."}</p>
      </section>

      <form class="meet-code" onSubmit={submitCode} noValidate>
        <div class={typedError ? "field invalid" : "field"}>
          <label for="meet-code">Camera will not focus? Type the code under their QR code</label>
          <div class="row meet-code-row">
            <input id="meet-code" name="badge_code" value={typed} autoComplete="off" autoCapitalize="characters" spellcheck={false}
              placeholder="7KQ4-M2XZ" maxLength={20} aria-invalid={typedError ? "true" : undefined}
              aria-describedby={typedError ? "meet-code-error" : undefined}
              onInput={(e) => setTyped((e.target as HTMLInputElement).value)} />
            <button type="submit" class="button secondary" disabled={!queue || busy}>Connect</button>
          </div>
          {typedError && <p class="error" id="meet-code-error" role="alert">{typedError}</p>}
        </div>
      </form>

      {(pending.length > 0 || synced) && (
        <section class={pending.length ? "card meet-queue" : "card meet-queue done"} aria-labelledby="meet-queue-title" data-testid="meet-queue">
          <h2 id="meet-queue-title">{pending.length ? `Waiting to be sent (${pending.length})` : "All scans sent"}</h2>
          {synced && <p role="status" class="meet-synced">{synced}</p>}
          {pending.length > 0 && (
            <>
              <ul class="list">
                {pending.map((item) => (
                  <li class="meet-pending">
                    <span>{item.badge_code ? `Code ${item.badge_code}` : "Scanned badge"}</span>
                    <span class="muted"> · {formatScanTime(item.scanned_at)}{item.event_title ? ` · ${item.event_title}` : ""}</span>
                    {item.actions.length > 0 && <span class="muted"> · {count(item.actions.length, "tag")}</span>}
                  </li>
                ))}
              </ul>
              <p class="hint">{online ? "Sending…" : "Sent automatically when you are back online, with the time you scanned."}</p>
              <button type="button" class="button secondary small" disabled={!online} onClick={() => void sync()}>Send now</button>
            </>
          )}
        </section>
      )}

      {eventId && (
        <section aria-labelledby="meet-recent-title">
          <h2 id="meet-recent-title">Recently met here</h2>
          {/* Offline, the list last loaded stays: the error only shows when there is nothing to show. */}
          {recent.loading && !recent.data ? <SkeletonCards what="people you met" count={2} />
            : recent.error && !recent.data ? <LoadFailed error={recent.error} retry={recent.reload} />
            : !recent.data?.items.length ? <p class="muted">Nobody yet. Scan the badge of the next person you talk to.</p>
            : (
              <ul class="list meet-recent" data-testid="meet-recent">
                {recent.data.items.map((c) => (
                  <li class="card meet-person">
                    <strong>{c.other.name}</strong>
                    {(c.other.headline || c.other.company) && <span class="muted"> · {[c.other.headline, c.other.company].filter(Boolean).join(" · ")}</span>}
                    <span class="tags">
                      {c.i_scanned && <span class="tag">You scanned</span>}
                      {c.scanned_me && <span class="tag ok">Scanned you</span>}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          <p><a href="/me/connections">All my connections</a></p>
        </section>
      )}

      {outcome && (
        <MeetSheet outcome={outcome} actions={actions.data ? [...actions.data.standard, ...actions.data.custom] : []}
          labels={actions.data?.labels}
          onQueuedSave={keepQueued}
          onSaved={() => {
            setOutcome(null);
            if (navigator.onLine) recent.reload();
          }}
          onClose={() => setOutcome(null)} />
      )}
    </Page>
  );
}

/** After a sync, in words: "Sent 2 waiting scans: 1 connected, 1 not recorded (No badge has this code)." */
function syncSummary(answers: ExchangeAnswer[]): string {
  const recorded = answers.filter((a) => a.result === "recorded").length;
  const refused = answers.filter((a) => a.result !== "recorded");
  const why = [...new Set(refused.map((a) => refusalTitle(a.reason)))].join(", ");
  return `Sent ${count(answers.length, "waiting scan")}: ${recorded} recorded${refused.length ? `, ${refused.length} not recorded (${why})` : ""}.`;
}
