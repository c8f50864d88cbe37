import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { interceptLinks, matchRoute, usePath, type Screen } from "./router";
import "./styles.css";

function App() {
  const path = usePath();
  const match = matchRoute(path);
  const { pattern, load } = match;
  const [loaded, setLoaded] = useState<{ pattern: string; Screen: Screen } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let current = true;
    setFailed(false);
    load().then(
      (module) => current && setLoaded({ pattern, Screen: module.default }),
      () => current && setFailed(true),
    );
    return () => {
      current = false;
    };
  }, [pattern, load]);

  if (failed) {
    return (
      <main class="page">
        <h1>This screen did not load</h1>
        <p role="alert">Check the connection, then <a href={location.href}>reload</a>.</p>
      </main>
    );
  }
  if (!loaded || loaded.pattern !== match.pattern) {
    return (
      <div class="page skeleton" role="status" aria-busy="true">
        <span class="sr-only">Loading…</span>
        <span class="skeleton-line" style={{ width: "55%", height: "1.8rem" }} aria-hidden="true" />
        <span class="skeleton-line" style={{ width: "90%" }} aria-hidden="true" />
        <span class="skeleton-line" style={{ width: "70%" }} aria-hidden="true" />
      </div>
    );
  }
  const { Screen } = loaded;
  return <Screen key={path} params={match.params} />;
}

interceptLinks();
render(<App />, document.getElementById("app")!);

// The service worker keeps the app shell, the door and badges working without network.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register("/sw.js").catch(() => undefined);
}
