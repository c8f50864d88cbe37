import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { clockOffset } from "./logic";

export interface Polled<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  /** The server's clock minus this device's (ms), from the last answer that said its `generated_at`. */
  offsetMs: number;
  /** Ask again now (after an action), then go on polling. */
  reload: () => void;
}

/**
 * Load now, then again every `everyMs` while the page is visible: the timer stops when the page is hidden (a
 * phone in a pocket asks nothing) and the page asks at once when it shows again. `everyMs` null: load once.
 * The next request leaves only after the answer to the last one, so a slow network never piles them up.
 * `deps` say when `load` changes, as for useEffect.
 */
export function usePoll<T>(load: () => Promise<T>, everyMs: number | null, deps: unknown[]): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [offsetMs, setOffsetMs] = useState(0);
  const [asked, setAsked] = useState(0);
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const visible = () => document.visibilityState === "visible";
    const schedule = () => {
      clearTimeout(timer);
      if (alive && everyMs !== null && visible()) timer = setTimeout(tick, everyMs);
    };
    async function tick() {
      const sentAt = Date.now();
      try {
        const value = await loader.current();
        if (!alive) return;
        const generatedAt = (value as { generated_at?: unknown } | null)?.generated_at;
        if (typeof generatedAt === "string") setOffsetMs(clockOffset(generatedAt, sentAt, Date.now()));
        setData(value);
        setError(null);
      } catch (problem) {
        if (!alive) return;
        setError(problem);
      }
      setLoading(false);
      schedule();
    }
    const onVisibility = () => {
      clearTimeout(timer);
      if (visible()) void tick();
    };
    void tick();
    document.addEventListener("visibilitychange", onVisibility);
    return () => {
      alive = false;
      clearTimeout(timer);
      document.removeEventListener("visibilitychange", onVisibility);
    };
    // The caller's deps say when `load` changes, as they would for its own useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [everyMs, asked, ...deps]);

  const reload = useCallback(() => setAsked((n) => n + 1), []);
  return { data, error, loading, offsetMs, reload };
}

/** This device's clock, re-read every second while `running` (a countdown on screen). */
export function useNow(running: boolean): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!running) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [running]);
  return running ? now : Date.now();
}
