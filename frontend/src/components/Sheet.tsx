import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** A modal panel (native <dialog>: focus is trapped inside, Escape closes it). When it goes, the focus goes
 * back to what opened it, not to the page: however it went (Close, Escape, or the screen removing it). */
export function Sheet(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const onClose = useRef(props.onClose);
  onClose.current = props.onClose;
  useEffect(() => {
    const element = dialog.current!;
    const opener = document.activeElement as HTMLElement | null;
    const closed = () => onClose.current();
    if (!element.open) element.showModal();
    element.addEventListener("close", closed);
    return () => {
      element.removeEventListener("close", closed);
      // Still modal, the page behind is inert and could not take the focus back.
      if (element.open) element.close();
      const active = document.activeElement;
      if (opener?.isConnected && (!active || active === document.body || element.contains(active))) opener.focus({ preventScroll: true });
    };
  }, []);
  return (
    <dialog ref={dialog} class="sheet" aria-labelledby="sheet-title">
      <div class="sheet-head">
        <h2 id="sheet-title">{props.title}</h2>
        <button type="button" class="button quiet" onClick={() => dialog.current?.close()}>Close</button>
      </div>
      {props.children}
    </dialog>
  );
}
