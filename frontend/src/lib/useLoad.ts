import { useCallback, useEffect, useState } from "preact/hooks";

export interface Loaded<T> { data: T | null; error: unknown; loading: boolean; reload: () => void; set: (data: T) => void }

/**
 * Load something when the screen opens, again when `deps` change (like useEffect's: the lint checks
 * every caller's list), and on reload(); keeps the last data while reloading.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[] = []): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    setLoading(true);
    load().then(
      (value) => {
        if (!current) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (problem) => {
        if (!current) return;
        setError(problem);
        setLoading(false);
      },
    );
    return () => {
      current = false;
    };
    // The caller's deps say when `load` changes, as they would for its own useEffect.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, round]);
  const reload = useCallback(() => setRound((n) => n + 1), []);
  return { data, error, loading, reload, set: setData };
}
