import type { ComponentChildren, JSX } from "preact";
import { ApiError } from "../lib/api";

type InputProps = JSX.InputHTMLAttributes<HTMLInputElement>;

/** A labelled input with its hint and its error right below it (announced, and linked by aria-describedby). */
export function Field(props: { label: string; name: string; id?: string; error?: string; hint?: string; children?: ComponentChildren } & InputProps) {
  const { label, name, error, hint, children, ...input } = props;
  const id = (input as { id?: string }).id ?? `field-${name}`;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  return (
    <div class={error ? "field invalid" : "field"}>
      <label for={id}>{label}{props.required ? "" : <span class="optional"> (optional)</span>}</label>
      {hint && <p class="hint" id={hintId}>{hint}</p>}
      {children ?? (
        <input id={id} name={name} aria-invalid={error ? "true" : undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(" ") || undefined} {...input} />
      )}
      {error && <p class="error" id={errorId}>{error}</p>}
    </div>
  );
}

/** A form-level message: what went wrong and what to do, announced at once. */
export function ErrorNote(props: { error: unknown }) {
  if (!props.error) return null;
  const message = props.error instanceof ApiError ? props.error.message : String((props.error as Error).message ?? props.error);
  return <p class="note error-note" role="alert">{message}</p>;
}

export function fieldError(error: unknown, name: string): string | undefined {
  return error instanceof ApiError ? error.field(name) : undefined;
}

/** Field errors whose field is not on the form (shown with the form-level message). */
export function otherFieldErrors(error: unknown, shown: string[]): string[] {
  if (!(error instanceof ApiError)) return [];
  return Object.entries(error.fields).filter(([name]) => !shown.includes(name)).map(([name, messages]) => `${name}: ${messages.join(" ")}`);
}
