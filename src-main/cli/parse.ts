import { validationError } from './errors';

// Flags arrive as text. Numbers are parsed strictly here ("30x" or "3.5" are
// refused, never coerced) and named by their contract field, so a bad value is
// a validation error exactly like one the core reports. Ranges stay the core's.

const WHOLE_NUMBER = /^-?\d+$/;

/** "30" -> 30; "-5" passes so the core can say why it is out of range. */
export function parseWholeNumber(text: string, field: string, flag: string, message: string): number {
  const trimmed = text.trim();
  const value = Number(trimmed);
  if (!WHOLE_NUMBER.test(trimmed) || !Number.isSafeInteger(value)) throw validationError(field, message, flag);
  return value;
}

/** "3,5,7" -> [3, 5, 7]; spaces around the commas are fine, empty items are not. */
export function parseWholeNumberList(text: string, field: string, flag: string, message: string): number[] {
  return text.split(',').map((item) => parseWholeNumber(item, field, flag, message));
}
