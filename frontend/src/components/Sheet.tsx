import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** A modal panel (native <dialog>: focus is trapped inside, Escape closes it). */
export function Sheet(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current!;
    if (!element.open) element.showModal();
    const close = () => props.onClose();
    element.addEventListener("close", close);
    return () => element.removeEventListener("close", close);
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
