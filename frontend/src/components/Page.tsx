import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { getSession, onSessionChange } from "../lib/session";
import { usePath } from "../router";

export function useSession() {
  const [session, setSessionState] = useState(getSession);
  useEffect(() => onSessionChange(setSessionState), []);
  return session;
}

const NAV = [
  { href: "/", label: "Events" },
  { href: "/me", label: "My events" },
  { href: "/scan", label: "Meet" },
  { href: "/organize", label: "Organize" },
];

/** The frame of ordinary screens: a header with navigation, then the screen's content.
 * The heading takes focus on each new screen so screen readers announce it. */
export function Page(props: {
  title: string; children: ComponentChildren; wide?: boolean; back?: { href: string; label: string };
  /** The browser tab's title when the heading alone does not tell screens apart (an event's tabs). */
  documentTitle?: string;
}) {
  const path = usePath();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, [props.title]);
  useEffect(() => {
    document.title = `${props.documentTitle ?? props.title} · netevents`;
  }, [props.title, props.documentTitle]);
  const current = (href: string) => (href === "/" ? path === "/" || path.startsWith("/e/") : path.startsWith(href));
  return (
    <>
      <a class="skip" href="#content">Skip to content</a>
      <header class="topbar">
        <a class="brand" href="/">netevents</a>
        <nav aria-label="Main">
          {NAV.map((item) => (
            <a href={item.href} aria-current={current(item.href) ? "page" : undefined}>{item.label}</a>
          ))}
        </nav>
      </header>
      <main id="content" class={props.wide ? "page wide" : "page"}>
        {props.back && <a class="back" href={props.back.href}>← {props.back.label}</a>}
        <h1 ref={heading} tabIndex={-1}>{props.title}</h1>
        {props.children}
      </main>
    </>
  );
}
