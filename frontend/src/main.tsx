import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ErrorBoundary, LocationProvider, Route, Router, lazy, useLocation } from "preact-iso";
import { setNavigator } from "./router";
import { APP_LINKS, notFound, screens, type Loader, type Params } from "./routes";
import "./styles.css";

function ScreenDidNotLoad() {
  return (
    <main class="page">
      <h1>This screen did not load</h1>
      <p role="alert">Check the connection, then <a href={location.href}>reload</a>.</p>
    </main>
  );
}

/** A screen as a route: loaded on first use (a failed download says so), and a fresh instance for each
 * path, so `/e/1` → `/e/2` starts the screen over as a page load would. */
function routed(load: Loader) {
  const Screen = lazy(() => load().catch(() => ({ default: ScreenDidNotLoad })));
  return function RoutedScreen(props: { path: string; params: Params }) {
    return <Screen key={props.path} params={props.params} />;
  };
}

const routes = screens.map(([path, load]) => ({ path, component: routed(load) }));
const NotFound = routed(notFound);

function Skeleton() {
  return (
    <div class="page skeleton" role="status" aria-busy="true">
      <span class="sr-only">Loading…</span>
      <span class="skeleton-line" style={{ width: "55%", height: "1.8rem" }} aria-hidden="true" />
      <span class="skeleton-line" style={{ width: "90%" }} aria-hidden="true" />
      <span class="skeleton-line" style={{ width: "70%" }} aria-hidden="true" />
    </div>
  );
}

function Screens() {
  const { route } = useLocation();
  useEffect(() => setNavigator(route), [route]);
  // Until the first screen has loaded there is nothing to keep on screen: show its outline. Later, the
  // previous screen stays while the next one loads.
  const [firstLoad, setFirstLoad] = useState(true);
  return (
    <>
      {firstLoad && <Skeleton />}
      <Router onLoadEnd={() => setFirstLoad(false)} onRouteChange={() => setFirstLoad(false)}>
        {[
          ...routes.map(({ path, component }) => <Route key={path} path={path} component={component} />),
          <Route key="*" default component={NotFound} />,
        ]}
      </Router>
    </>
  );
}

render(
  <LocationProvider scope={APP_LINKS}>
    <ErrorBoundary>
      <Screens />
    </ErrorBoundary>
  </LocationProvider>,
  document.getElementById("app")!,
);

// The service worker keeps the app shell, the door and badges working without network.
if ("serviceWorker" in navigator && import.meta.env.PROD) {
  navigator.serviceWorker.register("/sw.js").catch(() => undefined);
}
