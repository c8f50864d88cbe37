import type { ComponentChildren, JSX } from "preact";
import { useCallback, useState } from "preact/hooks";
import { ApiError } from "../lib/api";
import { fieldErrors, fieldMessage, type FieldWords } from "../lib/fieldMessages";

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
  const message = error instanceof ApiError ? error.field(name) : undefined;
  return message && fieldMessage(name, message);
}

/** Field errors whose field is not on the form (shown with the form-level message). */
export function otherFieldErrors(error: unknown, shown: string[]): string[] {
  if (!(error instanceof ApiError)) return [];
  return Object.entries(error.fields).filter(([name]) => !shown.includes(name)).map(([name, messages]) => `${name}: ${fieldMessage(name, messages[0])}`);
}

/** Field errors in words (fieldMessages.ts), each cleared as soon as its field changes. */
export function useFieldErrors(initial?: unknown, words?: FieldWords) {
  const [errors, setErrors] = useState<Record<string, string>>(() => fieldErrors(initial, words));
  const show = useCallback((error: unknown) => setErrors(fieldErrors(error, words)), [words]);
  const clear = useCallback((name: string) => setErrors((current) => {
    if (!(name in current)) return current;
    const rest = { ...current };
    delete rest[name];
    return rest;
  }), []);
  return { errors, show, clear };
}

/** Move the focus to the first field that needs fixing (after the errors render). */
export function focusFirstInvalid(form: HTMLElement | null): void {
  requestAnimationFrame(() => (form?.querySelector(".field.invalid input, .field.invalid textarea, .invalid-group input") as HTMLElement | null)?.focus());
}
