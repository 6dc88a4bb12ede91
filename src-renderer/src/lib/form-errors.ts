import { RpcError } from './ipc';

export interface PlacedError {
  /** The form field that shows the message, or null for a message above the form. */
  field: string | null;
  message: string;
}

/**
 * Where a failed call's message belongs in a form: under the field named by
 * RpcError.field (or its alias, or its top-level part for "dunningDays.1"),
 * else above the form.
 */
export function placeServerError(
  error: unknown,
  formFields: readonly string[],
  aliases: Readonly<Record<string, string>> = {},
): PlacedError {
  if (!(error instanceof RpcError)) {
    const detail = error instanceof Error ? error.message : String(error);
    return { field: null, message: `Something went wrong: ${detail}` };
  }
  const path = error.field;
  if (path) {
    const parts = path.split('.');
    for (let n = parts.length; n > 0; n--) {
      const candidate = parts.slice(0, n).join('.');
      const field = aliases[candidate] ?? candidate;
      if (formFields.includes(field)) return { field, message: error.message };
    }
  }
  return { field: null, message: error.message };
}

interface FormLike {
  getValues(): object;
  setFieldError(path: string, error: React.ReactNode): void;
}

/** Shows a server error on its field; returns the message for above the form when no field fits. */
export function applyServerError(
  form: FormLike,
  error: unknown,
  aliases: Readonly<Record<string, string>> = {},
): string | null {
  const placed = placeServerError(error, Object.keys(form.getValues()), aliases);
  if (placed.field === null) return placed.message;
  form.setFieldError(placed.field, placed.message);
  return null;
}

/**
 * For a form with one field of its own: a server error naming `field` goes
 * under it, any other above the form.
 */
export function showServerError(error: unknown, field: string, setFieldError: (message: string) => void, setFormError: (message: string) => void): void {
  const placed = placeServerError(error, [field]);
  if (placed.field) setFieldError(placed.message);
  else setFormError(placed.message);
}
