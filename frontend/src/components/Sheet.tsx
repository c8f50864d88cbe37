import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";

/** A modal panel (native <dialog>: focus is trapped inside, Escape closes it). */
export function Sheet(props: { title: string; onClose: () => void; children: ComponentChildren }) {
  const { onClose } = props;
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current!;
    if (!element.open) element.showModal();
    element.addEventListener("close", onClose);
    return () => element.removeEventListener("close", onClose);
  }, [onClose]);
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
